import { randomUUID } from 'node:crypto';
import type { McpServerConfig } from '@loomflow/graph-schema';
import { NodeExecutionError } from '../errors';
import { evaluateFeel } from '../feel-eval';
import { mcpServerLabel, McpPoolError, MCP_POOL_DEFAULTS } from '../mcp/mcp-client-pool';
import type { ExecutionContext, Executor } from './executor';

interface McpConfig {
  server: McpServerConfig;
  tool: string;
  arguments: Record<string, string>;
  output: string;
}

interface ContentBlock {
  readonly type: string;
  readonly text?: string;
}

interface CallToolResult {
  readonly content?: readonly ContentBlock[];
  readonly structuredContent?: unknown;
  readonly isError?: boolean;
}

const asResult = (value: unknown): CallToolResult => (typeof value === 'object' && value !== null ? (value as CallToolResult) : {});

/**
 * What a flow reads from a tool's answer: its structured content when it has one, its text when
 * every block is text (most tools answer one text block), else the content blocks themselves.
 */
export function mcpResultValue(result: CallToolResult): unknown {
  if (result.structuredContent !== undefined) return result.structuredContent;
  const content = result.content ?? [];
  if (content.length > 0 && content.every((block) => block.type === 'text' && typeof block.text === 'string')) {
    return content.map((block) => block.text).join('\n');
  }
  return content;
}

/**
 * The call's own limit ends before the node's, so that the failure names the server and the tool
 * rather than being LangGraph's bare node timeout (which also aborts the call's signal). The
 * margin covers the time between LangGraph starting the node's clock and the call starting its
 * own, which grows on a loaded machine.
 */
export function callTimeoutMs(nodeTimeoutMs: number | undefined): number {
  if (nodeTimeoutMs === undefined) return MCP_POOL_DEFAULTS.defaultTimeoutMs;
  return Math.max(1, nodeTimeoutMs - Math.min(2_000, Math.max(250, nodeTimeoutMs / 10)));
}

/**
 * Calls one tool of an MCP server through the host's pool, with the node's time limit (the pool's
 * default when the node sets none) and the run's abort signal. The arguments are FEEL over the
 * state as the node started.
 */
export const runMcp: Executor = async (context) => {
  const { server, tool, arguments: expressions, output } = context.node.config as unknown as McpConfig;
  const value = await callMcpTool(context, server, tool, expressions);
  return { update: { [output]: value }, output: value };
};

/** One tool call as `runMcp` makes it (also a BPMN service task's): events, recording, failures naming server and tool. */
export async function callMcpTool(context: ExecutionContext, server: McpServerConfig, tool: string, expressions: Readonly<Record<string, string>>): Promise<unknown> {
  const { node, state, config, service, emit, fromOutside } = context;
  const args = Object.fromEntries(Object.entries(expressions).map(([name, expression]) => [name, evaluateFeel(expression, state, node.id)]));
  const pool = service('mcp');
  const toolCallId = randomUUID();
  emit({ type: 'tool.call', toolCallId, name: tool, args });
  let raw: unknown;
  try {
    raw = await fromOutside('mcp', { server: mcpServerLabel(server), tool, args }, () => pool.callTool(server, tool, args, { signal: config.signal, timeoutMs: callTimeoutMs(node.timeoutMs) }));
  } catch (error) {
    if (error instanceof McpPoolError) throw new NodeExecutionError(node.id, error.code, error.message, { retryable: error.retryable });
    throw new NodeExecutionError(node.id, 'mcp.error', `MCP server ${mcpServerLabel(server)} failed tool "${tool}": ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = asResult(raw);
  const value = mcpResultValue(result);
  const isError = result.isError === true;
  emit({ type: 'tool.result', toolCallId, name: tool, result: value, isError });
  if (isError) {
    const detail = typeof value === 'string' ? value : JSON.stringify(value);
    // Retryable: a tool may fail for reasons of its own that pass (a busy backend); the node's
    // retry policy, which defaults to one attempt, decides.
    throw new NodeExecutionError(node.id, 'mcp.tool_error', `tool "${tool}" of MCP server ${mcpServerLabel(server)} reported an error: ${detail.slice(0, 2_000)}`);
  }
  return value;
}
