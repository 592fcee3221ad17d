// The settings pages against the built server in Chromium: a model provider pointing at a real
// OpenAI-protocol server passes its connection test with the key typed once, and that key is
// in no answer of the server and nowhere on the page, before or after a reload; an MCP server
// is registered row by row; a knowledge base gets an uploaded document and finds it by search.
import { startOpenAiTestServer, type OpenAiTestServer } from '@loomflow/openai-test-server';
import type { Page, Response } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { expect, test } from './fixtures';

let provider: OpenAiTestServer;
test.beforeAll(async () => {
  provider = await startOpenAiTestServer();
});
test.afterAll(() => provider.close());

/** The e2e database outlives a run: every name this journey creates is new. */
const suffix = Date.now().toString(36);
const API_KEY = `sk-e2e-${randomBytes(16).toString('hex')}`;
const MCP_SECRET = `mcp-secret-${randomBytes(16).toString('hex')}`;

/** Every /api answer the page receives, as text, to look for secrets in. */
function recordApiAnswers(page: Page): Promise<string>[] {
  const bodies: Promise<string>[] = [];
  page.on('response', (response: Response) => {
    if (new URL(response.url()).pathname.startsWith('/api/')) bodies.push(response.text().catch(() => ''));
  });
  return bodies;
}

test('providers, MCP servers and knowledge bases are set up from the settings pages', async ({ page }) => {
  const answers = recordApiAnswers(page);
  const providerId = `local-${suffix}`;
  const mcpName = `tools-${suffix}`;
  const baseId = `handbook-${suffix}`;

  await page.goto('/');
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/\/settings\/providers$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();

  // A provider, its key typed once into a password field.
  await page.getByRole('button', { name: 'Add provider' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a model provider' });
  await dialog.getByLabel('ID').fill(providerId);
  await dialog.getByLabel('Base URL').fill(provider.baseUrl);
  await dialog.getByLabel('Default model').fill('test-model');
  const keyField = dialog.getByLabel('API key', { exact: true });
  await expect(keyField).toHaveAttribute('type', 'password');
  await keyField.fill(API_KEY);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  const item = page.locator(`[data-provider-id="${providerId}"]`);
  await expect(item.getByTestId('key-status')).toHaveText('Key set');
  await item.getByRole('button', { name: 'Test connection' }).click();
  await expect(item.getByTestId('connection-result')).toHaveAttribute('data-ok', 'true');
  await expect(item.getByTestId('connection-result')).toContainText('Connected · HTTP 200');
  await expect(item.getByTestId('connection-result')).toContainText('Connected: 1 model available.');
  // The stored key is what the server sent the provider.
  expect(provider.requests.filter((request) => request.path === '/v1/models').at(-1)?.headers.authorization).toBe(`Bearer ${API_KEY}`);

  await page.reload();
  await expect(item.getByTestId('key-status')).toHaveText('Key set');
  expect(await page.content()).not.toContain(API_KEY);
  await item.getByRole('button', { name: 'Edit' }).click();
  const editDialog = page.getByRole('dialog', { name: `Edit provider "${providerId}"` });
  await expect(editDialog.getByLabel('API key', { exact: true })).toHaveValue('');
  await expect(editDialog.getByTestId('reenter-key')).toBeVisible();
  await editDialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(editDialog).toBeHidden();

  // An MCP server, its arguments and variables as rows.
  await page.getByRole('link', { name: 'MCP servers' }).click();
  await expect(page).toHaveURL(/\/settings\/mcp-servers$/);
  await page.getByRole('button', { name: 'Add MCP server' }).click();
  const mcpDialog = page.getByRole('dialog', { name: 'Register an MCP server' });
  await mcpDialog.getByLabel('Name', { exact: true }).fill(mcpName);
  await mcpDialog.getByLabel('Command').fill('npx');
  await mcpDialog.getByRole('button', { name: 'Add argument' }).click();
  await mcpDialog.getByLabel('Argument 1').fill('-y');
  await mcpDialog.getByRole('button', { name: 'Add argument' }).click();
  await mcpDialog.getByLabel('Argument 2').fill('@modelcontextprotocol/server-everything');
  await mcpDialog.getByRole('button', { name: 'Add variable' }).click();
  await mcpDialog.locator('[data-field="env"] [data-row]').getByRole('textbox', { name: 'Name' }).fill('EVERYTHING_TOKEN');
  await mcpDialog.locator('[data-field="env"] [data-row]').getByLabel('Value').fill(MCP_SECRET);
  await mcpDialog.getByRole('button', { name: 'Save' }).click();
  await expect(mcpDialog).toBeHidden();
  const server = page.locator(`[data-mcp-server="${mcpName}"]`);
  await expect(server.getByTestId('command-line')).toHaveText('npx -y @modelcontextprotocol/server-everything');
  await expect(server.getByTestId('env-name')).toHaveText('EVERYTHING_TOKEN');

  // A knowledge base, a document uploaded from a file, and a search that finds it.
  await page.getByRole('link', { name: 'Knowledge bases' }).click();
  await page.getByRole('button', { name: 'New knowledge base' }).click();
  const baseDialog = page.getByRole('dialog', { name: 'Create a knowledge base' });
  await baseDialog.getByLabel('ID').fill(baseId);
  await baseDialog.getByLabel('Name', { exact: true }).fill('Team handbook');
  await baseDialog.getByRole('button', { name: 'Create' }).click();
  await expect(baseDialog).toBeHidden();
  await page.locator(`[data-knowledge-base="${baseId}"]`).getByRole('link', { name: 'Team handbook' }).click();
  await expect(page).toHaveURL(new RegExp(`/settings/knowledge-bases/${baseId}$`));

  await page.getByLabel('Upload a file').setInputFiles({
    name: 'expenses.md',
    mimeType: 'text/markdown',
    buffer: Buffer.from('# Expenses\n\nReceipts over 50 EUR need a manager approval within five days.\n'),
  });
  await expect(page.locator('[data-document="expenses.md"]')).toBeVisible();
  await expect(page.getByTestId('knowledge-base-detail').getByTestId('counts')).toHaveText('1 documents · 1 passages');

  await page.getByLabel('Question or keywords').fill('who approves receipts');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const hit = page.getByTestId('search-hit').first();
  await expect(hit).toContainText('Receipts over 50 EUR need a manager approval');
  await expect(hit).toContainText('expenses.md');
  const score = Number(await hit.getAttribute('data-score'));
  expect(score).toBeGreaterThan(0);
  await expect(hit).toContainText(`score ${new Intl.NumberFormat('en', { maximumSignificantDigits: 3 }).format(score)}`);

  // Neither secret came back in any answer, nor is it on the page.
  const texts = await Promise.all(answers);
  expect(texts.length).toBeGreaterThan(10);
  expect(texts.filter((text) => text.includes(API_KEY) || text.includes(MCP_SECRET))).toEqual([]);
  expect(await page.content()).not.toContain(MCP_SECRET);
});
