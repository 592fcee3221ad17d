// An LLM node configured without typing JSON, against the built server in Chromium: the provider
// is added on the settings page (pointing at a real OpenAI-protocol server on loopback), then
// picked in the node's properties, its connection tested there, one of the models it lists picked,
// the temperature set on its slider, and the retry set in the collapsed Execution section. The
// saved flow holds exactly those settings.
import { startOpenAiTestServer, type OpenAiTestServer } from '@loomflow/openai-test-server';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures';

let provider: OpenAiTestServer;
test.beforeAll(async () => {
  provider = await startOpenAiTestServer();
});
test.afterAll(() => provider.close());

/** The e2e database outlives a run: every name this journey creates is new. */
const suffix = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

async function storeLlmFlow(request: APIRequestContext, id: string): Promise<void> {
  const flow = {
    schemaVersion: 1,
    id,
    name: 'Ask a model',
    kind: 'agent',
    state: { channels: [{ name: 'question', type: 'string', reducer: 'replace' }, { name: 'messages', type: 'messages', reducer: 'messages' }] },
    nodes: [
      { id: 'start', type: 'agent.start', position: { x: 100, y: 200 }, config: {} },
      { id: 'ask', type: 'agent.llm', name: 'Ask', position: { x: 320, y: 200 }, config: { prompt: '{{question}}' } },
      { id: 'end', type: 'agent.end', position: { x: 540, y: 200 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'ask' },
      { id: 'e2', source: 'ask', target: 'end' },
    ],
  };
  const response = await request.post('/api/flows', { data: flow });
  expect(response.status()).toBe(201);
}

test('an LLM node is configured without typing JSON: provider from settings, model, temperature, retry', async ({ page, request }) => {
  const providerId = `local-${suffix}`;
  const flowId = `ask-${suffix}`;
  await storeLlmFlow(request, flowId);

  // The provider is set up where providers live: the settings page.
  await page.goto('/settings/providers');
  await page.getByRole('button', { name: 'Add provider' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a model provider' });
  await dialog.getByLabel('ID').fill(providerId);
  await dialog.getByLabel('Base URL').fill(provider.baseUrl);
  await dialog.getByLabel('Default model').fill('first-model');
  await dialog.getByLabel('API key', { exact: true }).fill('sk-e2e-properties');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  await page.goto(`/flows/${flowId}`);
  await page.getByTestId('flow-canvas').locator('[data-node-id="ask"]').click();
  const panel = page.getByTestId('properties-panel');
  await expect(panel.locator('form[data-node-id="ask"]')).toBeVisible();
  // Labels and help come from the registry, not the schema keys.
  const editor = panel.locator('[data-model-editor]');
  await expect(editor.locator('[data-field-row="credential"]')).toContainText('A model provider held in the server\'s settings');

  // The provider brings its protocol and default model.
  await editor.locator('[data-field-row="credential"] .el-select__wrapper').click();
  await page.getByRole('option', { name: `${providerId} · OpenAI-compatible` }).click();
  await expect(editor.locator('[data-field-row="model"] .el-select__placeholder')).toHaveText('first-model');

  // Testing the connection lists the provider's models for the model picker.
  await editor.getByRole('button', { name: 'Test connection' }).click();
  await expect(editor.getByTestId('connection-result')).toHaveText(/^Connected in \d+ ms; 1 models offered\.$/);
  await editor.locator('[data-field-row="model"] .el-select__wrapper').click();
  await page.getByRole('option', { name: 'test-model', exact: true }).click();
  await expect(editor.locator('[data-field-row="model"] .el-select__placeholder')).toHaveText('test-model');

  const temperature = editor.locator('[data-field-row="temperature"] .el-slider__input input');
  await temperature.fill('0.2');
  await temperature.press('Enter');

  // Retry is in the Execution section, folded away until opened.
  const execution = panel.getByTestId('execution-section');
  const attempts = execution.locator('[data-field-row="maxAttempts"] input');
  await expect(attempts).toBeHidden();
  await execution.getByText('Execution', { exact: true }).click();
  await attempts.fill('3');
  await attempts.press('Tab');
  const onError = execution.locator('[data-field-row="onError"] .el-switch');
  await onError.click();
  // The switch shows the node's setting: once it is on, the edit is in the flow that is saved.
  await expect(onError).toHaveClass(/is-checked/);

  await page.locator('[data-action="save"]').click();
  await expect(page.getByTestId('dirty-marker')).toBeHidden();
  const stored = (await (await request.get(`/api/flows/${flowId}`)).json()) as { flow: { nodes: { id: string; config: Record<string, unknown> }[] } };
  expect(stored.flow.nodes.find((node) => node.id === 'ask')?.config).toEqual({
    prompt: '{{question}}',
    model: { credential: providerId, model: 'test-model', temperature: 0.2 },
    retry: { maxAttempts: 3, initialIntervalMs: 500, backoffFactor: 2 },
    onError: 'route',
  });

  // The same form in Chinese, labelled from the registry.
  await page.getByTestId('language-switch').getByText('中文', { exact: true }).click();
  await expect(panel.getByTestId('execution-section')).toContainText('执行');
  await expect(editor.locator('[data-field-row="credential"]')).toContainText('服务商');
});
