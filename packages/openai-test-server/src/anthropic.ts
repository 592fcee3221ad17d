// Anthropic's Messages protocol (`POST /v1/messages`, `GET /v1/models`) for the same scripted
// replies as the chat-completions endpoint. The shapes follow @anthropic-ai/sdk's types
// (resources/messages/messages.d.ts: Message, RawMessageStreamEvent, ToolUseBlock, Usage), so the
// real client parses them: streams are named SSE events, errors are `{ type: "error", error }`.
import type { ServerResponse } from 'node:http';
import type { ScriptedReply, ScriptedToolCall } from './script';

/** The `error.type` Anthropic sends with each status (docs.anthropic.com, "Errors"). */
const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export function writeAnthropicError(res: ServerResponse, reply: { readonly status: number; readonly message?: string; readonly retryAfterSeconds?: number }): void {
  res.writeHead(reply.status, { 'Content-Type': 'application/json', 'request-id': 'req_test', ...(reply.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(reply.retryAfterSeconds) }) });
  const type = ERROR_TYPES[reply.status] ?? (reply.status >= 500 ? 'api_error' : 'invalid_request_error');
  res.end(JSON.stringify({ type: 'error', error: { type, message: reply.message ?? `status ${reply.status}` }, request_id: 'req_test' }));
}

interface ToolUse {
  readonly id: string;
  readonly name: string;
  /** The input as the stream sends it; not JSON for a malformed call. */
  readonly json: string;
}

function toolUsesOf(reply: ScriptedReply): ToolUse[] {
  if ('malformedToolCall' in reply) return [{ id: 'toolu_malformed', name: reply.malformedToolCall, json: '{"unterminated": ' }];
  if (!('toolCalls' in reply) || !reply.toolCalls) return [];
  return reply.toolCalls.map((call: ScriptedToolCall, index) => ({ id: call.id ?? `toolu_${index + 1}`, name: call.name, json: JSON.stringify(call.args) }));
}

const usageOf = (reply: ScriptedReply) => ('usage' in reply && reply.usage ? { input: reply.usage.prompt, output: reply.usage.completion } : { input: 10, output: 5 });

/** The fields every Usage carries; the counts are the caller's. */
const usage = (input: number, output: number) => ({
  input_tokens: input,
  output_tokens: output,
  cache_creation_input_tokens: null,
  cache_read_input_tokens: null,
  cache_creation: null,
  inference_geo: null,
  output_tokens_details: null,
  server_tool_use: null,
  service_tier: 'standard',
});

function messageOf(model: string, content: unknown[], stopReason: string | null, input: number, output: number) {
  return { id: 'msg_test', type: 'message', role: 'assistant', model, content, container: null, stop_reason: stopReason, stop_sequence: null, stop_details: null, usage: usage(input, output) };
}

export function writeAnthropicMessage(res: ServerResponse, model: string, reply: ScriptedReply): void {
  const text = 'text' in reply ? reply.text : '';
  const tools = toolUsesOf(reply);
  const counts = usageOf(reply);
  const content = [
    ...(text === '' && tools.length > 0 ? [] : [{ type: 'text', text, citations: null }]),
    // A malformed call's input stays the broken text: what a misbehaving proxy would send.
    ...tools.map((tool) => ({ type: 'tool_use', id: tool.id, name: tool.name, input: parseOrKeep(tool.json), caller: { type: 'direct' } })),
  ];
  res.writeHead(200, { 'Content-Type': 'application/json', 'request-id': 'req_test' });
  res.end(JSON.stringify(messageOf(model, content, tools.length > 0 ? 'tool_use' : 'end_turn', counts.input, counts.output)));
}

function parseOrKeep(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}

/**
 * The event sequence of a streamed message: message_start (input tokens, and the one output
 * token Anthropic counts at the start), per block content_block_start / _delta / _stop (text word
 * by word, a tool's input as input_json_delta pieces), message_delta (stop reason, cumulative
 * output tokens), message_stop.
 */
export function writeAnthropicStream(res: ServerResponse, model: string, reply: ScriptedReply): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'request-id': 'req_test' });
  const event = (type: string, data: Record<string, unknown>) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  const counts = usageOf(reply);
  const tools = toolUsesOf(reply);
  const text = 'text' in reply ? reply.text : '';
  event('message_start', { message: messageOf(model, [], null, counts.input, 1) });
  event('ping', {});
  let index = 0;
  if (text !== '' || tools.length === 0) {
    event('content_block_start', { index, content_block: { type: 'text', text: '', citations: null } });
    for (const token of text.match(/\S+\s*|\s+/g) ?? []) event('content_block_delta', { index, delta: { type: 'text_delta', text: token } });
    event('content_block_stop', { index });
    index += 1;
  }
  for (const tool of tools) {
    event('content_block_start', { index, content_block: { type: 'tool_use', id: tool.id, name: tool.name, input: {}, caller: { type: 'direct' } } });
    // In two pieces, as the API splits a tool's input at arbitrary points.
    const half = Math.ceil(tool.json.length / 2);
    for (const piece of [tool.json.slice(0, half), tool.json.slice(half)]) event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } });
    event('content_block_stop', { index });
    index += 1;
  }
  event('message_delta', {
    delta: { stop_reason: tools.length > 0 ? 'tool_use' : 'end_turn', stop_sequence: null, stop_details: null, container: null },
    usage: { input_tokens: counts.input, output_tokens: counts.output, cache_creation_input_tokens: null, cache_read_input_tokens: null, output_tokens_details: null, server_tool_use: null },
  });
  event('message_stop', {});
  res.end();
}

/** `GET /v1/models` as Anthropic answers it: one page, newest first. */
export function anthropicModelList(): Record<string, unknown> {
  const data = ['claude-sonnet-4-5', 'claude-haiku-4-5'].map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-10-01T00:00:00Z', capabilities: null, max_input_tokens: 200_000, max_tokens: 64_000 }));
  return { data, has_more: false, first_id: data[0]?.id, last_id: data.at(-1)?.id };
}
