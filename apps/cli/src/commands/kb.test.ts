import { minimalPdf } from '@loomflow/knowledge/testing/minimal-pdf';
import { startOpenAiTestServer } from '@loomflow/openai-test-server';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli';
import type { CliIo } from '../io';
import { memoryIo } from '../memory-io';

const ragNoteZh = 'RAG 是检索增强生成的缩写，通过先从数据库或文档集合中检索到相关信息，然后利用生成模型来生成最终的输出。';
const at = { x: 0, y: 0 };
const answerFlow = JSON.stringify({
  schemaVersion: 1,
  id: 'answer',
  name: 'Answer',
  kind: 'agent',
  state: { channels: [{ name: 'question', type: 'string' }, { name: 'documents', type: 'array' }], output: ['documents'] },
  nodes: [
    { id: 'start', type: 'agent.start', position: at },
    { id: 'find', type: 'agent.retriever', position: at, config: { knowledgeBase: 'notes', query: '{{question}}', mode: 'keyword', topK: 1 } },
    { id: 'end', type: 'agent.end', position: at },
  ],
  edges: [
    { id: 'e0', source: 'start', target: 'find' },
    { id: 'e1', source: 'find', target: 'end' },
  ],
});

const files = { 'notes/rag.md': `# RAG\n\n${ragNoteZh}`, 'notes/readme.txt': 'Refunds reach the customer within five working days.', 'notes/data.bin': 'binary', 'answer.json': answerFlow };

let directory: string;
let db: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'loomflow-kb-'));
  db = `file:${join(directory, 'loomflow.db')}`;
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

/** The CLI over the memory files, with a PDF among them (bytes, not text). */
async function loomflow(...args: string[]) {
  const { io, output } = memoryIo(files);
  const pdf = minimalPdf(['Receipts are kept for ten years.']);
  const withPdf: CliIo = { ...io, readBytes: (path) => (path === 'notes/policy.pdf' ? Promise.resolve(pdf) : io.readBytes(path)) };
  const exitCode = await runCli([...args, '--db', db], withPdf);
  return { exitCode, ...output };
}

describe('loomflow kb', () => {
  it('creates a base, adds files of every kind, lists it and finds passages in Chinese and English', async () => {
    expect(await loomflow('kb', 'create', 'notes', '--name', 'Seed notes', '--chunk-size', '400')).toEqual({
      exitCode: 0,
      stdout: 'created knowledge base "notes" (passages of 400 characters, 100 repeated)\n',
      stderr: '',
    });
    expect(await loomflow('kb', 'add', 'notes', 'notes/rag.md', 'notes/readme.txt', 'notes/policy.pdf')).toEqual({
      exitCode: 0,
      stdout: 'added notes/rag.md: 1 passage\nadded notes/readme.txt: 1 passage\nadded notes/policy.pdf: 1 passage\n',
      stderr: '',
    });
    expect((await loomflow('kb', 'list')).stdout).toBe('notes\tSeed notes\t3 documents\t3 passages\n');

    const zh = await loomflow('kb', 'search', 'notes', '什么是检索增强生成');
    expect(zh.exitCode).toBe(0);
    expect(zh.stdout).toMatch(/^1\. rag\.md #0 {2}score \d+\.\d{4}\n {3}# RAG RAG 是检索增强生成的缩写/);
    const json = JSON.parse((await loomflow('kb', 'search', 'notes', 'receipts', '--mode', 'keyword', '--json')).stdout) as { source: string }[];
    expect(json.map((hit) => hit.source)).toEqual(['policy.pdf']);
    expect(await loomflow('kb', 'search', 'notes', 'nothing', 'matches')).toMatchObject({ exitCode: 0, stdout: '', stderr: 'no passages found\n' });
  });

  it('embeds passages with the embedding model of a --provider, for vector search', async () => {
    const embeddings = await startOpenAiTestServer();
    try {
      const provider = ['--provider', `embedder=${embeddings.baseUrl}`];
      expect((await loomflow('kb', 'create', 'notes', '--embedding-model', 'embed-small', '--embedding-provider', 'embedder')).exitCode).toBe(0);
      expect((await loomflow('kb', 'add', 'notes', 'notes/rag.md', 'notes/readme.txt', ...provider)).exitCode).toBe(0);
      expect(embeddings.requests.map((request) => request.body.model)).toEqual(['embed-small', 'embed-small']);
      const found = JSON.parse((await loomflow('kb', 'search', 'notes', 'refunds customer days', '--mode', 'vector', '--top-k', '1', '--json', ...provider)).stdout) as { source: string }[];
      expect(found.map((hit) => hit.source)).toEqual(['readme.txt']);
      // Without the provider, the model cannot be reached: said by name, nothing stored.
      expect(await loomflow('kb', 'add', 'notes', 'notes/rag.md')).toMatchObject({ exitCode: 1, stderr: expect.stringContaining('no model provider "embedder"') });
    } finally {
      await embeddings.close();
    }
  });

  it('is what a flow run by the CLI searches, in the same database', async () => {
    await loomflow('kb', 'create', 'notes');
    await loomflow('kb', 'add', 'notes', 'notes/readme.txt');
    const run = await loomflow('run', 'answer.json', '--input', '{"question": "When do refunds arrive?"}');
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ documents: [expect.objectContaining({ source: 'readme.txt', position: 0, content: 'Refunds reach the customer within five working days.' })] });
  });

  it('says what it refuses, by name, adding the files it can', async () => {
    expect(await loomflow('kb', 'add', 'notes', 'notes/rag.md')).toMatchObject({ exitCode: 1, stderr: 'loomflow: No knowledge base with id "notes"; create it with: loomflow kb create notes\n' });
    await loomflow('kb', 'create', 'notes');
    expect(await loomflow('kb', 'create', 'notes')).toMatchObject({ exitCode: 1, stderr: 'loomflow: A knowledge base with id "notes" exists already.\n' });
    const mixed = await loomflow('kb', 'add', 'notes', 'notes/data.bin', 'notes/missing.txt', 'notes/readme.txt');
    expect(mixed).toEqual({
      exitCode: 1,
      stdout: 'added notes/readme.txt: 1 passage\n',
      stderr:
        'loomflow: notes/data.bin: not a .txt, .md, .html or .pdf file by its name; say which it is with --media-type\n' +
        'loomflow: notes/missing.txt: cannot read it (ENOENT)\n',
    });
    expect(await loomflow('kb', 'search', 'notes', 'refunds', '--mode', 'vector')).toMatchObject({ exitCode: 1, stderr: expect.stringContaining('no embedding model') });
    expect(await loomflow('kb', 'search', 'notes', 'refunds', '--mode', 'fuzzy')).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('--mode must be keyword, vector or hybrid') });
    expect(await loomflow('kb', 'create', 'other', '--chunk-size', '50')).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('--chunk-size must be a whole number from 100') });
    expect(await loomflow('kb', 'delete', 'notes')).toMatchObject({ exitCode: 0, stdout: 'deleted knowledge base "notes"\n' });
    expect(await loomflow('kb', 'delete', 'notes')).toMatchObject({ exitCode: 1, stderr: 'loomflow: No knowledge base with id "notes".\n' });
  });
});
