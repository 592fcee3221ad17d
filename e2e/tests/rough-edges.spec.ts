// What a new user meets first in the editor (issue 13): quick-add from a connection's loose end,
// renaming the flow in the header, the warning before leaving unsaved edits, and "flow not found"
// for an id nothing is stored under.
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { centreOf } from './gestures';

/** A start and an end with room between them, stored through the API. */
async function storeFlow(request: APIRequestContext): Promise<string> {
  // The e2e database outlives one run: every test stores its own copy.
  const id = `rough-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const flow = {
    schemaVersion: 1,
    id,
    name: `Greeter ${id}`,
    kind: 'agent',
    state: { channels: [{ name: 'greeting', type: 'string', reducer: 'replace' }] },
    nodes: [
      { id: 'start', type: 'agent.start', name: 'Start', position: { x: 100, y: 150 }, config: {} },
      { id: 'end', type: 'agent.end', name: 'End', position: { x: 700, y: 150 }, config: {} },
    ],
    edges: [],
  };
  expect((await request.post('/api/flows', { data: flow })).status()).toBe(201);
  return id;
}

async function openStored(page: Page, id: string) {
  await page.goto(`/flows/${id}`);
  const canvas = page.getByTestId('flow-canvas');
  await expect(canvas.locator('[data-node-id="start"]')).toBeVisible();
  return canvas;
}

async function storedFlow(request: APIRequestContext, id: string) {
  return (await (await request.get(`/api/flows/${id}`)).json()) as {
    flow: { name: string; nodes: { id: string; type: string }[]; edges: { source: string; target: string }[] };
  };
}

test('a connection dropped on empty canvas offers the types that may follow, and adds the chosen one connected, undone in one step', async ({ page, request }) => {
  const id = await storeFlow(request);
  const canvas = await openStored(page, id);
  const start = canvas.locator('[data-node-id="start"]');
  await page.mouse.move(0, 0);
  await start.hover();
  const anchors = start.locator('.lf-node-anchor');
  await expect(anchors.first()).toBeAttached();
  const points = await Promise.all((await anchors.all()).map((anchor) => centreOf(anchor)));
  const rightmost = points.reduce((best, point) => (point.x > best.x ? point : best));
  // Dropped halfway to the end, where nothing is drawn.
  const end = await centreOf(canvas.locator('[data-node-id="end"]'));
  const drop = { x: (rightmost.x + end.x) / 2, y: rightmost.y + 120 };
  await page.mouse.move(rightmost.x, rightmost.y);
  await page.mouse.down();
  await page.mouse.move(rightmost.x + 30, rightmost.y, { steps: 5 });
  await page.mouse.move(drop.x, drop.y, { steps: 15 });
  await page.mouse.up();

  const menu = page.getByTestId('quick-add-menu');
  await expect(menu).toBeVisible();
  await expect(menu).toContainText('connected from "Start"');
  await expect(menu.locator('[data-node-type="agent.template"]')).toBeVisible();
  // Only what may follow a start in an agent flow: no start, no BPMN type.
  await expect(menu.locator('[data-node-type="agent.start"]')).toHaveCount(0);
  await expect(menu.locator('[data-node-type^="bpmn."]')).toHaveCount(0);
  await menu.getByTestId('quick-add-filter').fill('templ');
  await menu.locator('[data-node-type="agent.template"]').click();
  await expect(menu).toBeHidden();

  const added = canvas.locator('[data-node-id="template_1"]');
  await expect(added).toBeVisible();
  await expect(canvas.locator('.lf-edge')).toHaveCount(1);
  const addedBox = await centreOf(added);
  expect(Math.abs(addedBox.x - drop.x)).toBeLessThan(40);

  await page.keyboard.press('Control+z');
  await expect(added).toHaveCount(0);
  await expect(canvas.locator('.lf-edge')).toHaveCount(0);
  await page.keyboard.press('Control+y');
  await expect(added).toBeVisible();
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('dirty-marker')).toBeHidden();
  const stored = (await storedFlow(request, id)).flow;
  expect(stored.nodes.find((node) => node.id === 'template_1')?.type).toBe('agent.template');
  expect(stored.edges).toEqual([expect.objectContaining({ source: 'start', target: 'template_1' })]);
});

test('the flow is renamed in the header, undone like any edit, and saved with its revision', async ({ page, request }) => {
  const id = await storeFlow(request);
  await openStored(page, id);
  await page.locator('[data-action="rename-flow"]').click();
  const field = page.getByTestId('flow-name-input');
  await field.fill('Welcome desk');
  await field.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome desk' })).toBeVisible();
  await expect(page.getByTestId('dirty-marker')).toBeVisible();
  await page.keyboard.press('Control+z');
  await expect(page.getByRole('heading', { level: 1, name: `Greeter ${id}` })).toBeVisible();
  await page.keyboard.press('Control+y');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('dirty-marker')).toBeHidden();
  expect((await storedFlow(request, id)).flow.name).toBe('Welcome desk');
});

test('leaving with unsaved changes warns, inside the app and for the browser', async ({ page, request }) => {
  const id = await storeFlow(request);
  await openStored(page, id);
  // Nothing edited yet: leaving asks nothing.
  await page.getByRole('link', { name: 'Loomflow' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Flows' })).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId('flow-canvas').locator('[data-node-id="start"]')).toBeVisible();

  await page.locator('[data-action="rename-flow"]').click();
  await page.getByTestId('flow-name-input').fill('Edited');
  await page.getByTestId('flow-name-input').press('Enter');
  await page.getByRole('link', { name: 'Loomflow' }).click();
  const warning = page.getByRole('dialog', { name: 'Leave without saving?' });
  await expect(warning).toBeVisible();
  await warning.getByRole('button', { name: 'Stay' }).click();
  await expect(page).toHaveURL(new RegExp(`/flows/${id}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Edited' })).toBeVisible();

  // A reload asks the browser's own question; staying keeps the edit on the page. The cancelled
  // reload is not awaited: Playwright leaves its promise waiting for a load that never comes.
  const question = page.waitForEvent('dialog');
  void page.reload().catch(() => undefined);
  const dialog = await question;
  expect(dialog.type()).toBe('beforeunload');
  await dialog.dismiss();
  await expect(page.getByRole('heading', { level: 1, name: 'Edited' })).toBeVisible();

  await page.getByRole('link', { name: 'Loomflow' }).click();
  await warning.getByRole('button', { name: 'Leave' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Flows' })).toBeVisible();
});

test('an id nothing is stored under shows "flow not found", not a stand-in flow', async ({ page }) => {
  await page.goto('/flows/no-such-flow-here');
  const notFound = page.getByTestId('flow-not-found');
  await expect(notFound.getByRole('heading', { level: 1, name: 'Flow not found' })).toBeVisible();
  await expect(notFound).toContainText('"no-such-flow-here"');
  await expect(page.getByTestId('flow-canvas')).toHaveCount(0);
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);
  await notFound.locator('[data-action="back-to-flows"]').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Flows' })).toBeVisible();
});

test('a template is previewed before use, and the checkout template runs its copied sub-flow', async ({ page, request }) => {
  await page.goto('/');
  const card = page.getByTestId('templates-gallery').locator('[data-template-id="checkout-with-subflow"]');
  await expect(card.getByRole('img', { name: 'Drawing of "Checkout with a sub-flow"' })).toBeVisible();
  await card.locator('[data-action="preview-template"]').click();
  const preview = page.getByTestId('template-preview');
  await expect(preview.locator('[data-node-id="price-order"]')).toContainText('Sub-flow');
  await expect(preview.getByTestId('template-runs')).toHaveText('Runs "Order receipt", which is copied with it.');
  await page.locator('[data-action="use-previewed-template"]').click();
  await expect(page).toHaveURL(/\/flows\/checkout-with-subflow-[a-z0-9]+$/);
  await expect(page.getByTestId('flow-canvas').locator('[data-node-id="price-order"]')).toBeVisible();

  // The copy runs the copied sub-flow: its receipt and total come back.
  const flowId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
  const started = await request.post(`/api/flows/${flowId}/runs`, {
    data: { input: { customer: 'Ada', order: { lines: [{ name: 'Tea', quantity: 2, unitPrice: 5 }] } } },
  });
  expect(started.status()).toBe(202);
  const { threadId } = (await started.json()) as { threadId: string };
  await expect
    .poll(async () => ((await (await request.get(`/api/threads/${threadId}/state`)).json()) as { values?: { message?: string } }).values?.message ?? '', { timeout: 30_000 })
    .toContain('Thank you, Ada!');
});
