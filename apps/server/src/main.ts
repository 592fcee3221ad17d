// `node apps/server/dist/index.js`: configuration from the environment, then the database, the
// app and the HTTP server; stops cleanly on Ctrl-C or a service manager's SIGTERM.
import { setMaxListeners } from 'node:events';
import { openLibsqlClient } from '@loomflow/checkpoint-libsql';
import { createApp } from './app';
import { ConfigError, LIMIT_VARIABLES, loadConfig, type ServerConfig } from './config';
import { startHttpServer } from './http-server';
import { createServices } from './services';
import { serverVersion } from './version';
import { hasBuiltWebApp } from './web-app';

function readConfig(): ServerConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`loomflow: refusing to start: ${error.message}`);
    process.exit(1);
  }
}

// LangGraph adds one abort listener per task of a superstep to a shared signal, so a map over
// more than ten items would print a false "memory leak" warning; the bound still catches real leaks.
setMaxListeners(1000);

const config = readConfig();
const db = await openLibsqlClient(config.databaseUrl);
// process.env itself, not a copy: a provider's apiKeyEnv is read when the key is used.
const services = await createServices(db, {
  secretKey: config.secretKey,
  environment: process.env,
  runLeaseMs: config.runLeaseMs,
  maxConcurrentRuns: config.maxConcurrentRuns,
  codeWorkers: config.codeWorkers,
  codeQueue: config.codeQueue,
  limits: config.limits,
  limitNames: LIMIT_VARIABLES,
  maxMcpMessageBytes: config.limits.maxMcpMessageBytes,
  maxStalledRecoveries: config.limits.maxStalledRecoveries,
  maxModelResponseBytes: config.limits.maxModelResponseBytes,
  answerBudgetBytes: config.limits.answerBudgetBytes,
});
const app = createApp({
  db,
  services,
  webDistDir: config.webDistDir,
  apiToken: config.apiToken,
  corsOrigins: config.corsOrigins,
  allowedHosts: config.allowedHosts,
  maxBodyBytes: config.limits.maxBodyBytes,
  maxJsonDepth: config.limits.maxJsonDepth,
  maxDocumentBytes: config.limits.maxDocumentBytes,
});

// Before listening, so that a client reconnecting to a run's events finds it executing again.
// Runs whose owner's lease has not run out yet (it may still be alive) are left to later sweeps.
await services.runManager.recover();
services.runManager.sweepPeriodically();
// BPMN timers that fell due while no server ran fire on its first round.
services.runManager.scheduleTimers();

if (!hasBuiltWebApp(config.webDistDir)) {
  console.error(`loomflow: no web app at ${config.webDistDir} (run "pnpm build"); serving the API only.`);
}

const server = await startHttpServer(app, config.host, config.port).catch((error: unknown) => {
  console.error(`loomflow: cannot listen on ${config.host}:${config.port}: ${error instanceof Error ? error.message : String(error)}`);
  db.close();
  process.exit(1);
});
console.log(`Loomflow ${serverVersion} is running at ${server.url}`);

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`loomflow: ${signal} received, shutting down`);
  // Runs first: their event streams end, so open SSE connections do not hold the server open.
  await services.close();
  await server.close();
  db.close();
  process.exit(0);
}
process.on('SIGINT', (signal) => void shutdown(signal));
process.on('SIGTERM', (signal) => void shutdown(signal));
