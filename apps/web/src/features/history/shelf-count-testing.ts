// A flow for the history's tests, and its runs: a person counts a shelf, then a code step checks
// the count and fails above 100, so one thread pauses, then completes or fails.
import type { FlowDocument, RunEvent } from '@loomflow/graph-schema';
import type { TestServerApi } from '../../testing/server-api';
import { followRun } from '../run/follow-run';

export const shelfCountFlow: FlowDocument = {
  schemaVersion: 1,
  id: 'shelf-count',
  name: 'Shelf count',
  kind: 'agent',
  state: {
    channels: [
      { name: 'shelf', type: 'string', reducer: 'replace', default: '' },
      { name: 'count', type: 'number', reducer: 'replace', default: 0 },
      { name: 'checked', type: 'boolean', reducer: 'replace', default: false },
    ],
    input: ['shelf'],
  },
  nodes: [
    { id: 'start', type: 'agent.start', name: 'Start', position: { x: 100, y: 100 }, config: {} },
    {
      id: 'ask',
      type: 'agent.human',
      name: 'Count the shelf',
      position: { x: 300, y: 100 },
      config: { prompt: 'How many boxes are on {{shelf}}?', schema: { type: 'object', properties: { count: { type: 'number', title: 'Boxes' } }, required: ['count'] } },
    },
    {
      id: 'check',
      type: 'agent.code',
      name: 'Check the count',
      position: { x: 500, y: 100 },
      config: { source: "if (state.count > 100) throw new Error('no shelf holds ' + state.count + ' boxes'); return { checked: true };", writes: ['checked'] },
    },
    { id: 'end', type: 'agent.end', name: 'End', position: { x: 700, y: 100 }, config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'ask' },
    { id: 'e2', source: 'ask', target: 'check' },
    { id: 'e3', source: 'check', target: 'end' },
  ],
};

/** Reads a run's events until it stops. */
async function eventsOf(api: TestServerApi, runId: string): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  await followRun(api.runs, runId, { signal: new AbortController().signal, onEvents: (batch) => events.push(...batch) });
  return events;
}

/** Runs the flow to its human step and answers it with `count`: answers the thread's two run ids, oldest first. */
export async function countShelf(api: TestServerApi, count: number): Promise<{ threadId: string; runIds: [string, string] }> {
  const { runId, threadId } = await api.runs.start(shelfCountFlow.id, { shelf: 'B' });
  const paused = (await eventsOf(api, runId)).find((event) => event.type === 'interrupt');
  if (paused?.type !== 'interrupt') throw new Error('the run did not pause on its human step');
  const { runId: resumed } = await api.runs.resume(threadId, { interruptId: paused.interruptId, value: { count } });
  await eventsOf(api, resumed);
  return { threadId, runIds: [runId, resumed] };
}
