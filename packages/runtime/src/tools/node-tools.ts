// The tools a node's model may call, made runnable from their configs: an HTTP request through the
// same guarded connection as the HTTP node, JavaScript in the code sandbox, the tools of an MCP
// server through the host's pool, and another stored flow run as a subgraph. agent.tools and
// agent.react run calls through here, and agent.llm binds the same descriptions to its model.
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { replacePlaceholders, type ToolConfig } from '@loomflow/graph-schema';
import { DETERMINISTIC, NodeExecutionError } from '../errors';
import type { ExecutionContext } from '../executors/executor';
import { requestOnce, shownUrl } from '../executors/http';
import { callTimeoutMs, mcpResultValue } from '../executors/mcp';
import { mcpServerLabel, McpPoolError } from '../mcp/mcp-client-pool';
import { SandboxError } from '../sandbox/code-sandbox';

/** What a model is told of a tool (the OpenAI function format, which every LangChain chat model binds). */
export interface ToolDescription {
  readonly type: 'function';
  readonly function: { readonly name: string; readonly description: string; readonly parameters: Readonly<Record<string, unknown>> };
}

/** A tool's own failure: the model is told, and may call again or answer otherwise. */
export class ToolCallError extends Error {}

export interface CallContext {
  readonly toolCallId: string;
  readonly config: LangGraphRunnableConfig;
}

export interface RunnableTool {
  readonly description: ToolDescription;
  /** The tool's result, or a ToolCallError the model is shown. */
  call(args: Readonly<Record<string, unknown>>, context: CallContext): Promise<unknown>;
}

const describe = (name: string, description: string, parameters: Readonly<Record<string, unknown>>): ToolDescription => ({
  type: 'function',
  function: { name, description, parameters },
});

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The URL with `{{argument}}` placeholders filled (encoded, as they sit in a URL), and the
 * arguments no placeholder took, which go in the query or the body.
 */
function fillUrl(template: string, args: Readonly<Record<string, unknown>>): { url: string; rest: Record<string, unknown> } {
  const used = new Set<string>();
  // The product's one placeholder grammar (graph-schema's template.ts), as in every other template.
  const url = replacePlaceholders(template, (path) => {
    const [name = path, ...fields] = path.split('.');
    if (!(name in args)) throw new ToolCallError(`the argument "${name}" is missing`);
    used.add(name);
    let value: unknown = args[name];
    for (const field of fields) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[field] : undefined;
    return encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value));
  });
  return { url, rest: Object.fromEntries(Object.entries(args).filter(([name]) => !used.has(name))) };
}

function httpTool(context: ExecutionContext, tool: Extract<ToolConfig, { kind: 'http' }>): RunnableTool {
  return {
    description: describe(tool.name, tool.description, tool.parameters),
    async call(args) {
      const { url: filled, rest } = fillUrl(tool.url, args);
      let url: URL;
      try {
        url = new URL(filled);
      } catch {
        throw new ToolCallError(`"${filled}" is not a valid URL`);
      }
      const inQuery = tool.method === 'GET' || tool.method === 'DELETE';
      if (inQuery) for (const [name, value] of Object.entries(rest)) url.searchParams.set(name, typeof value === 'string' ? value : JSON.stringify(value));
      const body = inQuery ? undefined : JSON.stringify(rest);
      const headers = { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...tool.headers };
      let result;
      try {
        const request = { method: tool.method, url, headers, body, timeoutMs: tool.timeoutMs, allowHosts: tool.allowHosts, signal: context.config.signal };
        result = await context.fromOutside('http', { method: tool.method, url: shownUrl(url), headers, body: body ?? null }, () => requestOnce(context.node.id, context.services, request));
      } catch (error) {
        throw new ToolCallError(`${tool.method} ${shownUrl(url)} failed: ${message(error)}`);
      }
      if (result.status >= 400) {
        const detail = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
        throw new ToolCallError(`${tool.method} ${shownUrl(url)} answered ${result.status}: ${detail.slice(0, 1_000)}`);
      }
      return result.body;
    },
  };
}

function codeTool(context: ExecutionContext, tool: Extract<ToolConfig, { kind: 'code' }>): RunnableTool {
  return {
    description: describe(tool.name, tool.description, tool.parameters),
    async call(args) {
      try {
        // The arguments are the code's `state`: the same sandbox, time and memory limits as a code node.
        return await context.services.sandbox.run(tool.source, args, { timeoutMs: tool.timeoutMs, memoryMb: tool.memoryMb });
      } catch (error) {
        if (error instanceof SandboxError) throw new ToolCallError(error.message);
        throw error;
      }
    },
  };
}

async function mcpTools(context: ExecutionContext, tool: Extract<ToolConfig, { kind: 'mcp' }>): Promise<RunnableTool[]> {
  const pool = context.service('mcp');
  const options = { signal: context.config.signal, timeoutMs: callTimeoutMs(context.node.timeoutMs) };
  let listed;
  try {
    listed = await pool.listTools(tool.server, options);
  } catch (error) {
    // The pool's code and whether to retry stand: a refused or unregistered server fails the same way every time.
    if (error instanceof McpPoolError) throw new NodeExecutionError(context.node.id, error.code, error.message, { retryable: error.retryable });
    throw new NodeExecutionError(context.node.id, 'mcp.error', `MCP server ${mcpServerLabel(tool.server)} could not list its tools: ${message(error)}`);
  }
  const missing = tool.tools.filter((name) => !listed.some((each) => each.name === name));
  if (missing.length > 0) {
    throw new NodeExecutionError(context.node.id, 'mcp.unknown_tool', `MCP server ${mcpServerLabel(tool.server)} has no tool ${missing.map((name) => `"${name}"`).join(', ')}`, DETERMINISTIC);
  }
  const chosen = tool.tools.length === 0 ? listed : listed.filter((each) => tool.tools.includes(each.name));
  return chosen.map((each) => ({
    description: describe(each.name, each.description ?? each.name, each.inputSchema),
    async call(args) {
      let raw: unknown;
      try {
        raw = await context.fromOutside('mcp', { server: mcpServerLabel(tool.server), tool: each.name, args }, () => pool.callTool(tool.server, each.name, args, options));
      } catch (error) {
        throw new ToolCallError(message(error));
      }
      const result = (typeof raw === 'object' && raw !== null ? raw : {}) as Parameters<typeof mcpResultValue>[0];
      const value = mcpResultValue(result);
      if (result.isError === true) throw new ToolCallError(typeof value === 'string' ? value : JSON.stringify(value));
      return value;
    },
  }));
}

function flowTool(context: ExecutionContext, tool: Extract<ToolConfig, { kind: 'flow' }>): RunnableTool {
  return {
    description: describe(tool.name, tool.description, tool.parameters),
    async call(args, { toolCallId, config }) {
      if (!context.loadSubflow) throw new NodeExecutionError(context.node.id, 'subflow', 'this runtime was given no way to load the flows its tools run', DETERMINISTIC);
      const flow = await context.loadSubflow(tool.flowId, tool.version, context.node.id);
      // Each call checkpoints under a namespace of its own, so two calls of one flow in the same
      // step never read each other's state, and a resumed step finds each call where it was.
      const namespace = [config.configurable?.checkpoint_ns, `${tool.name}:${toolCallId}`].filter(Boolean).join('|');
      try {
        return flow.finalOutput(await flow.invoke({ ...args }, { ...config, configurable: { ...config.configurable, checkpoint_ns: namespace } }));
      } catch (error) {
        if (error instanceof NodeExecutionError) throw new ToolCallError(`flow "${tool.flowId}" failed: ${error.message}`);
        throw error;
      }
    },
  };
}

/** The node's tools by name; MCP servers are asked for theirs. Two tools of one name are refused. */
export async function resolveTools(context: ExecutionContext, configs: readonly ToolConfig[]): Promise<Map<string, RunnableTool>> {
  const lists = await Promise.all(
    configs.map(async (tool): Promise<RunnableTool[]> => {
      switch (tool.kind) {
        case 'http':
          return [httpTool(context, tool)];
        case 'code':
          return [codeTool(context, tool)];
        case 'mcp':
          return mcpTools(context, tool);
        case 'flow':
          return [flowTool(context, tool)];
      }
    }),
  );
  const byName = new Map<string, RunnableTool>();
  for (const tool of lists.flat()) {
    const { name } = tool.description.function;
    if (byName.has(name)) throw new NodeExecutionError(context.node.id, 'tools.duplicate_name', `two tools are named "${name}"; a model could not tell them apart`, DETERMINISTIC);
    byName.set(name, tool);
  }
  return byName;
}
