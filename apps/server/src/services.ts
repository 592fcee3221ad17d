// What the routes work with, built once per process over the shared libsql client: the server's
// tables (migrated first), the stores, and the run manager that executes flows.
import type { Client } from '@libsql/client';
import type { NodeTypeRegistry } from '@loomflow/graph-schema';
import type { KnowledgeStore } from '@loomflow/knowledge';
import { LIMIT_VARIABLES } from './config';
import { migrateServerDatabase, serverDatabase } from './db/database';
import type { FlowStore } from './flows/flow-store';
import { openRunEngine, type RunEngineOptions } from './runs/run-engine';
import type { RunHost } from './runs/run-host';
import { RunManager } from './runs/run-manager';
import { RunStore } from './runs/run-store';
import type { McpServerStore } from './settings/mcp-server-store';
import type { ProviderStore } from './settings/provider-store';
import { TaskStore } from './tasks/task-store';

export interface ServerServices {
  readonly registry: NodeTypeRegistry;
  readonly flows: FlowStore;
  readonly runs: RunStore;
  readonly tasks: TaskStore;
  readonly providers: ProviderStore;
  readonly knowledge: KnowledgeStore;
  readonly mcpServers: McpServerStore;
  readonly runManager: RunManager;
  /** Stops the runs executing here without recording an outcome; the client stays open. */
  close(): Promise<void>;
}

export interface ServiceOptions extends RunEngineOptions {
  /** Runs executing at once in this process; more wait as `queued`. */
  readonly maxConcurrentRuns?: number | undefined;
  /** How long this process's hold on a run lasts without renewal (RunManager's default if unset). */
  readonly runLeaseMs?: number | undefined;
  /** Takeovers in a row that may find a run no further before it fails (the run manager's default if unset). */
  readonly maxStalledRecoveries?: number | undefined;
  /**
   * Where runs execute, made over the client once the database is migrated: on this event loop
   * when unset. main.ts passes worker threads (worker-host.ts), which open clients of their own;
   * the engine here then only compiles and reads threads.
   */
  readonly runHost?: ((client: Client) => RunHost) | undefined;
}

export async function createServices(client: Client, options: ServiceOptions = {}): Promise<ServerServices> {
  await migrateServerDatabase(client);
  const db = serverDatabase(client);
  const engine = await openRunEngine(client, options);
  const runs = new RunStore(db);
  const tasks = new TaskStore(db);
  const host = options.runHost?.(client);
  await host?.ready();
  const runManager = new RunManager(client, engine.runtime, engine.flows, runs, tasks, {
    maxConcurrentRuns: options.maxConcurrentRuns,
    leaseMs: options.runLeaseMs,
    maxStalledRecoveries: options.maxStalledRecoveries,
    maxStalledRecoveriesSetting: LIMIT_VARIABLES.maxStalledRecoveries,
    clock: options.hostServices?.clock,
    host,
  });
  const close = async () => {
    // First: open task streams end, so that they do not hold the HTTP server open.
    tasks.changes.close();
    await runManager.close();
    await engine.close();
  };
  const { registry, flows, providers, knowledge, mcpServers } = engine;
  return { registry, flows, runs, tasks, providers, knowledge, mcpServers, runManager, close };
}
