import { expect, test } from './fixtures';
import { connect, dragFromPalette } from './gestures';

test('build a small agent from the palette, connect it, undo and redo, and keep it after saving', async ({ page }) => {
  // A long journey of real pointer gestures on a two-core machine.
  test.setTimeout(120_000);
  await page.goto('/');
  await page.locator('[data-action="new-agent"]').click();
  await expect(page).toHaveURL(/\/flows\/agent-[a-z0-9]+\?new=agent$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Untitled agent' })).toBeVisible();

  const canvas = page.getByTestId('flow-canvas');
  await expect(canvas.locator('svg.lf-canvas-overlay')).toBeVisible();
  const area = await canvas.boundingBox();
  if (!area) throw new Error('the canvas is not visible');
  const at = (x: number, y: number) => ({ x: area.x + x, y: area.y + y });

  await dragFromPalette(page, 'agent.start', at(120, 200));
  await dragFromPalette(page, 'agent.template', at(340, 200));
  await dragFromPalette(page, 'agent.end', at(560, 200));
  const nodes = canvas.locator('[data-node-id]');
  await expect(nodes).toHaveCount(3);
  await expect(canvas.locator('[data-node-id="template_1"]')).toContainText('Template');
  await expect(page.getByTestId('dirty-marker')).toBeVisible();

  await connect(page, canvas, 'start_1', 'template_1');
  await connect(page, canvas, 'template_1', 'end_1');
  const edges = canvas.locator('.lf-edge');
  await expect(edges).toHaveCount(2);

  // Nothing may leave an end: the connection is refused and the reason is shown.
  await connect(page, canvas, 'end_1', 'start_1');
  await expect(page.locator('.connection-refused')).toContainText('Nothing can leave "End": it is an end.');
  await expect(edges).toHaveCount(2);

  // Undo the two connections and the last node, then redo all three.
  await page.locator('[data-action="undo"]').click();
  await page.locator('[data-action="undo"]').click();
  await expect(edges).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(nodes).toHaveCount(2);
  await page.locator('[data-action="redo"]').click();
  await expect(nodes).toHaveCount(3);
  await page.keyboard.press('Control+y');
  await page.keyboard.press('Control+Shift+Z');
  await expect(edges).toHaveCount(2);
  await expect(page.locator('[data-action="redo"]')).toBeDisabled();

  // Configure the template in the properties panel; the change is undoable too.
  await canvas.locator('[data-node-id="template_1"]').click();
  const panel = page.getByTestId('properties-panel');
  await expect(panel.locator('form[data-node-id="template_1"]')).toBeVisible();
  const template = panel.locator('[data-config-key="template"] .cm-content');
  await expect(template).toHaveText('Hello {{name}}');
  await template.fill('Hello {{question}}');
  await template.blur();
  await page.locator('[data-action="undo"]').click();
  await expect(template).toHaveText('Hello {{name}}');
  await page.locator('[data-action="redo"]').click();
  await expect(template).toHaveText('Hello {{question}}');

  await page.locator('[data-action="save"]').click();
  await expect(page.getByTestId('dirty-marker')).toBeHidden();
  await page.reload();
  await expect(nodes).toHaveCount(3);
  await expect(edges).toHaveCount(2);
  await canvas.locator('[data-node-id="template_1"]').click();
  await expect(page.getByTestId('properties-panel').locator('[data-config-key="template"] .cm-content')).toHaveText('Hello {{question}}');
});

test('Delete removes the selected node with its connections, and the shortcuts are listed', async ({ page }) => {
  await page.goto('/flows/delete-demo?new=sample');
  const canvas = page.getByTestId('flow-canvas');
  await expect(canvas.locator('[data-node-id]')).toHaveCount(8);
  await canvas.locator('[data-node-id="submit"]').click();
  await page.keyboard.press('Delete');
  await expect(canvas.locator('[data-node-id]')).toHaveCount(7);
  await expect(canvas.locator('.lf-edge')).toHaveCount(6);
  await page.keyboard.press('Control+z');
  await expect(canvas.locator('.lf-edge')).toHaveCount(8);

  await page.locator('[data-action="shortcuts"]').click();
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Delete the selection');
});

test('nodes copied in one flow paste into another, and a problem reveals its node', async ({ page }) => {
  await page.goto('/flows/copy-source?new=sample');
  const canvas = page.getByTestId('flow-canvas');
  await expect(canvas.locator('[data-node-id]')).toHaveCount(8);
  await canvas.locator('[data-node-id="submit"]').click();
  await page.keyboard.press('Control+c');

  // Within the app (no page load), so the clipboard is still there.
  await page.getByRole('link', { name: 'Loomflow' }).click();
  await page.locator('[data-action="new-bpmn"]').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Untitled process' })).toBeVisible();
  await expect(canvas.locator('[data-node-id]')).toHaveCount(0);
  await page.keyboard.press('Control+v');
  const pasted = canvas.locator('[data-node-id="userTask_1"]');
  await expect(pasted).toContainText('Submit expense');

  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await expect(canvas.locator('[data-node-id]')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(pasted).toBeVisible();

  // With a start event and nothing connecting it, the pasted task is unreachable: a problem on it.
  const panel = page.getByTestId('properties-panel');
  const area = await canvas.boundingBox();
  if (!area) throw new Error('the canvas is not visible');
  await dragFromPalette(page, 'bpmn.startEvent', { x: area.x + 60, y: area.y + 60 });
  await expect(canvas.locator('[data-node-id]')).toHaveCount(2);
  await expect(panel.locator('form[data-node-id="startEvent_1"]')).toBeVisible();
  await page.getByTestId('problems-list').locator('[data-element-id="userTask_1"]').first().click();
  await expect(panel.locator('form[data-node-id="userTask_1"]')).toBeVisible();
});
