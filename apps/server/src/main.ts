// `node apps/server/dist/index.js`: configuration from the environment, then the database, the
// app and the HTTP server; stops cleanly on Ctrl-C or a service manager's SIGTERM. The same module
// starts the run worker threads (runs/workers/), which find their role in `workerData`: one file
// serves both, bundled or not.
import { setMaxListeners } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import { openLibsqlClient } from '@loomflow/checkpoint-libsql';
import { createApp } from './app';
import { ConfigError, LIMIT_VARIABLES, loadConfig, type ServerConfig } from './config';
import { startHttpServer } from './http-server';
import { isRunWorkerData } from './runs/workers/protocol';
import { serveRunWorker } from './runs/workers/run-worker';
import { defaultRunWorkers, WorkerRunHost } from './runs/workers/worker-host';
import { createServices, type ServerServices } from './services';
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

async function openServices(config: ServerConfig, db: Awaited<ReturnType<typeof openLibsqlClient>>): Promise<ServerServices> {
  const engineSettings = {
    secretKey: config.secretKey,
    codeWorkers: config.codeWorkers,
    codeQueue: config.codeQueue,
    limits: config.limits,
    limitNames: LIMIT_VARIABLES,
    maxMcpMessageBytes: config.limits.maxMcpMessageBytes,
    maxModelResponseBytes: config.limits.maxModelResponseBytes,
    answerBudgetBytes: config.limits.answerBudgetBytes,
  };
  const runWorkers = config.runWorkers ?? defaultRunWorkers();
  try {
    // process.env itself, not a copy: a provider's apiKeyEnv is read when the key is used.
    return await createServices(db, {
      ...engineSettings,
      environment: process.env,
      runLeaseMs: config.runLeaseMs,
      maxConcurrentRuns: config.maxConcurrentRuns,
      maxStalledRecoveries: config.limits.maxStalledRecoveries,
      // Runs execute off the thread that answers HTTP unless LOOMFLOW_RUN_WORKERS=0.
      ...(runWorkers === 0 ? {} : { runHost: () => new WorkerRunHost({ script: new URL(import.meta.url), workers: runWorkers, databaseUrl: config.databaseUrl, settings: engineSettings }) }),
    });
  } catch (error) {
    console.error(`loomflow: refusing to start: ${error instanceof Error ? error.message : String(error)}`);
    db.close();
    process.exit(1);
  }
}

async function serve(): Promise<void> {
  const config = readConfig();
  const db = await openLibsqlClient(config.databaseUrl);
  const services = await openServices(config, db);
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
}

if (isRunWorkerData(workerData) && parentPort) await serveRunWorker(workerData, parentPort);
else await serve();
