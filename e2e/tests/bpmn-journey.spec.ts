// An expense approval (as in examples/bpmn/expense-approval.json), drawn by hand as a BPMN process:
// start, two user tasks, an exclusive gateway with a FEEL condition and a default flow, a service
// task and an end.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { clickEdge, connect, dragFromPalette } from './gestures';

test.describe.configure({ timeout: 180_000 });

interface StoredDocument {
  readonly nodes: { id: string; type: string; name?: string }[];
  readonly edges: { id: string; source: string; target: string; condition?: string; isDefault?: boolean }[];
}

async function rename(page: Page, nodeId: string, name: string): Promise<void> {
  await page.getByTestId('flow-canvas').locator(`[data-node-id="${nodeId}"]`).click();
  const input = page.getByTestId('properties-panel').locator('input[data-field="name"]');
  await input.fill(name);
  await input.press('Enter');
}

test('draw the expense approval as BPMN, undo and redo ten edits, save and reload it unchanged', async ({ page, request }) => {
  await page.goto('/');
  await page.locator('[data-action="new-bpmn"]').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Untitled process' })).toBeVisible();
  const flowId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
  const canvas = page.getByTestId('flow-canvas');
  await expect(canvas.locator('svg.lf-canvas-overlay')).toBeVisible();
  // The overview map sits over the canvas's lower right corner, where the end event is dropped.
  await canvas.locator('[data-action="toggle-minimap"]').click();
  await expect(canvas.locator('[data-action="toggle-minimap"]')).toHaveAttribute('aria-pressed', 'false');
  const area = await canvas.boundingBox();
  if (!area) throw new Error('the canvas is not visible');
  // The drawing is laid out for a canvas 700 px wide; a narrower one (wider side panels) squeezes it.
  const squeeze = Math.min(1, area.width / 700);
  const at = (x: number, y: number) => ({ x: area.x + x * squeeze, y: area.y + y });

  const nodes = canvas.locator('[data-node-id]');
  const edges = canvas.locator('.lf-edge');
  const placements: [string, { x: number; y: number }][] = [
    ['bpmn.startEvent', at(50, 220)],
    ['bpmn.userTask', at(160, 220)],
    ['bpmn.exclusiveGateway', at(290, 220)],
    ['bpmn.userTask', at(410, 90)],
    ['bpmn.serviceTask', at(520, 220)],
    ['bpmn.endEvent', at(650, 220)],
  ];
  for (const [index, [nodeType, point]] of placements.entries()) {
    await dragFromPalette(page, nodeType, point);
    await expect(nodes).toHaveCount(index + 1);
  }
  const connections: [string, string][] = [
    ['startEvent_1', 'userTask_1'],
    ['userTask_1', 'exclusiveGateway_1'],
    ['exclusiveGateway_1', 'userTask_2'],
    ['exclusiveGateway_1', 'serviceTask_1'],
    ['userTask_2', 'serviceTask_1'],
    ['serviceTask_1', 'endEvent_1'],
  ];
  for (const [index, [source, target]] of connections.entries()) {
    await connect(page, canvas, source, target);
    await expect(edges).toHaveCount(index + 1);
  }

  // Undo the ten latest edits (six connections, then four nodes) and redo them all.
  for (let step = 0; step < 10; step += 1) await page.keyboard.press('Control+z');
  await expect(edges).toHaveCount(0);
  await expect(nodes).toHaveCount(2);
  for (let step = 0; step < 10; step += 1) await page.keyboard.press('Control+y');
  await expect(nodes).toHaveCount(6);
  await expect(edges).toHaveCount(6);
  await expect(page.locator('[data-action="redo"]')).toBeDisabled();

  await rename(page, 'startEvent_1', 'Expense incurred');
  await rename(page, 'userTask_1', 'Submit expense');
  await rename(page, 'exclusiveGateway_1', 'Amount?');
  await rename(page, 'userTask_2', 'Manager approval');
  await rename(page, 'serviceTask_1', 'Pay out');
  await rename(page, 'endEvent_1', 'Expense paid');

  // The gateway's two ways out: a FEEL condition (a typo is flagged while typing) and the default.
  const panel = page.getByTestId('properties-panel');
  await clickEdge(page, canvas, 'exclusiveGateway_1', 'userTask_2');
  const condition = panel.locator('[data-field="condition"] .cm-content');
  await condition.fill('amount >');
  await expect(panel.getByTestId('feel-error')).toBeVisible();
  await condition.fill('amount > 1000');
  await condition.press('Enter');
  await expect(panel.getByTestId('feel-error')).toBeHidden();
  await clickEdge(page, canvas, 'exclusiveGateway_1', 'serviceTask_1');
  await panel.locator('[data-field="isDefault"]').click();
  await expect(page.getByTestId('problems-list')).toContainText('No problems found.');

  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('dirty-marker')).toBeHidden();
  const saved = (await (await request.get(`/api/flows/${flowId}`)).json()) as { flow: StoredDocument; issues: unknown[] };
  expect(saved.issues).toEqual([]);
  expect(saved.flow.nodes.map((node) => [node.type, node.name])).toEqual([
    ['bpmn.startEvent', 'Expense incurred'],
    ['bpmn.userTask', 'Submit expense'],
    ['bpmn.exclusiveGateway', 'Amount?'],
    ['bpmn.userTask', 'Manager approval'],
    ['bpmn.serviceTask', 'Pay out'],
    ['bpmn.endEvent', 'Expense paid'],
  ]);
  const gatewayEdges = saved.flow.edges.filter((edge) => edge.source === 'exclusiveGateway_1');
  expect(gatewayEdges.map(({ target, condition: feel, isDefault }) => ({ target, feel, isDefault }))).toEqual([
    { target: 'userTask_2', feel: 'amount > 1000', isDefault: undefined },
    { target: 'serviceTask_1', feel: undefined, isDefault: true },
  ]);

  await page.reload();
  await expect(nodes).toHaveCount(6);
  await expect(edges).toHaveCount(6);
  await expect(page.getByTestId('dirty-marker')).toBeHidden();
  await clickEdge(page, canvas, 'exclusiveGateway_1', 'userTask_2');
  await expect(panel.locator('[data-field="condition"] .cm-content')).toHaveText('amount > 1000');
  // Saving the reloaded flow stores the very same document.
  await page.keyboard.press('Control+s');
  await expect(page.getByText('Saved (revision 2)')).toBeVisible();
  const resaved = (await (await request.get(`/api/flows/${flowId}`)).json()) as { flow: StoredDocument };
  expect(resaved.flow).toEqual(saved.flow);
});
