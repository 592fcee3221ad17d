// Saving against the real server: optimistic revisions with the conflict dialog, the local draft
// that survives a closed tab, and published versions.
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** A small agent flow of three nodes, stored through the API as someone else would. */
function agentFlow(id: string) {
  return {
    schemaVersion: 1,
    id,
    name: `Greeter ${id}`,
    kind: 'agent',
    state: { channels: [{ name: 'greeting', type: 'string', reducer: 'replace' }] },
    nodes: [
      { id: 'start', type: 'agent.start', name: 'Start', position: { x: 100, y: 150 }, config: {} },
      { id: 'greet', type: 'agent.template', name: 'Greet', position: { x: 300, y: 150 }, config: { template: 'Hello', output: 'greeting' } },
      { id: 'end', type: 'agent.end', name: 'End', position: { x: 500, y: 150 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'greet' },
      { id: 'e2', source: 'greet', target: 'end' },
    ],
  };
}

const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}`;

// Each journey is a dozen real gestures and round trips on a two-core machine.
test.describe.configure({ timeout: 90_000 });

async function storeFlow(request: APIRequestContext, id: string): Promise<void> {
  const response = await request.post('/api/flows', { data: agentFlow(id) });
  expect(response.status()).toBe(201);
}

async function storedFlow(request: APIRequestContext, id: string) {
  const response = await request.get(`/api/flows/${id}`);
  expect(response.ok()).toBe(true);
  return (await response.json()) as { flow: ReturnType<typeof agentFlow>; revision: number };
}

/** Renames a node through the properties panel: one undoable edit. */
async function renameNode(page: Page, nodeId: string, name: string): Promise<void> {
  await page.getByTestId('flow-canvas').locator(`[data-node-id="${nodeId}"]`).click();
  const input = page.getByTestId('properties-panel').locator('input[data-field="name"]');
  await input.fill(name);
  await input.press('Enter');
  await expect(page.getByTestId('dirty-marker')).toBeVisible();
}

test('a save over a newer revision asks first: overwrite keeps mine, reload takes theirs', async ({ page, request }) => {
  const id = uniqueId('conflict');
  await storeFlow(request, id);
  await page.goto(`/flows/${id}`);
  await expect(page.getByTestId('flow-canvas').locator('[data-node-id]')).toHaveCount(3);

  // Someone else saves first.
  const theirs = await storedFlow(request, id);
  const update = await request.put(`/api/flows/${id}`, { data: { flow: { ...theirs.flow, name: 'Their name' }, revision: theirs.revision } });
  expect(update.status()).toBe(200);

  await renameNode(page, 'greet', 'My greeting');
  await page.keyboard.press('Control+s');
  const dialog = page.getByRole('dialog', { name: 'Saved elsewhere' });
  await expect(dialog).toContainText('revision 2');
  await dialog.locator('[data-action="conflict-overwrite"]').click();
  await expect(page.getByTestId('dirty-marker')).toBeHidden();
  const afterOverwrite = await storedFlow(request, id);
  expect(afterOverwrite.revision).toBe(3);
  expect(afterOverwrite.flow.nodes.find((node) => node.id === 'greet')?.name).toBe('My greeting');

  // And the other way round: their change wins, mine is dropped.
  await request.put(`/api/flows/${id}`, { data: { flow: { ...afterOverwrite.flow, name: 'Their second name' }, revision: 3 } });
  await renameNode(page, 'greet', 'Lost greeting');
  await page.locator('[data-action="save"]').click();
  await dialog.locator('[data-action="conflict-reload"]').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Their second name' })).toBeVisible();
  await expect(page.getByTestId('dirty-marker')).toBeHidden();
  await expect(page.getByTestId('flow-canvas').locator('[data-node-id="greet"]')).toContainText('My greeting');
});

test('unsaved edits survive a closed tab as a local draft', async ({ page, request }) => {
  const id = uniqueId('draft');
  await storeFlow(request, id);
  await page.goto(`/flows/${id}`);
  await renameNode(page, 'greet', 'Drafted greeting');
  // Past the draft's quiet time, then the tab goes away without saving.
  await page.waitForFunction((flowId) => localStorage.getItem(`loomflow.draft.${flowId}`)?.includes('Drafted greeting'), id);
  await page.reload();

  const offer = page.getByRole('dialog', { name: 'Unsaved changes found' });
  await offer.getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByTestId('flow-canvas').locator('[data-node-id="greet"]')).toContainText('Drafted greeting');
  await expect(page.getByTestId('dirty-marker')).toBeVisible();
  // The server still has the saved flow until the draft is saved.
  expect((await storedFlow(request, id)).flow.nodes.find((node) => node.id === 'greet')?.name).toBe('Greet');

  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('dirty-marker')).toBeHidden();
  expect((await storedFlow(request, id)).flow.nodes.find((node) => node.id === 'greet')?.name).toBe('Drafted greeting');
  expect(await page.evaluate((flowId) => localStorage.getItem(`loomflow.draft.${flowId}`), id)).toBeNull();
});

test('publish versions with a message and restore an older one', async ({ page, request }) => {
  const id = uniqueId('versions');
  await storeFlow(request, id);
  await page.goto(`/flows/${id}`);
  await page.locator('[data-action="versions"]').click();
  const drawer = page.getByTestId('versions-drawer');
  await expect(drawer).toContainText('No published versions yet.');
  await drawer.locator('input[data-testid="version-message"]').fill('First greeting');
  await drawer.locator('[data-action="publish"]').click();
  await expect(drawer.locator('[data-version="1"]')).toContainText('First greeting');
  await page.keyboard.press('Escape');

  await renameNode(page, 'greet', 'Second greeting');
  await page.locator('[data-action="versions"]').click();
  await drawer.locator('input[data-testid="version-message"]').fill('Second');
  // Publishing saves the unsaved edit first.
  await drawer.locator('[data-action="publish"]').click();
  await expect(drawer.locator('[data-version="2"]')).toContainText('Second');
  await expect(page.getByTestId('dirty-marker')).toBeHidden();

  await drawer.locator('[data-version="1"] [data-action="restore-version"]').click();
  await expect(page.getByTestId('flow-canvas').locator('[data-node-id="greet"]')).toContainText('Greet');
  expect((await storedFlow(request, id)).flow.nodes.find((node) => node.id === 'greet')?.name).toBe('Greet');
});
