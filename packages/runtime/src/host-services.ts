// The services a host lends to executors by name (FlowRuntimeOptions.hostServices): the runtime
// defines only what an executor may ask of each, never how a host provides it, so the server,
// the CLI and tests can each plug in their own. An executor asks with `ctx.service(name)`; a
// service the host did not provide fails that node with `service.unavailable`, naming both.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { McpServerConfig, ModelConfig } from '@loomflow/graph-schema';
import { DETERMINISTIC, NodeExecutionError } from './errors';

/** Builds the chat model a node calls; the providers themselves belong to the host. */
export interface ModelFactory {
  /**
   * A chat model for one node's `model` config. `apiKey` is the secret of `config.credential`,
   * which the executor resolves through its `credentials` service, so that the run's secret
   * guard knows it and redacts it from anything the node writes or reports. With `streaming`,
   * the caller only ever calls the model's `stream()`.
   */
  create(config: ModelConfig, context: { readonly nodeId: string; readonly streaming?: boolean; readonly apiKey?: string | undefined }): Promise<BaseChatModel>;
}

/**
 * Turns a credential reference of a flow (`model.credential`, a provider id on the server) into
 * its secret at the moment it is needed. The secret must never be written to state or put into a
 * run event: both are stored and shown to whoever may read the run.
 */
export interface CredentialResolver {
  /** The secret, or undefined when the reference needs none (a local model server without a key). */
  resolve(credentialRef: string): Promise<string | undefined>;
}

/** A tool an MCP server offers, as its `tools/list` describes it. */
export interface McpTool {
  readonly name: string;
  readonly description?: string;
  /** JSON Schema of the tool's arguments. */
  readonly inputSchema: Readonly<Record<string, unknown>>;
}

/** How long one MCP request may take, and what cancels it (the run's signal). */
export interface McpCallOptions {
  readonly signal?: AbortSignal | undefined;
  /** The request's time limit; the pool's default when absent. */
  readonly timeoutMs?: number | undefined;
}

/**
 * Connections to MCP servers, kept by the host across nodes and runs (starting a stdio server per
 * call would cost more than most calls). The runtime's own is `SdkMcpClientPool`.
 */
export interface McpClientPool {
  listTools(server: McpServerConfig, options?: McpCallOptions): Promise<readonly McpTool[]>;
  /** The MCP `CallToolResult` (`content`, `structuredContent`, `isError`). */
  callTool(server: McpServerConfig, name: string, args: Readonly<Record<string, unknown>>, options?: McpCallOptions): Promise<unknown>;
}

/** A passage a retriever found. */
export interface RetrievedDocument {
  readonly content: string;
  /** Higher is a better match; scales differ between retrieval modes. */
  readonly score?: number;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** Searches the host's knowledge bases, which the runtime neither stores nor indexes. */
export interface Retriever {
  retrieve(
    request: {
      readonly knowledgeBase: string;
      readonly query: string;
      readonly mode: 'vector' | 'keyword' | 'hybrid';
      readonly topK: number;
      /** Passages scoring below it are left out, on the scale of the mode's scores. */
      readonly scoreThreshold?: number;
    },
    options?: { readonly signal?: AbortSignal },
  ): Promise<readonly RetrievedDocument[]>;
}

/** The time executors read, so tests (and replays) can fix it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Every service a host may lend, by the name executors ask for it with. */
export interface HostServices {
  readonly models: ModelFactory;
  readonly credentials: CredentialResolver;
  readonly mcp: McpClientPool;
  readonly retriever: Retriever;
  readonly clock: Clock;
}

export type HostServiceName = keyof HostServices;

/** What an executor calls to get a host service. */
export type ServiceLookup = <Name extends HostServiceName>(name: Name) => HostServices[Name];

/** The services every runtime has even when its host lends none. */
export const DEFAULT_HOST_SERVICES: Partial<HostServices> = { clock: { now: () => Date.now() } };

/**
 * The lookup of one node: a missing service fails the node with a message naming what to
 * provide. Deterministic, so a retry policy does not retry what cannot change during the run.
 */
export function serviceLookup(services: Partial<HostServices>, nodeId: string): ServiceLookup {
  return (name) => {
    const service = services[name];
    if (service === undefined) {
      throw new NodeExecutionError(nodeId, 'service.unavailable', `needs the host service "${name}", which this host does not provide (FlowRuntimeOptions.hostServices.${name})`, DETERMINISTIC);
    }
    return service;
  };
}
