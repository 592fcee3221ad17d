// A real HTTP server on loopback that speaks the OpenAI chat-completions protocol and Anthropic's
// Messages protocol, for tests: no test calls a real provider, and none can reach one (the
// machine is offline). Each test scripts the replies in order (text, tool calls, errors, a 429
// with Retry-After, malformed tool-call JSON, a reply that never comes), whichever protocol asks,
// and reads back the requests the client sent.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicModelList, writeAnthropicError, writeAnthropicMessage, writeAnthropicStream } from './anthropic';
import type { ScriptedReply } from './script';

export type { ScriptedReply, ScriptedToolCall } from './script';

export interface RecordedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: { readonly model?: string; readonly stream?: boolean; readonly messages?: readonly { role: string; content: unknown }[]; readonly [key: string]: unknown };
}

export interface OpenAiTestServer {
  /** The base URL OpenAI clients take, ending in `/v1`. */
  readonly baseUrl: string;
  /** The base URL Anthropic clients take: the origin, since they add `/v1/messages` themselves. */
  readonly anthropicBaseUrl: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Queues replies; each request takes the next one. A request with none queued gets a 500 naming the problem. */
  reply(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

const usageOf = (reply: ScriptedReply) =>
  'usage' in reply && reply.usage
    ? { prompt_tokens: reply.usage.prompt, completion_tokens: reply.usage.completion, total_tokens: reply.usage.prompt + reply.usage.completion }
    : { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };

function toolCallsOf(reply: ScriptedReply): { id: string; type: 'function'; function: { name: string; arguments: string } }[] {
  if ('malformedToolCall' in reply) return [{ id: 'call_malformed', type: 'function', function: { name: reply.malformedToolCall, arguments: '{"unterminated": ' } }];
  if (!('toolCalls' in reply) || !reply.toolCalls) return [];
  return reply.toolCalls.map((call, index) => ({ id: call.id ?? `call_${index + 1}`, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } }));
}

function writeCompletion(res: ServerResponse, id: string, model: string, reply: ScriptedReply): void {
  const text = 'text' in reply ? reply.text : '';
  const toolCalls = toolCallsOf(reply);
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(
    JSON.stringify({
      id,
      object: 'chat.completion',
      created: 0,
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: toolCalls.length > 0 && text === '' ? null : text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
          finish_reason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
        },
      ],
      usage: usageOf(reply),
    }),
  );
}

function writeStream(res: ServerResponse, id: string, model: string, reply: ScriptedReply, includeUsage: boolean): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
  chunk({ role: 'assistant', content: '' });
  const text = 'text' in reply ? reply.text : '';
  // Word by word, keeping the spaces, as providers stream tokens.
  for (const token of text.match(/\S+\s*|\s+/g) ?? []) chunk({ content: token });
  toolCallsOf(reply).forEach((call, index) => {
    chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] });
    chunk({ tool_calls: [{ index, function: { arguments: call.function.arguments } }] });
  });
  chunk({}, toolCallsOf(reply).length > 0 ? 'tool_calls' : 'stop');
  if (includeUsage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [], usage: usageOf(reply) })}\n\n`);
  res.end('data: [DONE]\n\n');
}

/** Width of the test server's embeddings. */
export const TEST_EMBEDDING_DIMENSIONS = 32;

/**
 * The test server's embedding of a text: each word (and each pair of Chinese characters) hashed to
 * one of 32 dimensions, so texts sharing words point the same way, deterministically.
 */
export function testEmbedding(text: string): number[] {
  const vector = new Array<number>(TEST_EMBEDDING_DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+|[\u4e00-\u9fff]{1,2}/g) ?? []) {
    let hash = 2_166_136_261;
    for (const char of word) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 16_777_619) >>> 0;
    const dimension = hash % TEST_EMBEDDING_DIMENSIONS;
    vector[dimension] = (vector[dimension] ?? 0) + 1;
  }
  return vector;
}

export async function startOpenAiTestServer(): Promise<OpenAiTestServer> {
  const queue: ScriptedReply[] = [];
  let replies = 0;
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = (text === '' ? {} : JSON.parse(text)) as RecordedRequest['body'];
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      if (req.method === 'POST' && req.url === '/v1/embeddings') {
        const inputs = Array.isArray(body.input) ? (body.input as unknown[]) : [body.input];
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            object: 'list',
            model: body.model,
            data: inputs.map((input, index) => ({ object: 'embedding', index, embedding: testEmbedding(String(input)) })),
            usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
          }),
        );
        return;
      }
      // The connection test of both protocols; Anthropic's clients send `anthropic-version`.
      if (req.method === 'GET' && req.url === '/v1/models') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(req.headers['anthropic-version'] ? anthropicModelList() : { object: 'list', data: [{ id: 'test-model', object: 'model', created: 0, owned_by: 'test' }] }));
        return;
      }
      const anthropic = req.url === '/v1/messages';
      if (req.method !== 'POST' || (!anthropic && req.url !== '/v1/chat/completions')) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } }));
        return;
      }
      const reply: ScriptedReply = queue.shift() ?? { status: 500, message: 'the test queued no reply for this request' };
      if ('hang' in reply) {
        hanging.add(res);
        return;
      }
      const model = typeof body.model === 'string' ? body.model : 'test-model';
      if (anthropic) {
        if ('status' in reply) writeAnthropicError(res, reply);
        else if (body.stream === true) writeAnthropicStream(res, model, reply);
        else writeAnthropicMessage(res, model, reply);
        return;
      }
      if ('status' in reply) {
        res.writeHead(reply.status, { 'Content-Type': 'application/json', ...(reply.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(reply.retryAfterSeconds) }) });
        res.end(JSON.stringify({ error: { message: reply.message ?? `status ${reply.status}`, type: 'test_error', code: null } }));
        return;
      }
      const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
      // A fresh id per reply, as providers give: LangGraph's messages reducer takes a message whose
      // id it already holds for an edit of that message.
      const id = `chatcmpl-test-${(replies += 1)}`;
      if (body.stream === true) writeStream(res, id, model, reply, streamOptions?.include_usage === true);
      else writeCompletion(res, id, model, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    anthropicBaseUrl: `http://127.0.0.1:${port}`,
    requests,
    reply: (...replies) => {
      queue.push(...replies);
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
