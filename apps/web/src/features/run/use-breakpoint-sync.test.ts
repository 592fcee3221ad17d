// Breakpoints against the real server app: a flow the server has gets its stored breakpoints when it
// opens; the placeholder shown before a flow opens, and a new unsaved flow, are not asked for (the
// request could only answer 404, which the browser logs as an error).
import type { FlowDocument } from '@loomflow/graph-schema';
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import { useFlowDocumentStore } from '../../stores/flow-document-store';
import { mountWithApp } from '../../testing/mount-app';
import { createTestServerApi, type TestServerApi } from '../../testing/server-api';
import { useBreakpointStore } from './breakpoint-store';
import { useBreakpointSync } from './use-breakpoint-sync';

const flow = (id: string): FlowDocument => ({
  schemaVersion: 1,
  id,
  name: id,
  kind: 'agent',
  state: { channels: [] },
  nodes: [
    { id: 'start', type: 'agent.start', position: { x: 0, y: 0 }, config: {} },
    { id: 'end', type: 'agent.end', position: { x: 200, y: 0 }, config: {} },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'end' }],
});

let server: TestServerApi;
beforeEach(async () => {
  server = await createTestServerApi();
});
afterEach(async () => {
  document.body.innerHTML = '';
  await server.dispose();
});

describe('useBreakpointSync', () => {
  it('loads the breakpoints of a stored flow, and asks nothing for a flow the server does not have', async () => {
    await server.api.create(flow('stored'));
    await server.runs.saveBreakpoints('stored', { before: ['end'], after: [] });
    const asked = vi.spyOn(server.runs, 'breakpoints');
    const stored = ref(false);
    const Host = defineComponent({
      setup() {
        useBreakpointSync(() => stored.value);
        return () => h('div');
      },
    });
    const { pinia } = await mountWithApp(Host, { runApi: server.runs });
    const documents = useFlowDocumentStore(pinia);
    const breakpoints = useBreakpointStore(pinia);
    await flushPromises();
    // The placeholder document before any flow opens.
    expect(asked).not.toHaveBeenCalled();

    documents.open(flow('new-flow'), { unsaved: true });
    await flushPromises();
    expect(asked).not.toHaveBeenCalled();

    stored.value = true;
    documents.open(flow('stored'));
    await vi.waitFor(() => expect([...breakpoints.before]).toEqual(['end']));
    expect(asked.mock.calls).toEqual([['stored']]);
  });
});
