// Compiled flows kept for reuse, keyed by a hash of the document's JSON text: every run of a
// thread (and its state, history and forks) compiles the document the thread started with, and
// compiling costs more than a small run. A run start has the text as stored (FlowStore
// `documentJson`), so a cached flow is found without parsing or serializing the document.
import { createHash } from 'node:crypto';
import type { FlowDocument } from '@loomflow/graph-schema';
import { FlowInvalidError, NodeExecutionError, type CompiledFlow, type FlowRuntime } from '@loomflow/runtime';
import { UnprocessableError } from '../errors';
import { refuseInlineMcpCommands } from './mcp-policy';

/** Compiled flows kept; the oldest entry makes room for a new one. */
const COMPILED_CACHE_SIZE = 100;

export class CompileCache {
  readonly #compiled = new Map<string, CompiledFlow>();

  constructor(private readonly runtime: FlowRuntime) {}

  /** The compiled flow of a document; a flow that cannot run (or may not, here) is a 422 naming why. */
  compile(flow: FlowDocument): CompiledFlow {
    return this.compileJson(JSON.stringify(flow), flow);
  }

  /**
   * The compiled flow of a document given as its JSON text (`parsed`, when the caller has the
   * document already, saves parsing it on a miss). The key is the text's hash, not the text: a
   * large document would otherwise be kept once more per entry.
   */
  compileJson(json: string, parsed?: FlowDocument): CompiledFlow {
    const key = createHash('sha1').update(json).digest('base64');
    const cached = this.#compiled.get(key);
    if (cached) return cached;
    const flow = parsed ?? (JSON.parse(json) as FlowDocument);
    // Before compiling, and for every document a thread runs, the stored ones included.
    refuseInlineMcpCommands(flow);
    let compiled: CompiledFlow;
    try {
      compiled = this.runtime.compile(flow);
    } catch (error) {
      if (error instanceof FlowInvalidError) throw new UnprocessableError('flow_invalid', `Flow "${flow.id}" cannot run: ${error.message}`, { issues: error.issues });
      // A node type whose executor has not arrived yet fails compilation, naming the node.
      if (error instanceof NodeExecutionError) throw new UnprocessableError('flow_unsupported', `Flow "${flow.id}" cannot run: ${error.message}`, { nodeId: error.nodeId });
      throw error;
    }
    if (this.#compiled.size >= COMPILED_CACHE_SIZE) this.#compiled.delete(this.#compiled.keys().next().value as string);
    this.#compiled.set(key, compiled);
    return compiled;
  }
}
