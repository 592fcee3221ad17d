// Run history against the real server in Chromium: a flow run twice through the API (one run
// completes, one fails) lists both in the editor's History; the completed one opens read-only with
// its path on the canvas and a node's output on click; an edit of the draft after the run is noted.
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { openFlow } from './stored-flows';

/** start → check (a code step that fails above 100 boxes) → end. */
function shelfCheck(id: string) {
  return {
    schemaVersion: 1,
    id,
    name: 'Shelf check',
    kind: 'agent',
    state: {
      channels: [
        { name: 'count', type: 'number', reducer: 'replace', default: 0 },
        { name: 'checked', type: 'boolean', reducer: 'replace', default: false },
      ],
      input: ['count'],
    },
    nodes: [
      { id: 'start', type: 'agent.start', name: 'Start', position: { x: 100, y: 150 }, config: {} },
      {
        id: 'check',
        type: 'agent.code',
        name: 'Check the count',
        position: { x: 320, y: 150 },
        config: { source: "if (state.count > 100) throw new Error('no shelf holds ' + state.count + ' boxes'); return { checked: true };", writes: ['checked'] },
      },
      { id: 'end', type: 'agent.end', name: 'End', position: { x: 540, y: 150 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'check' },
      { id: 'e2', source: 'check', target: 'end' },
    ],
  };
}

/** Starts a run of the saved draft and waits until its stored status says it has ended. */
async function runToEnd(request: APIRequestContext, flowId: string, input: Record<string, unknown>): Promise<string> {
  const started = await request.post(`/api/flows/${flowId}/runs`, { data: { input } });
  expect(started.status()).toBe(202);
  const { runId } = (await started.json()) as { runId: string };
  await expect
    .poll(async () => ((await (await request.get(`/api/runs/${runId}`)).json()) as { status: string }).status, { timeout: 60_000 })
    .toMatch(/^(completed|failed)$/);
  return runId;
}

async function openHistory(page: Page) {
  await page.locator('[data-action="history"]').click();
  const drawer = page.getByTestId('history-drawer');
  await expect(drawer).toBeVisible();
  return drawer;
}

test('History lists the runs of a flow and opens one read-only, with its path and node data', async ({ page, request }) => {
  const id = `shelf-check-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  expect((await request.post('/api/flows', { data: shelfCheck(id) })).status()).toBe(201);
  const completed = await runToEnd(request, id, { count: 12 });
  const failed = await runToEnd(request, id, { count: 500 });

  await openFlow(page, id);
  const drawer = await openHistory(page);
  const rows = drawer.locator('tr[data-run-id]');
  await expect(rows).toHaveCount(2);
  // Newest first.
  await expect(rows.nth(0)).toHaveAttribute('data-run-id', failed);
  await expect(rows.nth(0)).toHaveAttribute('data-run-status', 'failed');
  await expect(rows.nth(0)).toContainText('Failed');
  await expect(rows.nth(0).getByTestId('run-error')).toContainText('no shelf holds 500 boxes');
  await expect(rows.nth(1)).toHaveAttribute('data-run-id', completed);
  await expect(rows.nth(1)).toContainText('Completed');
  await expect(rows.nth(1)).toContainText('draft');
  await expect(rows.nth(1)).toContainText('start');
  await expect(rows.nth(1).getByTestId('run-error')).toHaveText('');

  await rows.nth(1).locator('[data-action="open-run"]').click();
  await expect(page).toHaveURL(new RegExp(`/flows/${id}/runs/${completed}$`));
  const view = page.getByTestId('run-view');
  await expect(view).toHaveAttribute('data-run-status', 'completed');
  await expect(view.getByTestId('run-status')).toHaveText('Completed');
  const canvas = view.getByTestId('run-canvas');
  for (const nodeId of ['start', 'check', 'end']) await expect(canvas.locator(`[data-node-id="${nodeId}"]`)).toHaveAttribute('data-run-state', 'completed');
  // Its path: both edges the run took are drawn as taken.
  for (const edgeId of ['e1', 'e2']) await expect(canvas.locator(`[data-run-taken="${edgeId}"]`)).toHaveCount(1);
  await expect(view).toHaveAttribute('data-draft', 'same');
  await expect(view.getByTestId('run-document-differs')).toHaveCount(0);

  // Read-only: a node dragged across the canvas keeps its place in the drawing (a drag may pan
  // the whole view, which moves every node alike).
  const check = canvas.locator('[data-node-id="check"]');
  const start = canvas.locator('[data-node-id="start"]');
  const offset = async () => {
    const [a, b] = [await check.boundingBox(), await start.boundingBox()];
    if (!a || !b) throw new Error('the nodes are not on the canvas');
    return { x: Math.round(a.x - b.x), y: Math.round(a.y - b.y), centre: { x: a.x + a.width / 2, y: a.y + a.height / 2 } };
  };
  const before = await offset();
  await page.mouse.move(before.centre.x, before.centre.y);
  await page.mouse.down();
  await page.mouse.move(before.centre.x + 120, before.centre.y + 80, { steps: 15 });
  await page.mouse.up();
  const after = await offset();
  expect({ x: after.x, y: after.y }).toEqual({ x: before.x, y: before.y });

  await check.click();
  const nodeData = view.getByTestId('node-inspector');
  await expect(nodeData).toHaveAttribute('data-node-id', 'check');
  await expect(nodeData.getByTestId('inspected-output')).toContainText('"checked": true');
  await expect(nodeData.getByTestId('inspected-input')).toContainText('"count": 12');

  // Back in the editor, the draft is edited and saved after the run: the run's view says so.
  await view.locator('[data-action="back-to-editor"]').click();
  const editor = page.getByTestId('flow-canvas');
  await editor.locator('[data-node-id="check"]').click();
  const name = page.getByTestId('properties-panel').locator('input[data-field="name"]');
  await name.fill('Check the shelf');
  await name.press('Enter');
  await page.locator('[data-action="save"]').click();
  await expect(page.getByTestId('dirty-marker')).toBeHidden();

  const again = await openHistory(page);
  await again.locator(`tr[data-run-id="${completed}"] [data-action="open-run"]`).click();
  await expect(view).toHaveAttribute('data-draft', 'differs');
  await expect(view.getByTestId('run-document-differs')).toContainText('The flow has changed since this run');
  // The run's own document is drawn, with the name the node had when it ran.
  await expect(view.getByTestId('run-canvas').locator('[data-node-id="check"]')).toContainText('Check the count');
});
