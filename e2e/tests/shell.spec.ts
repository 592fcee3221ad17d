import { expect, test } from './fixtures';

const sampleNodeNames = ['Submit expense', 'Amount over 1000?', 'Manager approval', 'Approve automatically', 'Pay out'];

test('the flow list opens the editor', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Flows' })).toBeVisible();
  await page.getByRole('button', { name: 'Open the sample flow' }).click();

  await expect(page).toHaveURL(/\/flows\/sample\?new=sample$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Expense approval' })).toBeVisible();
});

test('an editor URL opened directly renders the LogicFlow canvas with the sample nodes', async ({ page }) => {
  await page.goto('/flows/demo?new=sample');
  const canvas = page.getByTestId('flow-canvas');
  await expect(canvas.locator('svg.lf-canvas-overlay')).toBeVisible();
  await expect(canvas.locator('.lf-node')).toHaveCount(8);
  await expect(canvas.locator('.lf-edge')).toHaveCount(8);
  for (const name of sampleNodeNames) {
    await expect(canvas.locator('text', { hasText: name })).toBeVisible();
  }
});

test('the palette of a BPMN flow offers only BPMN node types, by category, and finds them by name in either language', async ({ page }) => {
  await page.goto('/flows/demo?new=sample');
  const palette = page.getByRole('navigation', { name: 'Node types' });
  await expect(palette.locator('[data-node-type="bpmn.userTask"]')).toHaveText('User task');
  expect(await palette.locator('[data-node-type^="bpmn."]').count()).toBeGreaterThan(5);
  await expect(palette.locator('[data-node-type^="agent."]')).toHaveCount(0);
  await expect(palette.locator('[data-category="gateways"] [data-node-type="bpmn.exclusiveGateway"]')).toBeVisible();

  const search = palette.getByTestId('palette-search');
  await search.fill('用户任务');
  await expect(palette.locator('[data-node-type]')).toHaveText(['User task']);
  await search.fill('timer');
  await expect(palette.locator('[data-node-type="bpmn.userTask"]')).toHaveCount(0);
  await expect(palette.locator('[data-node-type="bpmn.intermediateCatchEvent"]')).toBeVisible();
});

test('the palette of an agent flow offers only agent node types', async ({ page }) => {
  await page.goto('/');
  await page.locator('[data-action="new-agent"]').click();
  const palette = page.getByRole('navigation', { name: 'Node types' });
  await expect(palette.locator('[data-node-type="agent.llm"]')).toHaveText('LLM');
  await expect(palette.locator('[data-node-type^="bpmn."]')).toHaveCount(0);
});

test('the toolbar zooms the canvas', async ({ page }) => {
  await page.goto('/flows/demo?new=sample');
  const node = page.getByTestId('flow-canvas').locator('.lf-node').first();
  await expect(node).toBeVisible();
  const before = await node.boundingBox();

  await page.locator('[data-action="zoom-in"]').click();
  await expect.poll(async () => (await node.boundingBox())?.width).toBeGreaterThan(before?.width ?? Infinity);

  await page.locator('[data-action="fit"]').click();
  await expect.poll(async () => (await node.boundingBox())?.width).toBeCloseTo(before?.width ?? 0, 0);
});

test('switching to 中文 changes the interface text and is remembered', async ({ page }) => {
  await page.goto('/flows/demo?new=sample');
  await expect(page.getByRole('navigation', { name: 'Node types' })).toBeVisible();

  await page.getByTestId('language-switch').getByText('中文', { exact: true }).click();

  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  const palette = page.getByRole('navigation', { name: '节点类型' });
  await expect(palette.locator('[data-node-type="bpmn.userTask"]')).toHaveText('用户任务');
  await expect(page.getByRole('heading', { level: 1, name: '报销审批' })).toBeVisible();
  await expect(page.getByTestId('flow-canvas').locator('text', { hasText: '提交报销' })).toBeVisible();

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: '流程' })).toBeVisible();
});

test('the theme switch turns on dark mode', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await expect(page.locator('html')).not.toHaveClass(/\bdark\b/);
  await page.locator('[data-action="toggle-theme"]').click();
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
});

test('/api/health answers ok', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ ok: true, db: { ok: true } });
});
