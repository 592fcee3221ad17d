// Every agent template of examples/agent, stored and run through the server's API as the
// designer's gallery runs it: with its scripted models, no provider and no network. A template
// that waits for a person is answered through the human-task API.
import { readFileSync, readdirSync } from 'node:fs';
import type { RunEvent } from '@loomflow/graph-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest as json } from '../testing/fixtures';
import { readSse } from '../testing/sse';

const examples = new URL('../../../../examples/agent/', import.meta.url);
const templateFiles = readdirSync(examples).filter((file) => file.endsWith('.json'));
const read = (file: string) => readFileSync(new URL(file, examples), 'utf8');

/** What each template is run with, and what its result must hold. A template missing here fails. */
const cases: Record<string, { input: Record<string, unknown>; expects: RegExp; answer?: Record<string, unknown> }> = {
  'checkout-with-subflow.json': { input: { customer: 'Ada', order: { lines: [{ name: 'Tea', quantity: 2, unitPrice: 4.5 }], taxRate: 0.1 } }, expects: /"total":10\.8/ },
  'code-and-template.json': { input: { lines: [{ name: 'Tea', quantity: 2, unitPrice: 4.5 }], taxRate: 0.1 }, expects: /"total":9\.9/ },
  // Offline, its request fails and the run takes the fallback edge.
  'http-with-fallback.json': { input: { from: 'EUR', to: 'USD' }, expects: /"answer":"[^"]+"/ },
  'human-approval.json': { input: { orderId: 'A-17', amount: 40 }, expects: /"approved":true/, answer: { approved: true, comment: 'Fine.' } },
  'loop-counter.json': { input: {}, expects: /"count":5/ },
  'map-over-list.json': { input: { items: [{ sku: 'a', quantity: 2, unitPrice: 1.5 }] }, expects: /"total":3/ },
  'parallel-join.json': { input: { destination: 'Lisbon', days: 3 }, expects: /Lisbon/ },
  'reflection-loop.json': { input: { topic: 'Loomflow' }, expects: /Concrete and friendly/ },
  'support-router.json': { input: { question: 'I want a refund for order 1042' }, expects: /"intent":"refund"/ },
  'rag-qa.json': { input: { question: '什么是检索增强生成？' }, expects: /rag\.zh\.md/ },
  'tool-assistant.json': { input: { question: '120 EUR in CNY?' }, expects: /936 CNY/ },
  'react-http-code.json': { input: { question: '1000 USD at 3.5% for 5 years?' }, expects: /1187\.69/ },
  'plan-and-execute.json': { input: { question: 'How do we get ready for a launch?' }, expects: /Before launch/ },
  'approval-before-tool.json': { input: { request: 'Tell Li Wei the refund was approved' }, expects: /\\"sent\\":true/, answer: { decision: 'approve' } },
};

let test: Awaited<ReturnType<typeof createTestApp>>;
const request = (path: string, init?: RequestInit) => test.app.request(path, init);

beforeAll(async () => {
  test = await createTestApp();
  // Stored first: a template may run another as its sub-flow.
  for (const file of templateFiles) expect((await request('/api/flows', json('POST', JSON.parse(read(file))))).status).toBe(201);
  // The RAG template searches this knowledge base, filled with the documents bundled beside it.
  expect((await request('/api/knowledge-bases', json('POST', { id: 'loomflow-handbook', name: 'Loomflow handbook' }))).status).toBe(201);
  for (const source of ['rag.zh.md', 'runs.en.md']) {
    const added = await request('/api/knowledge-bases/loomflow-handbook/documents', json('POST', { source, mediaType: 'text/markdown', text: read(`rag-docs/${source}`) }));
    expect(added.status).toBe(201);
  }
});
afterAll(() => test.dispose());

async function eventsOf(runId: string): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const message of readSse((await request(`/api/runs/${runId}/events`)).body as ReadableStream<Uint8Array>)) events.push(JSON.parse(message.data) as RunEvent);
  return events;
}

describe('the agent templates, run through the server', () => {
  it('has a case for every template', () => {
    expect(templateFiles.sort()).toEqual(Object.keys(cases).sort());
  });

  it.each(templateFiles)('%s runs to completion', async (file) => {
    const flow = JSON.parse(read(file)) as { id: string };
    const setup = cases[file];
    if (!setup) throw new Error(`no run case for ${file}`);
    const started = await request(`/api/flows/${flow.id}/runs`, json('POST', { input: setup.input }));
    expect(started.status).toBe(202);
    const { runId, threadId } = (await started.json()) as { runId: string; threadId: string };
    let events = await eventsOf(runId);

    if (setup.answer) {
      expect(events.at(-1)?.type).toBe('interrupt');
      const tasks = (await (await request(`/api/tasks?status=open`)).json()) as { items: { id: string; threadId: string }[] };
      const task = tasks.items.find((item) => item.threadId === threadId);
      if (!task) throw new Error(`no open task for ${file}`);
      const completed = await request(`/api/tasks/${task.id}/complete`, json('POST', { variables: setup.answer }));
      expect(completed.status).toBe(200);
      events = await eventsOf(((await completed.json()) as { runId: string }).runId);
    }
    const last = events.at(-1);
    expect(last?.type, JSON.stringify(last)).toBe('run.completed');
    expect(JSON.stringify((last as Extract<RunEvent, { type: 'run.completed' }>).state)).toMatch(setup.expects);
  });
});
