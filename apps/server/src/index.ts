export { createApp, type AppOptions, type AppType } from './app';
export { ConfigError, DEFAULT_SERVER_LIMITS, LIMIT_VARIABLES, loadConfig, isLoopbackHost, type Environment, type ServerConfig, type ServerLimits } from './config';
export type { ApiErrorBody } from './errors';
export { startHttpServer, type RunningServer } from './http-server';
