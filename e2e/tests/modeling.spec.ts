// The modeling layer through the canvas (apps/web/src/features/modeling): a node dropped into a
// lane belongs to it, an event dropped on a task's outline becomes its boundary event, and a
// deleted pool takes its lanes and their contents along (a note beside it stays, without its
// association), all of it back with one undo.
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { boxOf, dragFromPalette } from './gestures';
import { createFlow, openFlow } from './stored-flows';

// Wide enough that the expense approval opens fitted and whole, so every node is drawn.
test.use({ viewport: { width: 1920, height: 1080 } });

interface StoredFlow {
  readonly flow: {
    readonly nodes: { id: string; type: string; parent?: string; config: Record<string, unknown> }[];
    readonly edges: { id: string; source: string; target: string }[];
  };
  readonly issues: { code: string; nodeId?: string }[];
}

async function saveAndRead(page: Page, request: APIRequestContext, id: string): Promise<StoredFlow> {
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('dirty-marker')).toBeHidden();
  return (await (await request.get(`/api/flows/${id}`)).json()) as StoredFlow;
}

test('a user task dropped into the Finance lane belongs to that lane', async ({ page, request }) => {
  const id = await createFlow(request, 'bpmn/expense-approval.json');
  const canvas = await openFlow(page, id);
  const lane = await boxOf(canvas.locator('[data-node-id="lane-finance"] rect').first());

  // Left of the Finance lane's own tasks, in its middle.
  await dragFromPalette(page, 'bpmn.userTask', { x: lane.x + lane.width * 0.45, y: lane.y + lane.height / 2 });
  await expect(canvas.locator('[data-node-id="userTask_1"]')).toBeVisible();

  const stored = await saveAndRead(page, request, id);
  expect(stored.flow.nodes.find((node) => node.id === 'userTask_1')).toMatchObject({ type: 'bpmn.userTask', parent: 'lane-finance' });
  // Inside its lane, the task is no stray at the top level of the collaboration.
  expect(stored.issues.filter((issue) => issue.code === 'node-outside-pool' || issue.code === 'missing-start')).toEqual([]);
});

test("a boundary timer dropped on a task's outline attaches to the task", async ({ page, request }) => {
  const id = await createFlow(request, 'bpmn/expense-approval.json');
  const canvas = await openFlow(page, id);
  const task = await boxOf(canvas.locator('[data-node-id="manager-approval"] rect').first());

  // The middle of the task's lower edge.
  await dragFromPalette(page, 'bpmn.boundaryEvent', { x: task.x + task.width / 2, y: task.y + task.height });
  const timer = canvas.locator('[data-node-id="boundaryEvent_1"]');
  await expect(timer.locator('[data-glyph="timer"]')).toBeAttached();

  const stored = await saveAndRead(page, request, id);
  expect(stored.flow.nodes.find((node) => node.id === 'boundaryEvent_1')).toMatchObject({
    type: 'bpmn.boundaryEvent',
    parent: 'lane-approvers',
    config: { attachedTo: 'manager-approval', eventDefinition: { type: 'timer' } },
  });
});

test('deleting a pool deletes its lanes and their contents, leaving nothing dangling; undo restores all', async ({ page, request }) => {
  const id = await createFlow(request, 'bpmn/expense-approval.json');
  const canvas = await openFlow(page, id);
  const nodes = canvas.locator('[data-node-id]');
  const edges = canvas.locator('.lf-edge');
  const nodeCount = await nodes.count();
  const edgeCount = await edges.count();
  expect(nodeCount).toBe(19);
  const note = canvas.locator('[data-node-id="note-threshold"]');
  await expect(note).toContainText('Claims above');

  // Select the pool by its header band, left of the lanes, and delete it.
  const pool = canvas.locator('[data-node-id="pool"]');
  const frame = await boxOf(pool.locator('rect').first());
  await page.mouse.click(frame.x + 6, frame.y + frame.height / 2);
  await expect(pool).toHaveClass(/lf-node-selected/);
  await page.keyboard.press('Delete');
  await expect(nodes).toHaveCount(1);
  await expect(note).toBeVisible();
  await expect(edges).toHaveCount(0);

  const emptied = await saveAndRead(page, request, id);
  expect(emptied.flow.nodes.map(({ id, config }) => ({ id, config }))).toEqual([
    { id: 'note-threshold', config: { text: "Claims above 5000 EUR need a director's sign-off." } },
  ]);
  expect(emptied.flow.edges).toEqual([]);

  await page.keyboard.press('Control+z');
  await expect(nodes).toHaveCount(nodeCount);
  await expect(edges).toHaveCount(edgeCount);
  const restored = await saveAndRead(page, request, id);
  expect(restored.flow.nodes.find((node) => node.id === 'note-threshold')?.config).toMatchObject({ annotates: 'gw-amount' });
  const ids = new Set(restored.flow.nodes.map((node) => node.id));
  expect(restored.flow.nodes.filter((node) => node.type === 'bpmn.lane').map((node) => node.parent)).toEqual(['pool', 'pool', 'pool']);
  expect(restored.flow.nodes.every((node) => node.parent === undefined || ids.has(node.parent))).toBe(true);
  expect(restored.flow.edges.every((edge) => ids.has(edge.source) && ids.has(edge.target))).toBe(true);
});
