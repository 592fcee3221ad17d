// The engine that executes runs, over one libsql client: a FlowRuntime with the checkpoint saver
// and the host services its nodes ask for (provider keys and models, knowledge search, registered
// MCP servers, the code sandbox, sub-flows from the flow store). The server's main thread builds
// one (to compile and to read threads, and to run flows when runs execute there); each run worker
// thread builds its own over its own client (run-worker.ts), so the two execute alike.
import type { Client } from '@libsql/client';
import { LibsqlSaver } from '@loomflow/checkpoint-libsql';
import { createDefaultRegistry, type FlowDocument, type NodeTypeRegistry } from '@loomflow/graph-schema';
import { KnowledgeStore } from '@loomflow/knowledge';
import { AnswerBudget, createModelFactory, DEFAULT_ANSWER_BUDGET, FlowRuntime, SandboxPool, SdkMcpClientPool, type Executor, type HostServices, type RunLimitNames, type RunLimits } from '@loomflow/runtime';
import { LIMIT_VARIABLES, type Environment } from '../config';
import { serverDatabase } from '../db/database';
import { NotFoundError } from '../errors';
import { FlowStore } from '../flows/flow-store';
import { knowledgeEmbedder } from '../knowledge/embedder';
import { providerCredentialResolver } from '../settings/credential-resolver';
import { McpServerStore } from '../settings/mcp-server-store';
import { ProviderStore } from '../settings/provider-store';

/**
 * Code nodes of concurrent runs execute in parallel on this many worker threads; each worker is
 * started on first use. Two keep one run's long code node from holding up all the others
 * without giving user code more than a core or two of a small server.
 */
export const DEFAULT_CODE_WORKERS = 2;

/** The settings of an engine; every one of them is plain data, so a run worker gets the same. */
export interface RunEngineSettings {
  /** QuickJS workers for code nodes (DEFAULT_CODE_WORKERS if unset). */
  readonly codeWorkers?: number | undefined;
  /** How many code calls may wait for a worker, and how long (the pool's defaults if unset). */
  readonly codeQueue?: { readonly maxQueued: number | undefined; readonly maxWaitMs: number | undefined } | undefined;
  /** LOOMFLOW_SECRET_KEY, which encrypts stored provider API keys; without it only env references are accepted. */
  readonly secretKey?: string | undefined;
  /** The largest message an MCP server may send (the pool's default if unset), named in its errors by LOOMFLOW_MAX_MCP_MESSAGE_BYTES. */
  readonly maxMcpMessageBytes?: number | undefined;
  /** The largest answer a model's provider may send (the runtime's default if unset), named by LOOMFLOW_MAX_MODEL_RESPONSE_BYTES. */
  readonly maxModelResponseBytes?: number | undefined;
  /** The bytes all MCP and model answers being read at once may hold (the runtime's default if unset). */
  readonly answerBudgetBytes?: number | undefined;
  /** What runs may produce and how long they may take (the runtime's defaults if unset). */
  readonly limits?: Partial<RunLimits> | undefined;
  /** The settings that raise each limit, named in the errors it causes. */
  readonly limitNames?: Partial<RunLimitNames> | undefined;
}

/** What only an engine on the main thread can be given: objects with functions. */
export interface RunEngineOptions extends RunEngineSettings {
  /** Where providers' `apiKeyEnv` variables are read, at each use; none by default, main passes `process.env`. */
  readonly environment?: Environment;
  /** Executors added or replaced by node type id; tests plug in node executors not yet built in. */
  readonly executors?: Readonly<Record<string, Executor>> | undefined;
  /** Host services for executors, over the engine's own (credentials from the provider store). */
  readonly hostServices?: Partial<HostServices> | undefined;
}

export interface RunEngine {
  readonly registry: NodeTypeRegistry;
  readonly runtime: FlowRuntime;
  readonly flows: FlowStore;
  readonly providers: ProviderStore;
  readonly knowledge: KnowledgeStore;
  readonly mcpServers: McpServerStore;
  /** Ends the code workers and the MCP server processes runs started; the client stays open. */
  close(): Promise<void>;
}

/** Opens an engine over a client whose server tables are migrated already. */
export async function openRunEngine(client: Client, options: RunEngineOptions = {}): Promise<RunEngine> {
  const db = serverDatabase(client);
  const flows = new FlowStore(db);
  const providers = new ProviderStore(db, { secretKey: options.secretKey, environment: options.environment ?? {} });
  // One budget for every answer this engine reads: each answer's own bound times the calls in flight would not do.
  const answerBudget = new AnswerBudget(options.answerBudgetBytes ?? DEFAULT_ANSWER_BUDGET.maxBytes, LIMIT_VARIABLES.answerBudgetBytes);
  const modelResponses = { maxResponseBytes: options.maxModelResponseBytes, maxResponseBytesSetting: LIMIT_VARIABLES.maxModelResponseBytes, answerBudget };
  // A base that names an embedding model embeds its passages with a provider of the settings.
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
  const registry = createDefaultRegistry();
  const runtime = new FlowRuntime({
    checkpointer: new LibsqlSaver(client),
    registry,
    services: { loadFlow: async (flowId, version) => (await loadFlowDocument(flows, flowId, version)).flow, sandbox },
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.limitNames ? { limitNames: options.limitNames } : {}),
    ...(options.executors ? { executors: options.executors } : {}),
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
  return {
    registry,
    runtime,
    flows,
    providers,
    knowledge,
    mcpServers,
    // After the runs stopped: ends the MCP server processes they started.
    close: async () => void (await Promise.all([sandbox.close(), mcp.close()])),
  };
}

/** A stored flow's draft, or one of its versions; 404 naming which is missing. */
export async function loadFlowDocument(flows: FlowStore, flowId: string, version: number | undefined): Promise<{ flow: FlowDocument; version?: number }> {
  const { json, ...rest } = await loadFlowJson(flows, flowId, version);
  return { flow: JSON.parse(json) as FlowDocument, ...rest };
}

/** The JSON text of a stored flow's draft, or of one of its versions; 404 naming which is missing. */
export async function loadFlowJson(flows: FlowStore, flowId: string, version: number | undefined): Promise<{ json: string; version?: number }> {
  const json = await flows.documentJson(flowId, version);
  if (version !== undefined) {
    if (json === undefined) throw new NotFoundError('version_not_found', `Flow "${flowId}" has no version ${version}.`, { flowId, version });
    return { json, version };
  }
  if (json === undefined) throw new NotFoundError('flow_not_found', `No flow with id "${flowId}".`, { id: flowId });
  return { json };
}
