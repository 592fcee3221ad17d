// The run panel against the real server app: a run of the saved flow pauses on a human step, a
// refused answer shows the server's reason, a good one continues the thread to its end.
import type { FlowDocument } from '@loomflow/graph-schema';
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { h } from 'vue';
import { useFlowDocumentStore } from '../../stores/flow-document-store';
import { mountWithApp } from '../../testing/mount-app';
import { createTestServerApi, type TestServerApi } from '../../testing/server-api';
import RunPanel from './RunPanel.vue';

const flow: FlowDocument = {
  schemaVersion: 1,
  id: 'stock-count',
  name: 'Stock count',
  kind: 'agent',
  state: {
    channels: [
      { name: 'shelf', type: 'string', reducer: 'replace', default: '' },
      { name: 'count', type: 'number', reducer: 'replace', default: 0 },
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
      config: { prompt: 'How many boxes are on {{shelf}}?', schema: { type: 'object', properties: { count: { type: 'number', minimum: 10, title: 'Boxes' } }, required: ['count'] } },
    },
    { id: 'end', type: 'agent.end', name: 'End', position: { x: 500, y: 100 }, config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'ask' },
    { id: 'e2', source: 'ask', target: 'end' },
  ],
};

let server: TestServerApi;
beforeEach(async () => {
  server = await createTestServerApi();
  await server.api.create(flow);
});
afterEach(async () => {
  document.body.innerHTML = '';
  await server.dispose();
});

describe('RunPanel', () => {
  it('runs the saved flow, shows the human form, the refusal of a wrong answer, and the final state', async () => {
    const saveIfNeeded = vi.fn(async () => true);
    const { wrapper, pinia } = await mountWithApp({ render: () => h(RunPanel, { saveIfNeeded }) }, { api: server.api, runApi: server.runs });
    useFlowDocumentStore(pinia).open(flow);
    await flushPromises();
    const panel = wrapper.get('[data-testid="run-panel"]');

    await wrapper.get('[data-input="shelf"] textarea').setValue('shelf B');
    await wrapper.get('[data-action="start-run"]').trigger('click');
    await vi.waitFor(() => expect(panel.attributes('data-run-status')).toBe('waiting'));
    expect(saveIfNeeded).toHaveBeenCalledOnce();
    await flushPromises();
    const form = wrapper.get('[data-testid="human-task"]');
    expect(form.text()).toContain('How many boxes are on shelf B?');

    await form.get('[data-answer="count"] input').setValue('3');
    await form.trigger('submit');
    await vi.waitFor(() => expect(wrapper.find('[data-testid="answer-refusal"]').exists()).toBe(true));
    expect(wrapper.get('[data-testid="answer-refusal"]').text()).toMatch(/^The answer was refused: .*count/);
    expect(panel.attributes('data-run-status')).toBe('waiting');

    await form.get('[data-answer="count"] input').setValue('12');
    await form.trigger('submit');
    await vi.waitFor(() => expect(panel.attributes('data-run-status')).toBe('completed'));
    await flushPromises();
    expect(wrapper.get('[data-testid="run-final-state"] [data-channel="count"]').text()).toContain('12');
  });
});
