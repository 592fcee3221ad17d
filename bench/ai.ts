// Retrieval over 10,000 passages in a knowledge base on a libsql file: p50/p95 per search mode.
// The peer of `vector` is the exact answer, a full scan ordering every passage by cosine
// distance (what a database without a vector index does): the ratio shows what libsql's index
// saves, and recall@k what it costs. Then the ReAct half (react.ts), under `react`: agent.react
// against a hand-written LangGraph ReAct graph. Run with `pnpm bench:ai` (`-- --only react` or
// `-- --only retrieval` for one half); prints JSON.
import { openLibsqlClient } from '@loomflow/checkpoint-libsql';
import { KnowledgeStore, type Embedder, type SearchMode } from '@loomflow/knowledge';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchReact } from './react';

const DOCUMENTS = 100;
const PASSAGES_PER_DOCUMENT = 100;
const QUERIES = 200;
const TOP_K = 5;
/** The width of small local embedding models (bge-small, all-MiniLM): what the index stores and compares. */
const DIMENSIONS = 384;

/** A seeded generator, so every run searches the same corpus with the same queries. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const english = 'agent tool model prompt retrieval passage index vector keyword search answer question refund invoice approval workflow state checkpoint graph node edge branch loop human task process gateway event timer message error retry budget policy customer order payment'.split(' ');
const chinese = '检索 增强 生成 模型 提示 工具 智能体 状态 节点 流程 审批 报销 发票 客户 订单 支付 知识库 向量 关键词 问题 答案 计划 执行 反思'.split(' ');
const next = random(42);
const pick = (words: readonly string[]) => words[Math.floor(next() * words.length)] as string;

/** A passage of about 400 characters: English sentences with a Chinese one among them. */
function passage(): string {
  const sentences: string[] = [];
  while (sentences.join(' ').length < 360) {
    sentences.push(next() < 0.3 ? `${Array.from({ length: 8 }, () => pick(chinese)).join('')}。` : `${Array.from({ length: 9 }, () => pick(english)).join(' ')}.`);
  }
  return sentences.join(' ');
}

/**
 * Stands in for an embedding model: each word hashed to a few of 384 dimensions. What is measured
 * is storing and searching vectors of a real model's width; the model's own time is not retrieval's.
 */
function hashEmbed(text: string): number[] {
  const vector = new Array<number>(DIMENSIONS).fill(0);
  const words = text.toLowerCase().match(/[a-z]+|[\u4e00-\u9fff]{1,2}/g) ?? [];
  for (const word of words) {
    let hash = 2_166_136_261;
    for (const char of word) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 16_777_619) >>> 0;
    for (let probe = 0; probe < 3; probe += 1) {
      const dimension = (hash + probe * 7_919) % DIMENSIONS;
      vector[dimension] = (vector[dimension] ?? 0) + 1;
    }
  }
  return vector;
}
const embedder: Embedder = { embed: (texts) => Promise.resolve(texts.map(hashEmbed)) };

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function time(label: string, queries: readonly string[], search: (query: string) => Promise<unknown>) {
  const durations: number[] = [];
  for (const query of queries) {
    const started = performance.now();
    await search(query);
    durations.push(performance.now() - started);
  }
  durations.sort((a, b) => a - b);
  return { [label]: { p50_ms: Number(percentile(durations, 50).toFixed(3)), p95_ms: Number(percentile(durations, 95).toFixed(3)) } };
}

/** The retrieval half: its figures, as a JSON object. */
async function retrieval(): Promise<Record<string, unknown>> {
  const directory = mkdtempSync(join(tmpdir(), 'loomflow-bench-ai-'));
  // Opened as the server and CLI open theirs (WAL, synchronous NORMAL).
  const client = await openLibsqlClient(`file:${join(directory, 'bench.db')}`);
  try {
    const store = await KnowledgeStore.open(client, { embedderOf: () => embedder });
    await store.create({ id: 'bench', name: 'Bench', chunkSize: 420, chunkOverlap: 0, embedding: { model: 'hashing' } });
    const ingestStarted = performance.now();
    for (let document = 0; document < DOCUMENTS; document += 1) {
      const text = Array.from({ length: PASSAGES_PER_DOCUMENT }, passage).join('\n\n');
      await store.addDocument('bench', { source: `doc-${document}.txt`, mediaType: 'text/plain', content: new TextEncoder().encode(text) });
    }
    const ingestSeconds = (performance.now() - ingestStarted) / 1000;
    const base = await store.get('bench');
    const queries = Array.from({ length: QUERIES }, () => (next() < 0.3 ? `${pick(chinese)}${pick(chinese)}` : `${pick(english)} ${pick(english)} ${pick(english)}`));

    const modes: SearchMode[] = ['keyword', 'vector', 'hybrid'];
    const results: Record<string, { p50_ms: number; p95_ms: number }> = {};
    // Once through first, so that no mode pays for warming the page cache alone.
    for (const mode of modes) await store.search('bench', { query: queries[0] as string, mode, topK: TOP_K });
    for (const mode of modes) Object.assign(results, await time(mode, queries, (query) => store.search('bench', { query, mode, topK: TOP_K })));

    const exact = async (query: string) => {
      const { rows } = await client.execute({
        sql: 'SELECT chunk_id FROM kb_vectors_1 ORDER BY vector_distance_cos(embedding, vector32(?)), chunk_id LIMIT ?',
        args: [JSON.stringify(hashEmbed(query)), TOP_K],
      });
      return rows.map((row) => Number(row.chunk_id));
    };
    Object.assign(results, await time('vector_exact_scan', queries, exact));

    // How many of the exact top-k the index finds.
    let found = 0;
    for (const query of queries) {
      const truth = new Set(await exact(query));
      const approximate = await store.search('bench', { query, mode: 'vector', topK: TOP_K });
      found += approximate.filter((hit) => truth.has(hit.chunkId)).length;
    }

    const vector = results.vector as { p50_ms: number };
    const scan = results.vector_exact_scan as { p50_ms: number };
    return {
      benchmark: 'retrieval',
      passages: base?.chunkCount,
      dimensions: DIMENSIONS,
      queries: QUERIES,
      topK: TOP_K,
      ingest_passages_per_s: Math.round((base?.chunkCount ?? 0) / ingestSeconds),
      ...results,
      vector_index_vs_exact_scan_p50_ratio: Number((vector.p50_ms / scan.p50_ms).toFixed(3)),
      vector_recall_at_k: Number((found / (QUERIES * TOP_K)).toFixed(3)),
    };
  } finally {
    client.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

// Both halves by default; `--only retrieval` or `--only react` runs one.
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
if (only !== undefined && only !== 'retrieval' && only !== 'react') throw new Error(`--only takes retrieval or react, not ${only}`);
const output = only === 'react' ? {} : await retrieval();
if (only !== 'retrieval') output.react = await benchReact();
console.log(JSON.stringify(output, null, 2));
