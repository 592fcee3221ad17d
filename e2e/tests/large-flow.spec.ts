// Large drawings (issue 5, item 9): a 2,000-node flow opens in the real editor, a node can be
// dragged and the move is saved, and parts of the drawing far from the first view are drawn when
// the view is scrolled to them; and what makes opening one fast (issue 15) is in place. Functional
// only: how fast this is, is measured by `pnpm bench:canvas`.
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures';
import { centreOf } from './gestures';

const NODES = 2000;
const COLUMNS = Math.ceil(Math.sqrt(NODES));
const LAST_ROW_START = Math.floor((NODES - 1) / COLUMNS) * COLUMNS;

interface StoredNode {
  id: string;
  position: { x: number; y: number };
}

/** A start event, tasks and an end event in one chain, laid out row by row on a square grid. */
function largeFlow(id: string) {
  const position = (index: number) => ({ x: 100 + (index % COLUMNS) * 150, y: 100 + Math.floor(index / COLUMNS) * 130 });
  const nodes = Array.from({ length: NODES }, (_, index) => {
    if (index === 0) return { id: 'start', type: 'bpmn.startEvent', name: 'Start', position: position(index), config: {} };
    if (index === NODES - 1) return { id: 'end', type: 'bpmn.endEvent', name: 'End', position: position(index), config: {} };
    return { id: `task_${index}`, type: 'bpmn.task', name: `Task ${index}`, position: position(index), config: {} };
  });
  const edges = nodes.slice(1).map((node, index) => ({ id: `flow_${index + 1}`, source: (nodes[index] as StoredNode).id, target: node.id }));
  return { schemaVersion: 1, id, name: `Large flow ${id}`, kind: 'bpmn', state: { channels: [] }, nodes, edges };
}

async function storedNode(request: APIRequestContext, flowId: string, nodeId: string): Promise<StoredNode | undefined> {
  const { flow } = (await (await request.get(`/api/flows/${flowId}`)).json()) as { flow: { nodes: StoredNode[] } };
  return flow.nodes.find((node) => node.id === nodeId);
}

test('a 2,000-node flow opens, a node is dragged and saved, and the last row is drawn when scrolled to', async ({ page, request }) => {
  test.setTimeout(180_000);
  // The e2e database outlives one run: every run stores its own copy.
  const flowId = `large-${Date.now().toString(36)}`;
  const created = await request.post('/api/flows', { data: largeFlow(flowId) });
  expect(created.status()).toBe(201);

  await page.goto(`/flows/${flowId}`);
  const canvas = page.getByTestId('flow-canvas');
  await expect(canvas.locator(`[data-flow-id="${flowId}"]`)).toBeAttached({ timeout: 60_000 });
  await expect(canvas.locator('[data-node-id="start"]')).toBeVisible();
  // The first task of the last row, straight below the start, is far from the first view.
  const lastRow = canvas.locator(`[data-node-id="task_${LAST_ROW_START}"]`);
  await expect(lastRow).toHaveCount(0);

  const task = canvas.locator('[data-node-id="task_2"]');
  const before = await storedNode(request, flowId, 'task_2');
  const from = await centreOf(task);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 40, from.y + 65, { steps: 20 });
  await page.mouse.up();
  await expect(page.getByTestId('dirty-marker')).toBeVisible();
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('dirty-marker')).toBeHidden();
  const after = await storedNode(request, flowId, 'task_2');
  expect(after?.position.y).toBeGreaterThan((before?.position.y ?? 0) + 30);

  // Scrolling down to the last row brings it into view, and it is drawn.
  const area = await centreOf(canvas);
  await page.mouse.move(area.x, area.y);
  // The wheel moves the view 500 pixels at a time; the last row is about 5,800 pixels down.
  await expect(async () => {
    if (!(await lastRow.isVisible())) await page.mouse.wheel(0, 500);
    await expect(lastRow).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 60_000 });
});

// Issue 15 (editor boot): the canvas paints before the panels. The page notes, as the DOM
// changes, which came first: the drawn flow or the palette and properties panel.
test('the drawing is on screen before the palette and the properties panel are mounted', async ({ page, request }) => {
  test.setTimeout(120_000);
  const flowId = `large-boot-${Date.now().toString(36)}`;
  expect((await request.post('/api/flows', { data: largeFlow(flowId) })).status()).toBe(201);
  await page.addInitScript((id) => {
    const order: string[] = [];
    (window as unknown as { bootOrder: string[] }).bootOrder = order;
    const note = (name: string, selector: string) => {
      if (!order.includes(name) && document.querySelector(selector)) order.push(name);
    };
    new MutationObserver(() => {
      note('drawing', `[data-flow-id="${id}"] [data-node-id="start"]`);
      note('palette', '.node-palette');
      note('properties', '[data-testid="properties-panel"]');
    }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-flow-id'] });
  }, flowId);
  await page.goto(`/flows/${flowId}`);
  await expect(page.getByTestId('properties-panel')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.node-palette')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { bootOrder: string[] }).bootOrder)).toEqual(['drawing', 'palette', 'properties']);
});
