// Model and embedding requests pass the network guard (executors/network-guard.ts), as agent.http's
// do: the model clients would otherwise let a flow's own baseUrl reach the host's loopback and
// private network. A provider's address is the operator's choice (an Ollama on localhost), so its
// host is allowed; a flow's baseUrl gets no allowance, and the clients' default addresses need none.
// Each answer is bounded too: a provider streaming tokens without end would otherwise grow the
// reply, and the host's memory, until the host dies.
import { fetch as undiciFetch, type Agent } from 'undici';
import { limitBody, type AnswerBudget } from '../body-limit';
import { guardedDispatcher, type ResolveHost } from '../executors/network-guard';

/**
 * The most a model's (or an embedding model's) answer may hold, on the wire: a 64k-token reply
 * streamed costs some 20 MB of SSE chunks, far below; an endless one fails well before memory does.
 */
export const DEFAULT_MAX_MODEL_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * A provider answered with a redirect. Not followed: undici drops only `authorization` on a
 * redirect to another origin, so Anthropic's `x-api-key` (and the prompt, on a 307) would go on to
 * wherever the provider, or someone between it and the host, points.
 */
export class ModelRedirectError extends Error {
  override readonly name = 'ModelRedirectError';
}

export interface ModelResponseLimit {
  readonly maxResponseBytes?: number | undefined;
  /** The bytes all answers being read at once may hold, shared with the host's MCP calls (DEFAULT_ANSWER_BUDGET if unset). */
  readonly answerBudget?: AnswerBudget | undefined;
  /** What the host calls it where it is set, named in the failure; none if it cannot be set. */
  readonly maxResponseBytesSetting?: string | undefined;
}

/** What the OpenAI and Anthropic clients take as their `fetch`. */
export type ClientFetch = typeof globalThis.fetch;

/** The fetch for a request to `providerAddress` (undefined: an address no provider gave). */
export type GuardedFetches = (providerAddress: string | undefined) => ClientFetch;

/** A provider's address as an allowHosts entry: its host and port, so no other port is opened. */
function hostEntry(address: string): string {
  const url = new URL(address);
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

/**
 * Fetches whose connections pass the guard, and whose answers fail past the limit with a
 * TooLargeError (body-limit.ts). `allowedBy` names, in a refusal, where the host's operator makes a
 * private model server a provider (the server's settings, the CLI's --provider).
 */
export function guardedFetches(lookupHost: ResolveHost, allowedBy: string, limit: ModelResponseLimit = {}): GuardedFetches {
  const maxBytes = limit.maxResponseBytes ?? DEFAULT_MAX_MODEL_RESPONSE_BYTES;
  const describe = () => `its answer is over ${maxBytes} bytes${limit.maxResponseBytesSetting ? `, the limit set by ${limit.maxResponseBytesSetting}` : ''}`;
  // One dispatcher per allowance, kept, so that calls reuse its connections as one client would.
  // Keyed by a provider's host, which only the operator sets: the map grows with the settings only.
  const dispatchers = new Map<string, Agent>();
  return (providerAddress) => {
    const allowHosts = providerAddress === undefined ? [] : [hostEntry(providerAddress)];
    const key = allowHosts.join(' ');
    let dispatcher = dispatchers.get(key);
    if (!dispatcher) {
      dispatcher = guardedDispatcher(lookupHost, allowHosts, allowedBy);
      dispatchers.set(key, dispatcher);
    }
    const guarded = dispatcher;
    // undici's own fetch: the dispatcher must come from the same undici as the fetch that uses it.
    return (async (input, init) => {
      const response = (await undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), redirect: 'manual', dispatcher: guarded })) as unknown as Response;
      if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
        await response.body?.cancel();
        throw new ModelRedirectError(`it redirects (${response.status}) to another address, where its key is not sent; set the address it redirects to as the base URL`);
      }
      // The whole answer, not per event: a reply is one message, however many chunks carry it.
      return limitBody(response, { maxBytes, perEvent: false, budget: limit.answerBudget }, describe);
    }) as ClientFetch;
  };
}
