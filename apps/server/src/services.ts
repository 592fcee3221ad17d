// What the routes work with, built once per process over the shared libsql client: the server's
// tables (migrated first), the stores, and the run manager that executes flows.
import type { Client } from '@libsql/client';
import { createDefaultRegistry, type NodeTypeRegistry } from '@loomflow/graph-schema';
import { migrateServerDatabase, serverDatabase } from './db/database';
import { FlowStore } from './flows/flow-store';
import { RunManager } from './runs/run-manager';
import { RunStore } from './runs/run-store';
import { TaskStore } from './tasks/task-store';

export interface ServerServices {
  readonly registry: NodeTypeRegistry;
  readonly flows: FlowStore;
  readonly runs: RunStore;
  readonly tasks: TaskStore;
  readonly runManager: RunManager;
  /** Stops the runs executing here without recording an outcome; the client stays open. */
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** Runs executing at once in this process; more wait as `queued`. */
  readonly maxConcurrentRuns?: number;
}

export async function createServices(client: Client, options: ServiceOptions = {}): Promise<ServerServices> {
  await migrateServerDatabase(client);
  const db = serverDatabase(client);
  const registry = createDefaultRegistry();
  const flows = new FlowStore(db);
  const runs = new RunStore(db);
  const tasks = new TaskStore(db);
  const runManager = new RunManager(client, registry, flows, runs, tasks, options.maxConcurrentRuns);
  return { registry, flows, runs, tasks, runManager, close: () => runManager.close() };
}
