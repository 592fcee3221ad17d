// Model and embedding requests through the network guard, with the real OpenAI and Anthropic
// clients: a listener on loopback stands in for whatever a flow's author would like to reach, and
// counts every connection it gets.
import { MemorySaver } from '@langchain/langgraph';
import type { ModelConfig, RunEvent } from '@loomflow/graph-schema';
import { startOpenAiTestServer, TEST_EMBEDDING_DIMENSIONS } from '@loomflow/openai-test-server';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { NodeExecutionError } from '../errors';
import { FlowRuntime } from '../flow-runtime';
import { askFlow } from '../testing/flows';
import { EmbeddingError, providerEmbedders } from './embedder';
import { createModelFactory, type ModelFactoryOptions } from './model-factory';

const KEY = 'sk-operator-key-that-must-stay-home';

/** A server that answers every request with `answer` and counts what reaches it. */
async function listener(answer: (port: number) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 })) {
  let connections = 0;
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    const { status, headers } = answer(port);
    res.writeHead(status, headers).end('{}');
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    get connections() {
      return connections;
    },
    get requests() {
      return requests;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const attacker = await listener();
const provider = await startOpenAiTestServer();
afterAll(() => Promise.all([attacker.close(), provider.close()]));
beforeEach(() => {
  provider.requests.length = 0;
});

async function failureOf(options: ModelFactoryOptions, model: Record<string, unknown>): Promise<Extract<RunEvent, { type: 'run.failed' }>> {
  const runtime = new FlowRuntime({ checkpointer: new MemorySaver(), hostServices: { models: createModelFactory(options), credentials: { resolve: async () => KEY } } });
  const events: RunEvent[] = [];
  // Attempts the node would make if the failure were retryable.
  for await (const event of runtime.compile(askFlow({ model, retry: { maxAttempts: 3, initialIntervalMs: 0, backoffFactor: 1 } })).run({ question: 'hi' })) events.push(event);
  const last = events.at(-1);
  if (last?.type !== 'run.failed') throw new Error(`expected the run to fail, it ended with ${last?.type}`);
  return last;
}

describe('model requests through the network guard', () => {
  it("refuse a flow's own baseUrl on loopback before connecting, once, saying where a private model server belongs", async () => {
    for (const model of [
      { provider: 'openai-compatible', model: 'test-model', baseUrl: `http://127.0.0.1:${attacker.port}/v1` },
      { provider: 'anthropic', model: 'claude-test', baseUrl: `http://127.0.0.1:${attacker.port}` },
    ]) {
      const failed = await failureOf({}, model);
      expect(failed).toMatchObject({ nodeId: 'ask', error: { code: 'llm.refused' } });
      expect(failed.error.message).toBe(
        `node "ask": the model "${model.model}" at ${model.baseUrl} may not be called: refused 127.0.0.1:${attacker.port}: 127.0.0.1 (loopback) is not a public address; add "127.0.0.1:${attacker.port}" to the settings as a model provider to permit it; a flow's own baseUrl reaches only public addresses`,
      );
    }
    expect(attacker.connections).toBe(0);
  });

  it('resolve a host name once through lookupHost, and refuse it when it leads to a private address', async () => {
    const lookups: string[] = [];
    const lookupHost = async (hostname: string) => {
      lookups.push(hostname);
      return ['127.0.0.1'];
    };
    const failed = await failureOf({ lookupHost, providerSetting: 'the command line as a --provider' }, { model: 'test-model', baseUrl: `http://models.example.com:${attacker.port}/v1` });
    expect(failed.error).toMatchObject({ code: 'llm.refused', message: expect.stringContaining(`it resolves to 127.0.0.1 (loopback), not a public address; add "models.example.com:${attacker.port}" to the command line as a --provider`) });
    expect(lookups).toEqual(['models.example.com']);
    expect(attacker.connections).toBe(0);
  });

  it('refuse a model that names a provider and a baseUrl before resolving the provider or sending anything', async () => {
    const asked: string[] = [];
    const factory = createModelFactory({
      resolveProvider: async (name) => {
        asked.push(name);
        return { baseUrl: provider.baseUrl };
      },
    });
    for (const kind of ['openai-compatible', 'anthropic'] as const) {
      // As a host that skips validateFlow would pass it.
      const config = { provider: kind, model: 'test-model', temperature: 0, credential: 'local', baseUrl: `http://127.0.0.1:${attacker.port}/v1` } as ModelConfig;
      const refused = await factory.create(config, { nodeId: 'ask', apiKey: KEY }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(NodeExecutionError);
      expect(refused).toMatchObject({ code: 'llm.credential', retryable: false });
      expect((refused as Error).message).toBe(`node "ask": the model names model provider "local" and a baseUrl; a provider's key goes only to the provider's own address, so remove the baseUrl`);
    }
    expect(asked).toEqual([]);
    expect(attacker.connections).toBe(0);
    expect(provider.requests).toHaveLength(0);
  });

  it("send a provider's key to its own host and port only: a redirect from it is not followed, not even to a public address", async () => {
    // The guard would refuse the attacker on loopback anyway: a public name that resolves to it shows the redirect is not followed at all.
    const redirector = await listener(() => ({ status: 307, headers: { location: `http://collector.example.com:${attacker.port}/v1/chat/completions` } }));
    const lookupHost = async () => ['93.184.215.14'];
    try {
      const failed = await failureOf({ resolveProvider: async () => ({ baseUrl: `http://127.0.0.1:${redirector.port}/v1` }), lookupHost }, { model: 'test-model', credential: 'local' });
      expect(failed.error).toMatchObject({
        code: 'llm.redirect',
        message: 'node "ask": the model "test-model" at provider "local" failed: it redirects (307) to another address, where its key is not sent; set the address it redirects to as the base URL',
      });
      expect(JSON.stringify(failed)).not.toContain(KEY);
      expect(redirector.requests).toBe(1);
      expect(attacker.connections).toBe(0);
    } finally {
      await redirector.close();
    }
  });
});

describe('embedding requests through the network guard', () => {
  const embedders = providerEmbedders(async (name) => (name === 'local' ? { baseUrl: provider.baseUrl, apiKey: KEY } : name === 'claude' ? { baseUrl: provider.anthropicBaseUrl, apiKey: KEY, kind: 'anthropic' } : undefined));
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error as EmbeddingError,
    );

  it("embed with a provider's model at its address on loopback, with its key", async () => {
    const vectors = await embedders({ model: 'embed-small', credential: 'local' }).embed(['refunds', 'returns']);
    expect(vectors.map((vector) => vector.length)).toEqual([TEST_EMBEDDING_DIMENSIONS, TEST_EMBEDDING_DIMENSIONS]);
    expect(provider.requests[0]).toMatchObject({ path: '/v1/embeddings', headers: { authorization: `Bearer ${KEY}` }, body: { model: 'embed-small' } });
  });

  it("refuse a base's own baseUrl on loopback before connecting", async () => {
    const refused = await failure(embedders({ model: 'embed-small', baseUrl: `http://127.0.0.1:${attacker.port}/v1` }).embed(['refunds']));
    expect(refused).toBeInstanceOf(EmbeddingError);
    expect(refused).toMatchObject({
      code: 'embedding_refused',
      message: `the embedding model "embed-small" at http://127.0.0.1:${attacker.port}/v1 may not be called: refused 127.0.0.1:${attacker.port}: 127.0.0.1 (loopback) is not a public address; add "127.0.0.1:${attacker.port}" to the settings as a model provider to permit it; a knowledge base's own baseUrl reaches only public addresses`,
    });
    expect(attacker.connections).toBe(0);
  });

  it('refuse settings that name a provider and a baseUrl, an unknown provider or an Anthropic one, before any request', async () => {
    expect(await failure(embedders({ model: 'embed-small', credential: 'local', baseUrl: `http://127.0.0.1:${attacker.port}/v1` }).embed(['refunds']))).toMatchObject({
      code: 'embedding_misconfigured',
      message: `the embedding model "embed-small" names model provider "local" and a baseUrl; a provider's key goes only to the provider's own address, so remove the baseUrl`,
    });
    expect(await failure(embedders({ model: 'embed-small', credential: 'nowhere' }).embed(['refunds']))).toMatchObject({ code: 'embedding_misconfigured', message: expect.stringContaining('no model provider "nowhere"') });
    expect(await failure(embedders({ model: 'embed-small', credential: 'claude' }).embed(['refunds']))).toMatchObject({ code: 'embedding_misconfigured', message: expect.stringContaining('has no embedding models') });
    // Settings stored before the server refused them: the password goes nowhere, not even into the message.
    const withUser = await failure(embedders({ model: 'embed-small', baseUrl: `http://me:hunter2@127.0.0.1:${attacker.port}/v1` }).embed(['refunds']));
    expect(withUser).toMatchObject({ code: 'embedding_misconfigured', message: `the embedding model "embed-small" has a baseUrl (http://***@127.0.0.1:${attacker.port}) that is not an http:// or https:// address without a user name or password` });
    expect(await failure(embedders({ model: 'embed-small', baseUrl: 'file:///etc/passwd' }).embed(['refunds']))).toMatchObject({ code: 'embedding_misconfigured', message: expect.stringContaining('(file://)') });
    expect(attacker.connections).toBe(0);
    expect(provider.requests).toHaveLength(0);
  });

  it('say which model failed and why, never with the key', async () => {
    // The provider's origin without the version path: the test server has no such route.
    const wrongPath = providerEmbedders(async () => ({ baseUrl: provider.anthropicBaseUrl, apiKey: KEY }));
    const failed = await failure(wrongPath({ model: 'embed-small', credential: 'local' }).embed(['refunds']));
    expect(failed).toMatchObject({ code: 'embedding_failed', message: expect.stringMatching(/^the embedding model "embed-small" at provider "local" failed: 404 .*no route POST \/embeddings/) });
    expect(failed?.message).not.toContain(KEY);
  });
});

/**
 * A provider whose every answer has no end: a chat completion streamed as tiny deltas for ever, or
 * a JSON body (an embedding) that never closes. It counts requests and reports each hang-up.
 */
async function endlessProvider() {
  let requests = 0;
  const hangUps: (() => void)[] = [];
  let hungUp = 0;
  const server = createServer((req, res) => {
    requests += 1;
    res.on('close', () => {
      hungUp += 1;
      hangUps.shift()?.();
    });
    const streamed = req.url?.endsWith('/chat/completions') ?? false;
    res.writeHead(200, { 'content-type': streamed ? 'text/event-stream' : 'application/json' });
    const delta = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'la ' }, finish_reason: null }] })}\n\n`;
    const chunk = Buffer.from(streamed ? delta.repeat(256) : 'x'.repeat(64 * 1024));
    if (!streamed) res.write('{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,');
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
    };
    res.on('drain', pump);
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return requests;
    },
    /** Resolves once the client hung up on `count` answers in all. */
    hungUpOn: (count: number) => new Promise<void>((resolve) => (hungUp >= count ? resolve() : hangUps.push(resolve))),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('answers over maxResponseBytes', () => {
  it('fail a model streaming without end, not retried, and hang up on it', async () => {
    const endless = await endlessProvider();
    try {
      const options = { resolveProvider: async () => ({ baseUrl: endless.baseUrl }), maxResponseBytes: 1024 * 1024, maxResponseBytesSetting: 'MODEL_LIMIT' };
      const failed = await failureOf(options, { model: 'test-model', credential: 'local' });
      expect(failed).toMatchObject({ nodeId: 'ask', error: { code: 'llm.too_large', message: 'node "ask": the model "test-model" at provider "local" failed: its answer is over 1048576 bytes, the limit set by MODEL_LIMIT' } });
      // The node's policy allows three attempts; the same answer would come again.
      expect(endless.requests).toBe(1);
      await endless.hungUpOn(1);
    } finally {
      await endless.close();
    }
  });

  it('fail an embedding whose answer has no end, naming the limit', async () => {
    const endless = await endlessProvider();
    try {
      const embedders = providerEmbedders(async () => ({ baseUrl: endless.baseUrl, apiKey: KEY }), { maxResponseBytes: 256 * 1024 });
      const failed = await embedders({ model: 'embed-small', credential: 'local' })
        .embed(['refunds'])
        .then(
          () => undefined,
          (error: unknown) => error as EmbeddingError,
        );
      expect(failed).toMatchObject({ code: 'embedding_failed', message: expect.stringContaining('its answer is over 262144 bytes') });
      await endless.hungUpOn(endless.requests);
    } finally {
      await endless.close();
    }
  });
});
