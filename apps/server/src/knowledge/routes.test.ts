import type { RunEvent } from '@loomflow/graph-schema';
import { startOpenAiTestServer } from '@loomflow/openai-test-server';
import { minimalPdf } from '@loomflow/knowledge/testing/minimal-pdf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../errors';
import { createTestApp, jsonRequest as json } from '../testing/fixtures';
import { readSse } from '../testing/sse';

const ragNoteZh = 'RAG 是检索增强生成的缩写，通过先从数据库或文档集合中检索到相关信息，然后利用生成模型来生成最终的输出。';
const refundsMarkdown = '# Refunds\n\nRefunds reach the customer within five working days.\n\n# Escalation\n\nAsk the support lead when a customer is angry.';

let test: Awaited<ReturnType<typeof createTestApp>>;
const request = (path: string, init?: RequestInit) => test.app.request(path, init);
const errorOf = async (res: Response) => ((await res.json()) as ApiErrorBody).error;

beforeEach(async () => {
  test = await createTestApp({}, { maxDocumentBytes: 4096 });
  expect((await request('/api/knowledge-bases', json('POST', { id: 'handbook', name: 'Support handbook' }))).status).toBe(201);
});
afterEach(() => test.dispose());

async function addDocument(body: Record<string, unknown>): Promise<Response> {
  return request('/api/knowledge-bases/handbook/documents', json('POST', body));
}

describe('/api/knowledge-bases', () => {
  it('creates, lists and deletes knowledge bases, refusing a taken id and bad settings', async () => {
    expect(await errorOf(await request('/api/knowledge-bases', json('POST', { id: 'handbook', name: 'Again' })))).toMatchObject({ code: 'knowledge_base_exists' });
    const badOverlap = await request('/api/knowledge-bases', json('POST', { id: 'other', name: 'Other', chunkSize: 200, chunkOverlap: 200 }));
    expect(badOverlap.status).toBe(400);
    expect(JSON.stringify(await badOverlap.json())).toContain('chunkOverlap');
    expect(await (await request('/api/knowledge-bases')).json()).toMatchObject({ items: [{ id: 'handbook', name: 'Support handbook', documentCount: 0, chunkCount: 0, embedding: null }] });

    expect((await request('/api/knowledge-bases/handbook', { method: 'DELETE' })).status).toBe(204);
    expect(await errorOf(await request('/api/knowledge-bases/handbook'))).toMatchObject({ code: 'knowledge_base_not_found', message: 'No knowledge base with id "handbook".' });
    expect((await request('/api/knowledge-bases/handbook', { method: 'DELETE' })).status).toBe(404);
  });

  it('takes text, Markdown by its name and a PDF in base64, and finds their passages, Chinese included', async () => {
    expect((await addDocument({ source: 'rag.txt', text: ragNoteZh })).status).toBe(201);
    const markdown = await addDocument({ source: 'refunds.md', text: refundsMarkdown });
    expect(await markdown.json()).toMatchObject({ source: 'refunds.md', mediaType: 'text/markdown', chunkCount: 1 });
    const pdf = Buffer.from(minimalPdf(['Receipts are kept for ten years.'])).toString('base64');
    expect(await (await addDocument({ source: 'policy.pdf', contentBase64: pdf })).json()).toMatchObject({ mediaType: 'application/pdf' });

    const search = async (query: string) => (await (await request('/api/knowledge-bases/handbook/search', json('POST', { query, mode: 'keyword', topK: 3 }))).json()) as { items: { source: string; content: string }[] };
    expect((await search('什么是检索增强生成')).items.map((hit) => hit.source)).toEqual(['rag.txt']);
    expect((await search('how long do refunds take')).items[0]).toMatchObject({ source: 'refunds.md', content: expect.stringContaining('five working days') });
    expect((await search('receipts')).items.map((hit) => hit.source)).toEqual(['policy.pdf']);

    const documents = (await (await request('/api/knowledge-bases/handbook/documents')).json()) as { items: { id: string; source: string }[] };
    expect(documents.items.map((document) => document.source)).toEqual(['rag.txt', 'refunds.md', 'policy.pdf']);
    const rag = documents.items[0]?.id ?? '';
    expect((await request(`/api/knowledge-bases/handbook/documents/${rag}`, { method: 'DELETE' })).status).toBe(204);
    expect(await errorOf(await request(`/api/knowledge-bases/handbook/documents/${rag}`, { method: 'DELETE' }))).toMatchObject({ code: 'document_not_found' });
    expect((await search('检索')).items).toEqual([]);
  });

  it('refuses a document it cannot take, saying why, and keeps nothing of it', async () => {
    expect(await errorOf(await addDocument({ source: 'big.txt', text: 'x'.repeat(5000) }))).toMatchObject({
      code: 'document_too_large',
      message: expect.stringContaining('LOOMFLOW_MAX_DOCUMENT_BYTES'),
    });
    const unknown = await addDocument({ source: 'data.bin', contentBase64: Buffer.from('binary').toString('base64') });
    expect(unknown.status).toBe(415);
    expect((await errorOf(unknown)).message).toContain('"data.bin"');
    const broken = await addDocument({ source: 'broken.pdf', contentBase64: Buffer.from('%PDF-1.4 broken').toString('base64') });
    expect(broken.status).toBe(422);
    expect(await errorOf(broken)).toMatchObject({ code: 'document_unreadable', message: expect.stringContaining('"broken.pdf"') });
    expect((await addDocument({ source: 'both.txt', text: 'a', contentBase64: 'YQ==' })).status).toBe(400);
    expect((await request('/api/knowledge-bases/nowhere/documents', json('POST', { source: 'a.txt', text: 'a' }))).status).toBe(404);
    expect(await errorOf(await request('/api/knowledge-bases/handbook/search', json('POST', { query: 'refunds', mode: 'vector' })))).toMatchObject({ code: 'no_embedding_model' });
    expect(await (await request('/api/knowledge-bases/handbook')).json()).toMatchObject({ documentCount: 0, chunkCount: 0 });
  });

  it('embeds passages with the embedding model of a provider, and searches by vector and by both', async () => {
    const embeddings = await startOpenAiTestServer();
    try {
      const withProvider = await createTestApp({ environment: { EMBED_KEY: 'sk-embedding-key-0123456789' } });
      const call = (path: string, init?: RequestInit) => withProvider.app.request(path, init);
      try {
        expect((await call('/api/settings/providers/embedder', json('PUT', { kind: 'openai-compatible', baseUrl: embeddings.baseUrl, apiKeyEnv: 'EMBED_KEY' }))).status).toBe(200);
        const created = await call('/api/knowledge-bases', json('POST', { id: 'semantic', name: 'Semantic', embedding: { model: 'embed-small', credential: 'embedder' } }));
        expect(await created.json()).toMatchObject({ embedding: { model: 'embed-small', credential: 'embedder' } });
        for (const [source, text] of [['rag.txt', ragNoteZh], ['refunds.md', refundsMarkdown]] as const) {
          expect((await call('/api/knowledge-bases/semantic/documents', json('POST', { source, text }))).status).toBe(201);
        }
        expect(embeddings.requests.filter((request) => request.path === '/v1/embeddings')).toHaveLength(2);
        expect(embeddings.requests[0]?.headers.authorization).toBe('Bearer sk-embedding-key-0123456789');

        for (const mode of ['vector', 'hybrid']) {
          const found = (await (await call('/api/knowledge-bases/semantic/search', json('POST', { query: 'refunds customer days', mode, topK: 1 }))).json()) as { items: { source: string }[] };
          expect(found.items.map((hit) => hit.source)).toEqual(['refunds.md']);
        }
        const bad = await call('/api/knowledge-bases', json('POST', { id: 'bad', name: 'Bad', embedding: { model: 'x', baseUrl: 'ftp://nowhere' } }));
        expect(bad.status).toBe(400);

        // Anthropic has no embedding models: a base naming an Anthropic provider sends its key nowhere.
        const before = embeddings.requests.length;
        await call('/api/settings/providers/claude', json('PUT', { kind: 'anthropic', baseUrl: embeddings.anthropicBaseUrl, apiKeyEnv: 'EMBED_KEY' }));
        await call('/api/knowledge-bases', json('POST', { id: 'claude', name: 'Claude', embedding: { model: 'embed-small', credential: 'claude' } }));
        const anthropic = await call('/api/knowledge-bases/claude/documents', json('POST', { source: 'refunds.md', text: refundsMarkdown }));
        expect(anthropic.status).toBe(422);
        expect(await errorOf(anthropic)).toMatchObject({ code: 'embedding_misconfigured', message: expect.stringContaining('has no embedding models') });
        expect(embeddings.requests).toHaveLength(before);
      } finally {
        await withProvider.dispose();
      }
    } finally {
      await embeddings.close();
    }
  });

  it("keeps a provider's key to the provider's address: no base may name both, nor reach loopback by a baseUrl of its own", async () => {
    const embeddings = await startOpenAiTestServer();
    try {
      const both = await request('/api/knowledge-bases', json('POST', { id: 'both', name: 'Both', embedding: { model: 'embed-small', credential: 'embedder', baseUrl: 'https://collector.example/v1' } }));
      expect(both.status).toBe(400);
      expect(await errorOf(both)).toMatchObject({
        code: 'invalid_request',
        message: expect.stringContaining('embedding.baseUrl: must be empty when the model names a provider'),
        details: { issues: [{ path: 'embedding.baseUrl', message: expect.any(String) }] },
      });
      expect((await request('/api/knowledge-bases/both')).status).toBe(404);
      // A password in a base's address would be shown to all who read the base, and in errors.
      const withUser = await request('/api/knowledge-bases', json('POST', { id: 'user', name: 'User', embedding: { model: 'embed-small', baseUrl: 'https://me:secret@embed.example/v1' } }));
      expect(withUser.status).toBe(400);
      const userError = await errorOf(withUser);
      expect(userError).toMatchObject({ message: expect.stringContaining('embedding.baseUrl: must be an http:// or https:// address without a user name or password') });
      expect(JSON.stringify(userError)).not.toContain('secret');

      await request('/api/knowledge-bases', json('POST', { id: 'loopback', name: 'Loopback', embedding: { model: 'embed-small', baseUrl: embeddings.baseUrl } }));
      const refused = await request('/api/knowledge-bases/loopback/documents', json('POST', { source: 'refunds.md', text: refundsMarkdown }));
      expect(refused.status).toBe(422);
      expect(await errorOf(refused)).toMatchObject({ code: 'embedding_refused', message: expect.stringContaining('(loopback) is not a public address; add "127.0.0.1:') });
      expect(embeddings.requests).toHaveLength(0);
    } finally {
      await embeddings.close();
    }
  });

  it('answers an embedding model that fails during an upload with 502, naming the model and the cause, never the key', async () => {
    const embeddings = await startOpenAiTestServer();
    const key = 'sk-embedding-key-0123456789';
    const withProvider = await createTestApp({ environment: { EMBED_KEY: key } });
    const call = (path: string, init?: RequestInit) => withProvider.app.request(path, init);
    try {
      // The provider's origin without its version path: the server there has no such route.
      expect((await call('/api/settings/providers/embedder', json('PUT', { kind: 'openai-compatible', baseUrl: embeddings.anthropicBaseUrl, apiKeyEnv: 'EMBED_KEY' }))).status).toBe(200);
      await call('/api/knowledge-bases', json('POST', { id: 'semantic', name: 'Semantic', embedding: { model: 'embed-small', credential: 'embedder' } }));
      const failed = await call('/api/knowledge-bases/semantic/documents', json('POST', { source: 'refunds.md', text: refundsMarkdown }));
      expect(failed.status).toBe(502);
      const error = await errorOf(failed);
      expect(error).toMatchObject({ code: 'embedding_failed', message: expect.stringMatching(/^the embedding model "embed-small" at provider "embedder" failed: 404 /) });
      expect(JSON.stringify(error)).not.toContain(key);
      expect(embeddings.requests[0]?.headers.authorization).toBe(`Bearer ${key}`);
      expect(await (await call('/api/knowledge-bases/semantic')).json()).toMatchObject({ documentCount: 0 });
    } finally {
      await withProvider.dispose();
      await embeddings.close();
    }
  });

  it("is what a flow's retrieval step searches when it runs on the server", async () => {
    await addDocument({ source: 'refunds.md', text: refundsMarkdown });
    const at = { x: 0, y: 0 };
    const flow = {
      schemaVersion: 1,
      id: 'answer',
      name: 'Answer',
      kind: 'agent',
      state: { channels: [{ name: 'question', type: 'string' }, { name: 'documents', type: 'array' }] },
      nodes: [
        { id: 'start', type: 'agent.start', position: at },
        { id: 'find', type: 'agent.retriever', position: at, config: { knowledgeBase: 'handbook', query: '{{question}}', mode: 'hybrid', topK: 1 } },
        { id: 'end', type: 'agent.end', position: at },
      ],
      edges: [
        { id: 'e0', source: 'start', target: 'find' },
        { id: 'e1', source: 'find', target: 'end' },
      ],
    };
    expect((await request('/api/flows', json('POST', flow))).status).toBe(201);
    const { runId } = (await (await request('/api/flows/answer/runs', json('POST', { input: { question: 'When do refunds arrive?' } }))).json()) as { runId: string };
    let last: RunEvent | undefined;
    for await (const message of readSse((await request(`/api/runs/${runId}/events`)).body as ReadableStream<Uint8Array>)) last = JSON.parse(message.data) as RunEvent;
    expect(last).toMatchObject({ type: 'run.completed', state: { documents: [{ source: 'refunds.md', position: 0, content: expect.stringContaining('five working days') }] } });
  });
});
