// What the routes work with, built once per process over the shared libsql client: the server's
// tables (migrated first), the stores, and the run manager that executes flows.
import type { Client } from '@libsql/client';
import { createDefaultRegistry, type NodeTypeRegistry } from '@loomflow/graph-schema';
import { KnowledgeStore } from '@loomflow/knowledge';
import { AnswerBudget, createModelFactory, DEFAULT_ANSWER_BUDGET, SandboxPool, SdkMcpClientPool, type Executor, type HostServices, type RunLimitNames, type RunLimits } from '@loomflow/runtime';
import { LIMIT_VARIABLES, type Environment } from './config';
import { migrateServerDatabase, serverDatabase } from './db/database';
import { FlowStore } from './flows/flow-store';
import { knowledgeEmbedder } from './knowledge/embedder';
import { RunManager } from './runs/run-manager';
import { RunStore } from './runs/run-store';
import { providerCredentialResolver } from './settings/credential-resolver';
import { McpServerStore } from './settings/mcp-server-store';
import { ProviderStore } from './settings/provider-store';
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

export interface ServiceOptions {
  /** Runs executing at once in this process; more wait as `queued`. */
  readonly maxConcurrentRuns?: number | undefined;
  /** How long this process's hold on a run lasts without renewal (RunManager's default if unset). */
  readonly runLeaseMs?: number | undefined;
  /** QuickJS workers for code nodes (DEFAULT_CODE_WORKERS if unset). */
  readonly codeWorkers?: number | undefined;
  /** How many code calls may wait for a worker, and how long (the pool's defaults if unset). */
  readonly codeQueue?: { readonly maxQueued: number | undefined; readonly maxWaitMs: number | undefined } | undefined;
  /** LOOMFLOW_SECRET_KEY, which encrypts stored provider API keys; without it only env references are accepted. */
  readonly secretKey?: string | undefined;
  /** Where providers' `apiKeyEnv` variables are read, at each use; none by default, main passes `process.env`. */
  readonly environment?: Environment;
  /** The largest message an MCP server may send (the pool's default if unset), named in its errors by LOOMFLOW_MAX_MCP_MESSAGE_BYTES. */
  readonly maxMcpMessageBytes?: number | undefined;
  /** The largest answer a model's provider may send (the runtime's default if unset), named by LOOMFLOW_MAX_MODEL_RESPONSE_BYTES. */
  readonly maxModelResponseBytes?: number | undefined;
  /** The bytes all MCP and model answers being read at once may hold (the runtime's default if unset). */
  readonly answerBudgetBytes?: number | undefined;
  /** Takeovers in a row that may find a run no further before it fails (the run manager's default if unset). */
  readonly maxStalledRecoveries?: number | undefined;
  /** What runs may produce and how long they may take (the runtime's defaults if unset). */
  readonly limits?: Partial<RunLimits> | undefined;
  /** The settings that raise each limit, named in the errors it causes. */
  readonly limitNames?: Partial<RunLimitNames> | undefined;
  /** Executors added or replaced by node type id; tests plug in node executors not yet built in. */
  readonly executors?: Readonly<Record<string, Executor>> | undefined;
  /** Host services for executors, over the server's own (credentials from the provider store). */
  readonly hostServices?: Partial<HostServices> | undefined;
}

/**
 * Code nodes of concurrent runs execute in parallel on this many worker threads; each worker is
 * started on first use. Two keep one run's long code node from holding up all the others
 * without giving user code more than a core or two of a small server.
 */
export const DEFAULT_CODE_WORKERS = 2;

export async function createServices(client: Client, options: ServiceOptions = {}): Promise<ServerServices> {
  await migrateServerDatabase(client);
  const db = serverDatabase(client);
  const registry = createDefaultRegistry();
  const flows = new FlowStore(db);
  const runs = new RunStore(db);
  const tasks = new TaskStore(db);
  const providers = new ProviderStore(db, { secretKey: options.secretKey, environment: options.environment ?? {} });
  // A base that names an embedding model embeds its passages with a provider of the settings.
  // One budget for every answer this process reads: each answer's own bound times the calls in flight would not do.
  const answerBudget = new AnswerBudget(options.answerBudgetBytes ?? DEFAULT_ANSWER_BUDGET.maxBytes, LIMIT_VARIABLES.answerBudgetBytes);
  const modelResponses = { maxResponseBytes: options.maxModelResponseBytes, maxResponseBytesSetting: LIMIT_VARIABLES.maxModelResponseBytes, answerBudget };
  const knowledge = await KnowledgeStore.open(client, { embedderOf: knowledgeEmbedder(providers, modelResponses) });
  const mcpServers = new McpServerStore(db, { secretKey: options.secretKey });
  // Flows written through the API must not start programs of their choosing on this machine: only
  // servers registered in settings (by whoever holds the API token) are started.
  const mcp = new SdkMcpClientPool({
    allowInlineStdio: false,
    resolveRegistered: (name) => mcpServers.resolve(name),
    maxMessageBytes: options.maxMcpMessageBytes,
    maxMessageBytesSetting: LIMIT_VARIABLES.maxMcpMessageBytes,
    answerBudget,
  });
  const sandbox = new SandboxPool(options.codeWorkers ?? DEFAULT_CODE_WORKERS, options.codeQueue ?? {});
  const runManager = new RunManager(client, registry, flows, runs, tasks, {
    maxConcurrentRuns: options.maxConcurrentRuns,
    leaseMs: options.runLeaseMs,
    maxStalledRecoveries: options.maxStalledRecoveries,
    maxStalledRecoveriesSetting: LIMIT_VARIABLES.maxStalledRecoveries,
    sandbox,
    limits: options.limits,
    limitNames: options.limitNames,
    executors: options.executors,
    // A flow's `model.credential` names a provider: nodes get its key and its base URL from the
    // provider store (a model that names one has no baseUrl of its own). agent.retriever steps
    // search the knowledge bases of this database; agent.mcp steps call registered MCP servers only.
    hostServices: {
      credentials: providerCredentialResolver(providers),
      // Only the address: the key comes through `credentials`, and reading it twice would decrypt it twice per call.
      models: createModelFactory({
        resolveProvider: async (id) => {
          const provider = await providers.get(id);
          return provider && { baseUrl: provider.baseUrl, kind: provider.kind };
        },
        ...modelResponses,
      }),
      retriever: knowledge,
      mcp,
      ...options.hostServices,
    },
  });
  const close = async () => {
    // First: open task streams end, so that they do not hold the HTTP server open.
    tasks.changes.close();
    await runManager.close();
    // After the runs stopped: ends the MCP server processes they started.
    await Promise.all([sandbox.close(), mcp.close()]);
  };
  return { registry, flows, runs, tasks, providers, knowledge, mcpServers, runManager, close };
}
