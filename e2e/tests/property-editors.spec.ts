// The rich property editors as a person uses them: a user-task form built field by field with its
// preview, a wrong FEEL condition fixed from its field error with completion, and a prompt
// completing {{question}}. Each change is saved and read back through the server's API.
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures';
import { clickEdge } from './gestures';
import { createFlow, openFlow } from './stored-flows';

test.describe.configure({ timeout: 120_000 });

interface StoredFlow {
  readonly nodes: { id: string; config: Record<string, unknown> }[];
  readonly edges: { id: string; condition?: string }[];
}

async function stored(request: APIRequestContext, id: string): Promise<StoredFlow> {
  return ((await (await request.get(`/api/flows/${id}`)).json()) as { flow: StoredFlow }).flow;
}

test('build a user-task form with three fields and see the form a person will get', async ({ page, request }) => {
  const id = `user-task-form-${Date.now().toString(36)}`;
  const shape = (x: number, width = 36, height = 36) => ({ position: { x, y: 120 }, size: { width, height } });
  const response = await request.post('/api/flows', {
    data: {
      schemaVersion: 1,
      id,
      name: 'Leave request',
      kind: 'bpmn',
      nodes: [
        { id: 'start', type: 'bpmn.startEvent', name: 'Start', ...shape(100), config: { eventDefinition: { type: 'none' } } },
        { id: 'request', type: 'bpmn.userTask', name: 'Request leave', ...shape(300, 100, 80), config: {} },
        { id: 'end', type: 'bpmn.endEvent', name: 'End', ...shape(500), config: { eventDefinition: { type: 'none' } } },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'request' },
        { id: 'e2', source: 'request', target: 'end' },
      ],
    },
  });
  expect(response.status()).toBe(201);
  const canvas = await openFlow(page, id);
  await canvas.locator('[data-node-id="request"]').click();
  const builder = page.getByTestId('properties-panel').getByTestId('form-builder');
  await expect(builder).toBeVisible();

  const fields = [
    { key: 'days', label: 'Days off', type: 'Number' },
    { key: 'kind', label: 'Kind of leave', type: 'Choice' },
    { key: 'urgent', label: 'Urgent', type: 'Yes / no' },
  ];
  for (const [index, field] of fields.entries()) {
    await builder.locator('[data-action="add-field"]').click();
    const row = builder.locator(`[data-field-row="${index}"]`);
    await row.locator('input[data-prop="key"]').fill(field.key);
    await row.locator('input[data-prop="key"]').press('Enter');
    await row.locator('input[data-prop="label"]').fill(field.label);
    await row.locator('input[data-prop="label"]').press('Enter');
    await row.locator('[data-prop="type"]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: field.type }).click();
  }
  const choice = builder.locator('[data-field-row="1"]');
  await choice.locator('input[data-prop="option-value"]').first().fill('vacation');
  await choice.locator('input[data-prop="option-value"]').first().press('Enter');
  await choice.locator('[data-action="add-option"]').click();
  await choice.locator('input[data-prop="option-value"]').nth(1).fill('sick');
  await choice.locator('input[data-prop="option-value"]').nth(1).press('Enter');
  await builder.locator('[data-field-row="0"] [data-prop="required"]').click();

  // The preview is the form the Tasks page will show for this task.
  const preview = builder.getByTestId('form-preview');
  await expect(preview.locator('[data-answer]')).toHaveCount(3);
  await expect(preview.locator('[data-answer="days"]')).toHaveAttribute('data-type', 'number');
  await expect(preview.locator('[data-answer="days"]')).toContainText('Days off *');
  await expect(preview.locator('[data-answer="kind"]')).toHaveAttribute('data-type', 'enum');
  await expect(preview.locator('[data-answer="urgent"]')).toHaveAttribute('data-type', 'boolean');
  await preview.locator('[data-answer="kind"] .el-select').click();
  await expect(page.locator('.el-select-dropdown__item:visible', { hasText: 'sick' })).toBeVisible();
  await page.keyboard.press('Escape');

  await page.locator('[data-action="save"]').click();
  await expect(page.getByTestId('dirty-marker')).toBeHidden();
  const task = (await stored(request, id)).nodes.find((node) => node.id === 'request');
  expect(task?.config.formFields).toEqual([
    { key: 'days', label: 'Days off', type: 'number', required: true },
    { key: 'kind', label: 'Kind of leave', type: 'enum', required: false, options: [{ value: 'vacation', label: 'vacation' }, { value: 'sick', label: 'sick' }] },
    { key: 'urgent', label: 'Urgent', type: 'boolean', required: false },
  ]);
});

test('fix a wrong FEEL condition from its field error, with the channels completed', async ({ page, request }) => {
  const id = await createFlow(request, 'invalid/unknown-feel-variable.json');
  // Live validation runs in its own worker, off the page's thread.
  const validationWorker = page.waitForEvent('worker', (worker) => worker.url().includes('validation.worker'));
  const canvas = await openFlow(page, id);
  // The validator flags the misspelt channel in the problems list and on the field.
  await expect(page.getByTestId('problems-list')).toContainText('Edge "e-route-urgent" has a FEEL expression that reads "priorty", which is no state channel of the flow');
  await validationWorker;
  await clickEdge(page, canvas, 'route', 'urgent-reply');
  const panel = page.getByTestId('properties-panel');
  const condition = panel.locator('[data-field="condition"] .cm-content');
  await expect(condition).toHaveText('priorty = "urgent"');
  await expect(panel.getByTestId('feel-error')).toHaveText('"priorty" is no state channel of this flow; the expression would read null there');

  await condition.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('prio');
  const completion = page.locator('.cm-tooltip-autocomplete');
  await expect(completion).toBeVisible();
  // Picked with the mouse: CodeMirror ignores Enter for a moment after the list opens
  // (its interactionDelay), which a fast test can fall into.
  await completion.getByRole('option', { name: /priority/ }).click();
  await page.keyboard.type(' = "urgent"');
  await expect(condition).toHaveText('priority = "urgent"');
  await expect(panel.getByTestId('feel-error')).toBeHidden();
  await page.keyboard.press('Enter');

  await expect(page.getByTestId('problems-list')).toContainText('No problems found.');
  await page.locator('[data-action="save"]').click();
  await expect(page.getByTestId('dirty-marker')).toBeHidden();
  expect((await stored(request, id)).edges.find((edge) => edge.id === 'e-route-urgent')?.condition).toBe('priority = "urgent"');
});

test('write a prompt with {{question}} completed from the flow channels', async ({ page, request }) => {
  const id = await createFlow(request, 'agent/rag-qa.json');
  const canvas = await openFlow(page, id);
  await canvas.locator('[data-node-id="answer"]').click();
  const prompt = page.getByTestId('properties-panel').locator('[data-config-key="prompt"] .cm-content');
  await expect(prompt).toBeVisible();

  await prompt.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('Answer briefly: {{que');
  const completion = page.locator('.cm-tooltip-autocomplete');
  // Picked with the mouse: CodeMirror ignores Enter for a moment after the list opens.
  await completion.getByRole('option', { name: /question/ }).click();
  await expect(prompt).toHaveText('Answer briefly: {{question}}');
  // A name the flow does not declare is marked as the user types.
  await page.keyboard.type(' {{nope}}');
  await expect(page.locator('.cm-template-placeholder--unknown')).toHaveText('{{nope}}');
  await page.keyboard.press('Backspace');
  for (let typed = 0; typed < ' {{nope}'.length; typed += 1) await page.keyboard.press('Backspace');
  await expect(prompt).toHaveText('Answer briefly: {{question}}');
  await canvas.click({ position: { x: 5, y: 5 } });

  await page.locator('[data-action="save"]').click();
  await expect(page.getByTestId('dirty-marker')).toBeHidden();
  expect((await stored(request, id)).nodes.find((node) => node.id === 'answer')?.config.prompt).toBe('Answer briefly: {{question}}');
});
