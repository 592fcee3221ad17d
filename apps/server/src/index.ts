export { createApp, DEFAULT_MAX_BODY_BYTES, type AppOptions, type AppType } from './app';
export { ConfigError, loadConfig, isLoopbackHost, type Environment, type ServerConfig } from './config';
export type { ApiErrorBody } from './errors';
export { startHttpServer, type RunningServer } from './http-server';
