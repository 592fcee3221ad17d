import { createClient, type Client } from '@libsql/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KnowledgeError, KnowledgeStore, type Embedder } from './index';
import { minimalPdf } from './testing/minimal-pdf';

// Sentences of the seed notes the product comes from, in the languages its users write.
const ragNoteZh =
  'RAG 是检索增强生成的缩写，这是一个跨越检索和生成任务的框架，通过先从数据库或文档集合中检索到相关信息，然后利用生成模型来生成最终的输出。';
const embeddingNoteZh = '在检索增强生成系统中，Embedding Model 通常是用来生成更大粒度文本块的嵌入。';
const agentNoteEn = 'A ReAct agent alternates between reasoning about the task and acting with tools until it can answer.';

const encode = (text: string) => new TextEncoder().encode(text);

/**
 * A stand-in for an embedding model: each word of a small vocabulary is one dimension, so texts
 * sharing words point the same way. What is under test is the libsql vector index and the fusion.
 */
const vocabulary = ['检索', '生成', '嵌入', 'embedding', 'react', 'agent', 'tools', 'pdf', 'rank'];
const countingEmbedder = (calls: string[][] = []): Embedder => ({
  embed: (texts) => {
    calls.push([...texts]);
    return Promise.resolve(texts.map((text) => vocabulary.map((word) => (text.toLowerCase().includes(word) ? 1 : 0.01))));
  },
});

let directory: string;
let client: Client;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'loomflow-knowledge-'));
  client = createClient({ url: `file:${join(directory, 'knowledge.db')}` });
});

afterEach(() => {
  client.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('knowledge bases', () => {
  it('are created once, listed with their counts, and kept across reopening the database', async () => {
    const store = await KnowledgeStore.open(client);
    await store.create({ id: 'handbook', name: 'Handbook', description: 'How we work' });
    await expect(store.create({ id: 'handbook', name: 'Again' })).rejects.toMatchObject({ code: 'knowledge_base_exists' });
    await store.addDocument('handbook', { source: 'agents.md', mediaType: 'text/markdown', content: encode(`# Agents\n\n${agentNoteEn}`) });

    client.close();
    client = createClient({ url: `file:${join(directory, 'knowledge.db')}` });
    const reopened = await KnowledgeStore.open(client);
    expect(await reopened.list()).toEqual([
      expect.objectContaining({ id: 'handbook', name: 'Handbook', description: 'How we work', chunkSize: 800, chunkOverlap: 100, embedding: null, documentCount: 1, chunkCount: 1 }),
    ]);
    expect(await reopened.get('missing')).toBeUndefined();
  });

  it('find Chinese passages by the words of a Chinese question, which the default FTS5 tokenizer would not split', async () => {
    const store = await KnowledgeStore.open(client);
    await store.create({ id: 'notes', name: 'Notes' });
    await store.addDocument('notes', { source: 'rag.txt', mediaType: 'text/plain', content: encode(ragNoteZh) });
    await store.addDocument('notes', { source: 'react.txt', mediaType: 'text/plain', content: encode(agentNoteEn) });

    const zh = await store.search('notes', { query: '什么是检索增强生成？', mode: 'keyword', topK: 3 });
    expect(zh.map((hit) => hit.source)).toEqual(['rag.txt']);
    expect(zh[0]).toMatchObject({ content: ragNoteZh, position: 0 });
    expect(zh[0]?.score).toBeGreaterThan(0);

    const en = await store.search('notes', { query: 'How does a ReAct agent use tools?', mode: 'keyword', topK: 3 });
    expect(en.map((hit) => hit.source)).toEqual(['react.txt']);
    expect(await store.search('notes', { query: '？？', mode: 'keyword', topK: 3 })).toEqual([]);
  });

  it('read Markdown, HTML and PDF, cutting long text into passages at their places', async () => {
    const store = await KnowledgeStore.open(client);
    await store.create({ id: 'docs', name: 'Docs', chunkSize: 120, chunkOverlap: 0 });
    const markdown = ['# Retrieval', '', ragNoteZh, '', '## Agents', '', agentNoteEn].join('\n');
    const fromMarkdown = await store.addDocument('docs', { source: 'guide.md', mediaType: 'text/markdown', content: encode(markdown) });
    expect(fromMarkdown.chunkCount).toBeGreaterThan(1);

    const html = `<html><head><style>p { color: red }</style></head><body><h1>Fusion</h1><p>Reciprocal <b>rank</b> fusion merges <a href="https://example.com">keyword</a> and vector lists.</p></body></html>`;
    await store.addDocument('docs', { source: 'fusion.html', mediaType: 'text/html', content: encode(html) });
    const pdf = minimalPdf(['Invoices above 5000 EUR need a director.', 'Receipts are kept for ten years.']);
    await store.addDocument('docs', { source: 'policy.pdf', mediaType: 'application/pdf', content: pdf });

    const [fusion] = await store.search('docs', { query: 'rank fusion', mode: 'keyword', topK: 1 });
    expect(fusion).toMatchObject({ source: 'fusion.html' });
    expect(fusion?.content).toContain('Reciprocal rank fusion merges keyword and vector lists.');
    expect(fusion?.content).not.toMatch(/<|color|example\.com/);
    const [policy] = await store.search('docs', { query: 'receipts director', mode: 'keyword', topK: 1 });
    expect(policy?.source).toBe('policy.pdf');
    expect(policy?.content).toContain('Receipts are kept for ten years.');
    const [agents] = await store.search('docs', { query: 'ReAct', mode: 'keyword', topK: 1 });
    expect(agents).toMatchObject({ source: 'guide.md' });
    expect(agents?.position).toBeGreaterThan(0);

    expect((await store.listDocuments('docs')).map((document) => [document.source, document.mediaType])).toEqual([
      ['guide.md', 'text/markdown'],
      ['fusion.html', 'text/html'],
      ['policy.pdf', 'application/pdf'],
    ]);
  });

  it('take documents added at the same time, each whole', async () => {
    const store = await KnowledgeStore.open(client);
    await store.create({ id: 'busy', name: 'Busy', chunkSize: 40, chunkOverlap: 0 });
    const texts = Array.from({ length: 8 }, (_, index) => `Document ${index} talks about topic${index}. `.repeat(6));
    await Promise.all(texts.map((text, index) => store.addDocument('busy', { source: `doc-${index}.txt`, mediaType: 'text/plain', content: encode(text) })));
    const documents = await store.listDocuments('busy');
    expect(documents).toHaveLength(8);
    for (let index = 0; index < 8; index += 1) {
      const hits = await store.search('busy', { query: `topic${index}`, mode: 'keyword', topK: 50 });
      expect(new Set(hits.map((hit) => hit.source))).toEqual(new Set([`doc-${index}.txt`]));
      expect(hits).toHaveLength(documents.find((document) => document.source === `doc-${index}.txt`)?.chunkCount ?? -1);
    }
  });

  it('refuse what they cannot index, by name, and store nothing of it', async () => {
    const store = await KnowledgeStore.open(client);
    await store.create({ id: 'docs', name: 'Docs' });
    await expect(store.addDocument('docs', { source: 'broken.pdf', mediaType: 'application/pdf', content: encode('%PDF-1.4 not really') })).rejects.toMatchObject({
      code: 'document_unreadable',
      message: expect.stringContaining('"broken.pdf"'),
    });
    await expect(store.addDocument('docs', { source: 'blank.txt', mediaType: 'text/plain', content: encode('  \n\n ') })).rejects.toMatchObject({ code: 'document_empty' });
    await expect(store.addDocument('nowhere', { source: 'a.txt', mediaType: 'text/plain', content: encode('text') })).rejects.toBeInstanceOf(KnowledgeError);
    expect(await store.listDocuments('docs')).toEqual([]);
  });

  it('search by vector and by both lists fused when the host gives the base an embedder', async () => {
    const calls: string[][] = [];
    const embedder = countingEmbedder(calls);
    const store = await KnowledgeStore.open(client, { embedderOf: (base) => (base.embedding?.model === 'counting' ? embedder : undefined) });
    await store.create({ id: 'mixed', name: 'Mixed', embedding: { model: 'counting' } });
    await store.addDocument('mixed', { source: 'rag.txt', mediaType: 'text/plain', content: encode(ragNoteZh) });
    await store.addDocument('mixed', { source: 'embedding.txt', mediaType: 'text/plain', content: encode(embeddingNoteZh) });
    await store.addDocument('mixed', { source: 'react.txt', mediaType: 'text/plain', content: encode(agentNoteEn) });
    expect(calls).toEqual([[ragNoteZh], [embeddingNoteZh], [agentNoteEn]]);

    const vector = await store.search('mixed', { query: 'ReAct agent tools', mode: 'vector', topK: 3 });
    expect(vector[0]).toMatchObject({ source: 'react.txt' });
    expect(vector[0]?.score).toBeGreaterThan(0.9);
    expect(vector.map((hit) => hit.score)).toEqual([...vector.map((hit) => hit.score)].sort((a, b) => b - a));

    // 嵌入 is in one passage's words and in its embedding: both lists put it first.
    const hybrid = await store.search('mixed', { query: '嵌入', mode: 'hybrid', topK: 2 });
    expect(hybrid.map((hit) => hit.source)).toEqual(['embedding.txt', expect.any(String)]);
    expect(hybrid[0]?.score).toBeCloseTo(2 / 61, 6);

    expect(await store.search('mixed', { query: 'ReAct agent tools', mode: 'vector', topK: 3, scoreThreshold: 0.9 })).toHaveLength(1);
  });

  it('say a base without an embedding model cannot be searched by vector, and search it by keyword in hybrid mode', async () => {
    const store = await KnowledgeStore.open(client);
    await store.create({ id: 'plain', name: 'Plain' });
    await store.addDocument('plain', { source: 'react.txt', mediaType: 'text/plain', content: encode(agentNoteEn) });
    await expect(store.search('plain', { query: 'agent', mode: 'vector', topK: 3 })).rejects.toMatchObject({ code: 'no_embedding_model', message: expect.stringContaining('"plain"') });
    expect((await store.search('plain', { query: 'agent', mode: 'hybrid', topK: 3 })).map((hit) => hit.source)).toEqual(['react.txt']);
  });

  it('forget a deleted document, and a deleted base with all of it, leaving other bases as they were', async () => {
    const store = await KnowledgeStore.open(client, { embedderOf: () => countingEmbedder() });
    await store.create({ id: 'one', name: 'One', embedding: { model: 'counting' } });
    await store.create({ id: 'two', name: 'Two' });
    const rag = await store.addDocument('one', { source: 'rag.txt', mediaType: 'text/plain', content: encode(ragNoteZh) });
    await store.addDocument('one', { source: 'react.txt', mediaType: 'text/plain', content: encode(agentNoteEn) });
    await store.addDocument('two', { source: 'rag-copy.txt', mediaType: 'text/plain', content: encode(ragNoteZh) });

    await store.deleteDocument('one', rag.id);
    await expect(store.deleteDocument('one', rag.id)).rejects.toMatchObject({ code: 'document_not_found' });
    expect(await store.search('one', { query: '检索', mode: 'keyword', topK: 5 })).toEqual([]);
    expect((await store.search('one', { query: '检索 生成', mode: 'vector', topK: 5 })).map((hit) => hit.source)).toEqual(['react.txt']);

    expect(await store.delete('one')).toBe(true);
    expect(await store.delete('one')).toBe(false);
    expect((await store.list()).map((base) => base.id)).toEqual(['two']);
    expect((await store.search('two', { query: '检索', mode: 'keyword', topK: 5 })).map((hit) => hit.source)).toEqual(['rag-copy.txt']);
    const { rows } = await client.execute('SELECT COUNT(*) AS n FROM kb_chunks');
    expect(Number(rows[0]?.n)).toBe(1);
  });
});
