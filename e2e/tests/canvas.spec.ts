import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { boxOf, centreOf } from './gestures';
import { createFlow, openFlow } from './stored-flows';

test('BPMN elements are drawn in BPMN notation with their markers, and the palette shows the same icons', async ({ page, request }) => {
  const canvas = await openFlow(page, await createFlow(request, 'bpmn/payment-reminder.json'));
  const node = (id: string) => canvas.locator(`[data-node-id="${id}"]`);

  await expect(node('collections').locator('[data-glyph="user"]')).toBeAttached();
  await expect(node('count-reminder').locator('[data-glyph="script"]')).toBeAttached();
  await expect(node('send-invoice').locator('[data-glyph="send"]')).toBeAttached();
  await expect(node('gw-reminders').locator('[data-glyph="exclusive"]')).toBeAttached();
  await expect(node('gw-await').locator('[data-glyph="eventBased"]')).toBeAttached();
  await expect(node('reminder-due').locator('[data-glyph="timer"]')).toBeAttached();
  await expect(node('payment-received').locator('[data-glyph="message"]')).toBeAttached();
  // A start event is a thin circle, an end event a thick one, an intermediate event a double one.
  await expect(node('start').locator('circle[stroke-width="2"]')).toHaveCount(1);
  await expect(node('end-paid').locator('circle[stroke-width="4"]')).toHaveCount(1);
  await expect(node('reminder-due').locator('circle[stroke-width="1.5"]')).toHaveCount(2);
  await expect(node('collections')).toContainText('Hand over to collections');
  // The gateway's default flow carries BPMN's slash.
  await expect(canvas.locator('.lf-edge [data-default-flow]')).toHaveCount(1);

  const palette = page.getByRole('navigation', { name: 'Node types' });
  await expect(palette.locator('[data-node-type="bpmn.userTask"] [data-glyph="user"]')).toBeAttached();
  await expect(palette.locator('[data-node-type="bpmn.exclusiveGateway"] [data-glyph="exclusive"]')).toBeAttached();
  // A BPMN process's palette offers BPMN types only.
  await expect(palette.locator('[data-node-type="agent.llm"]')).toHaveCount(0);
});

test('Shift-dragging a box selects the nodes in it, which move, delete and come back together', async ({ page, request }) => {
  test.setTimeout(60_000);
  const canvas = await openFlow(page, await createFlow(request, 'bpmn/payment-reminder.json'));
  const event = canvas.locator('[data-node-id="payment-received"]');
  const end = canvas.locator('[data-node-id="end-paid"]');
  const nodes = canvas.locator('[data-node-id]');
  const total = await nodes.count();
  const eventShape = event.locator('circle').first();
  const endShape = end.locator('circle').first();
  const before = { event: await boxOf(eventShape), end: await boxOf(endShape) };

  // Something else is selected first: the box replaces the selection.
  const other = canvas.locator('[data-node-id="count-reminder"]');
  await other.click();
  await expect(other).toHaveClass(/lf-node-selected/);

  // From the blank canvas above-left of the message event to below-right of the end event.
  await page.keyboard.down('Shift');
  await page.mouse.move(before.event.x - 20, before.event.y - 25);
  await page.mouse.down();
  await page.mouse.move(before.end.x + before.end.width + 25, before.end.y + before.end.height + 25, { steps: 10 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await expect(event).toHaveClass(/lf-node-selected/);
  await expect(end).toHaveClass(/lf-node-selected/);
  await expect(canvas.locator('[data-node-id="gw-await"]')).not.toHaveClass(/lf-node-selected/);
  await expect(other).not.toHaveClass(/lf-node-selected/);

  // Dragging one of them moves both, as one undoable step.
  const grip = await centreOf(endShape);
  await page.mouse.move(grip.x, grip.y);
  await page.mouse.down();
  await page.mouse.move(grip.x + 40, grip.y + 60, { steps: 10 });
  await page.mouse.up();
  await expect.poll(async () => (await boxOf(eventShape)).y).toBeGreaterThan(before.event.y + 30);
  const moved = { event: await boxOf(eventShape), end: await boxOf(endShape) };
  expect(moved.event.x - before.event.x).toBeCloseTo(moved.end.x - before.end.x, 0);
  expect(moved.event.y - before.event.y).toBeCloseTo(moved.end.y - before.end.y, 0);

  await page.keyboard.press('Delete');
  await expect(nodes).toHaveCount(total - 2);
  await page.keyboard.press('Control+z');
  await expect(nodes).toHaveCount(total);
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await boxOf(eventShape)).y).toBeCloseTo(before.event.y, 0);
  expect((await boxOf(endShape)).x).toBeCloseTo(before.end.x, 0);
});

test('the context menu deletes what was right-clicked, and on the canvas selects all', async ({ page, request }) => {
  const canvas = await openFlow(page, await createFlow(request, 'bpmn/payment-reminder.json'));
  const menu = page.getByTestId('canvas-context-menu');
  const nodes = canvas.locator('[data-node-id]');
  const total = await nodes.count();

  await canvas.locator('[data-node-id="count-reminder"]').click({ button: 'right' });
  await expect(menu).toHaveAttribute('data-target', 'node');
  await expect(menu.getByRole('menuitem')).toHaveText([/Copy/, /Paste/, /Delete/, /Pause before/, /Pause after/]);
  // Right-clicking selects the node, which opens the properties panel and narrows the canvas.
  // The menu must survive that resize: once the minimap's view frame has the canvas's current
  // proportions, the canvas has handled its latest resize, and the menu is still open.
  const viewport = page.viewportSize();
  if (!viewport) throw new Error('the page has no fixed viewport');
  await page.setViewportSize({ width: viewport.width - 240, height: viewport.height });
  const frame = page.getByTestId('canvas-minimap-visible');
  const aspect = (box: { width: number; height: number }) => box.width / box.height;
  await expect
    .poll(async () => Math.abs(aspect(await boxOf(frame)) / aspect(await boxOf(canvas)) - 1))
    .toBeLessThan(0.03);
  await expect(menu).toHaveAttribute('data-target', 'node');
  await menu.locator('[data-menu-action="delete"]').click();
  await expect(menu).toBeHidden();
  await expect(canvas.locator('[data-node-id="count-reminder"]')).toHaveCount(0);
  await expect(nodes).toHaveCount(total - 1);
  await page.keyboard.press('Control+z');
  await expect(canvas.locator('[data-node-id="count-reminder"]')).toBeVisible();

  // Right-clicking the blank canvas offers canvas-wide actions; nothing was copied, so no paste.
  const area = await boxOf(canvas);
  await page.mouse.click(area.x + 30, area.y + 30, { button: 'right' });
  await expect(menu).toHaveAttribute('data-target', 'blank');
  await expect(menu.locator('[data-menu-action="paste"]')).toBeDisabled();
  await menu.locator('[data-menu-action="selectAll"]').click();
  await expect(canvas.locator('.lf-node-selected')).toHaveCount(total);

  await page.mouse.click(area.x + 30, area.y + 30, { button: 'right' });
  await expect(menu).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
});

test('the minimap shows the drawing, moves the view when clicked, and can be hidden', async ({ page, request }) => {
  const canvas = await openFlow(page, await createFlow(request, 'bpmn/expense-approval.json'));
  const minimap = page.getByTestId('canvas-minimap');
  const frame = page.getByTestId('canvas-minimap-visible');
  await expect(minimap.getByRole('img')).toBeVisible();
  await expect(frame).toBeVisible();

  // Zoomed in, the view covers part of the drawing; a click on the map's corner goes there.
  for (let step = 0; step < 4; step += 1) await page.locator('[data-action="zoom-in"]').click();
  const task = canvas.locator('[data-node-id="director-approval"]');
  const before = await boxOf(task);
  const map = await boxOf(minimap.getByRole('img'));
  await page.mouse.click(map.x + map.width - 30, map.y + map.height - 30);
  await expect.poll(async () => (await boxOf(task)).x).toBeLessThan(before.x - 50);

  await page.locator('[data-action="toggle-minimap"]').click();
  await expect(minimap.getByRole('img')).toBeHidden();
  await page.locator('[data-action="toggle-minimap"]').click();
  await expect(minimap.getByRole('img')).toBeVisible();
});

test('a selected pool stays behind its lanes and tasks, which remain clickable', async ({ page, request }) => {
  const canvas = await openFlow(page, await createFlow(request, 'bpmn/expense-approval.json'));
  const pool = canvas.locator('[data-node-id="pool"]');
  const task = canvas.locator('[data-node-id="submit-expense"]');
  await expect(pool).toContainText('Expense approval');

  // Its header band, left of the lanes.
  const frame = await boxOf(pool.locator('rect').first());
  await page.mouse.click(frame.x + 6, frame.y + frame.height / 2);
  await expect(pool).toHaveClass(/lf-node-selected/);

  await task.click();
  await expect(task).toHaveClass(/lf-node-selected/);
  await expect(pool).not.toHaveClass(/lf-node-selected/);
  await expect(page.getByTestId('properties-panel').locator('form[data-node-id="submit-expense"]')).toBeVisible();
});

test('dragging a pool carries its lanes and tasks along, as one undoable move', async ({ page, request }) => {
  const id = await createFlow(request, 'bpmn/expense-approval.json');
  const canvas = await openFlow(page, id);
  const pool = canvas.locator('[data-node-id="pool"]');
  const task = canvas.locator('[data-node-id="submit-expense"]');
  const before = await boxOf(task);

  // Grab the pool by its header band, left of the lanes, and move it 60 px down.
  const frame = await boxOf(pool.locator('rect').first());
  const grip = { x: frame.x + 6, y: frame.y + frame.height / 2 };
  await page.mouse.move(grip.x, grip.y);
  await page.mouse.down();
  await page.mouse.move(grip.x, grip.y + 60, { steps: 10 });
  await page.mouse.up();

  // LogicFlow starts a drag after a few pixels and snaps to its grid: the pool moves about 60 px.
  await expect.poll(async () => (await boxOf(task)).y - before.y).toBeGreaterThan(30);
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('dirty-marker')).toBeHidden();
  const saved = (await (await request.get(`/api/flows/${id}`)).json()) as { flow: { nodes: { id: string; position: { y: number } }[] } };
  const original = JSON.parse(readFileSync(new URL('../../examples/bpmn/expense-approval.json', import.meta.url), 'utf8')) as typeof saved.flow;
  const shift = (nodeId: string) => (saved.flow.nodes.find((node) => node.id === nodeId)?.position.y ?? 0) - (original.nodes.find((node) => node.id === nodeId)?.position.y ?? 0);
  const moved = shift('pool');
  expect(moved).toBeGreaterThan(30);
  expect([shift('lane-employee'), shift('submit-expense'), shift('end-paid')]).toEqual([moved, moved, moved]);

  await page.keyboard.press('Control+z');
  await expect.poll(async () => Math.round((await boxOf(task)).y - before.y)).toBe(0);
  await expect(page.getByTestId('dirty-marker')).toBeVisible();
});
