// The read-only run view against the real server app: the document a run ran, its thread's path
// on the canvas, a node's run data, and a note when the flow's draft has changed since, while the
// draft itself is left alone.
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mountWithApp } from '../../testing/mount-app';
import { createTestServerApi, type TestServerApi } from '../../testing/server-api';
import RunCanvas from './RunCanvas.vue';
import RunViewPage from './RunViewPage.vue';
import { countShelf, shelfCountFlow } from './shelf-count-testing';

let server: TestServerApi;
beforeEach(async () => {
  server = await createTestServerApi();
  await server.api.create(shelfCountFlow);
  // LogicFlow draws what is in view; happy-dom lays nothing out, so the canvas gets a size here.
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue(DOMRect.fromRect({ width: 1200, height: 600 }));
});
afterEach(async () => {
  vi.restoreAllMocks();
  document.body.innerHTML = '';
  window.localStorage.clear();
  await server.dispose();
});

async function openRun(runId: string) {
  const mounted = await mountWithApp(RunViewPage, { path: `/flows/${shelfCountFlow.id}/runs/${runId}`, api: server.api, runApi: server.runs, historyApi: server.history });
  const view = mounted.wrapper.get('[data-testid="run-view"]');
  await vi.waitFor(() => expect(view.attributes('data-run-status')).toMatch(/^(completed|failed|waiting)$/));
  await flushPromises();
  return { ...mounted, view };
}

/** The ids of the drawn edges marked as taken by the shown run, sorted. */
function takenEdgeIds(): string[] {
  return [...document.body.querySelectorAll('[data-testid="run-canvas"] [data-run-taken]')].map((edge) => edge.getAttribute('data-run-taken') ?? '').sort();
}

/** A drawn node's run state: `none` when it has none, `not drawn` when the canvas lacks it. */
function runStateOf(nodeId: string): string {
  const node = document.body.querySelector(`[data-testid="run-canvas"] [data-node-id="${nodeId}"]`);
  return node ? (node.getAttribute('data-run-state') ?? 'none') : 'not drawn';
}

describe('RunViewPage', { timeout: 30_000 }, () => {
  it("draws a resumed run's whole thread, completed, and a clicked node's input and output", async () => {
    const { runIds } = await countShelf(server, 12);
    const { wrapper, view } = await openRun(runIds[1]);
    expect(view.attributes('data-run-status')).toBe('completed');
    await vi.waitFor(() => expect(runStateOf('end')).toBe('completed'));
    expect(['start', 'ask', 'check', 'end'].map(runStateOf)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(takenEdgeIds()).toEqual(['e1', 'e2', 'e3']);
    expect(view.get('[data-testid="run-version"]').text()).toBe('draft');
    expect(view.text()).toContain('Shown with the 1 earlier runs of its thread.');
    await vi.waitFor(() => expect(view.attributes('data-draft')).toBe('same'));
    expect(view.find('[data-testid="run-document-differs"]').exists()).toBe(false);

    wrapper.getComponent(RunCanvas).vm.$emit('select', 'check');
    await flushPromises();
    const panel = view.get('[data-testid="node-inspector"]');
    expect(panel.attributes('data-node-id')).toBe('check');
    expect(JSON.parse(panel.get('[data-testid="inspected-output"] pre').text())).toEqual({ checked: true });
    expect(JSON.parse(panel.get('[data-testid="inspected-input"] pre').text())).toMatchObject({ shelf: 'B', count: 12 });
    expect(panel.find('[data-testid="inspected-error"]').exists()).toBe(false);
    // The stored run has no debugging: the inspector offers closing, not breakpoints.
    expect(panel.find('[data-action="pause-before"]').exists()).toBe(false);
    await panel.get('[data-action="close-node"]').trigger('click');
    expect(view.find('[data-testid="node-inspector"]').exists()).toBe(false);
  });

  it('shows the first run of a thread waiting, and a failed run red with its error', async () => {
    const { runIds } = await countShelf(server, 500);
    const first = await openRun(runIds[0]);
    expect(first.view.attributes('data-run-status')).toBe('waiting');
    await vi.waitFor(() => expect(runStateOf('ask')).toBe('waiting'));
    expect(runStateOf('check')).toBe('none');
    // The path stops where the run waits: the edge on from the human step is not taken yet.
    expect(takenEdgeIds()).toEqual(['e1']);
    first.wrapper.unmount();

    const failed = await openRun(runIds[1]);
    expect(failed.view.attributes('data-run-status')).toBe('failed');
    await vi.waitFor(() => expect(runStateOf('check')).toBe('failed'));
    expect(runStateOf('ask')).toBe('completed');
    expect(failed.view.get('[data-testid="run-failure"]').text()).toContain('no shelf holds 500 boxes');
    failed.wrapper.getComponent(RunCanvas).vm.$emit('select', 'check');
    await flushPromises();
    expect(failed.view.get('[data-testid="node-inspector"] [data-testid="inspected-error"]').text()).toContain('no shelf holds 500 boxes');
  });

  it("says when the flow's draft has changed since the run, and leaves the draft as it is", async () => {
    const { runIds } = await countShelf(server, 12);
    const stored = await server.api.load(shelfCountFlow.id);
    const edited = { ...shelfCountFlow, name: 'Shelf count, renamed' };
    const saved = await server.api.save(edited, stored?.revision ?? 0);
    expect(saved.status).toBe('saved');

    const { view } = await openRun(runIds[1]);
    await vi.waitFor(() => expect(view.attributes('data-draft')).toBe('differs'));
    expect(view.get('[data-testid="run-document-differs"]').text()).toContain('The flow has changed since this run');
    // The run's own document is drawn and named, not the draft.
    expect(view.get('h1').text()).toBe('Run of "Shelf count"');
    expect((await server.api.load(shelfCountFlow.id))?.flow).toEqual(edited);
    expect(Object.keys(window.localStorage)).toEqual([]);
  });
});
