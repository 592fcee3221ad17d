// Running flows from the editor against the real server: every agent template whose models are
// scripted (so it runs offline) is created from the gallery, run from the run panel with a sample
// input, its human steps answered in the panel, until the run completes; and a failing node shows
// red with its error on the canvas.
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { openFlow } from './stored-flows';

const examplesDir = new URL('../../examples/agent/', import.meta.url);

interface Template {
  readonly file: string;
  readonly id: string;
  readonly nodes: readonly { readonly id: string; readonly type: string; readonly config: unknown }[];
}

interface Sample {
  readonly input: Record<string, unknown>;
  /** A channel of the final state that must hold something. */
  readonly answer: string;
  /** What the server must hold before the template can run (a knowledge base…). */
  readonly setup?: (request: APIRequestContext) => Promise<void>;
}

/** Every `model` object in a node's config, however deep (an agent's inner model, a router's). */
function modelsIn(value: unknown): { provider?: unknown }[] {
  if (Array.isArray(value)) return value.flatMap(modelsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    ...(key === 'model' && typeof inner === 'object' && inner !== null ? [inner as { provider?: unknown }] : []),
    ...modelsIn(inner),
  ]);
}

/** The agent templates that call models, all of them scripted: these run with no network and no key. */
const scriptedTemplates: Template[] = readdirSync(examplesDir)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({ file, ...(JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8')) as Omit<Template, 'file'>) }))
  .filter((template) => {
    const models = template.nodes.flatMap((node) => modelsIn(node.config));
    return models.length > 0 && models.every((model) => model.provider === 'scripted');
  });

/** The knowledge base the RAG template searches, filled with its bundled documents once per database. */
async function handbook(request: APIRequestContext): Promise<void> {
  const created = await request.post('/api/knowledge-bases', { data: { id: 'loomflow-handbook', name: 'Loomflow handbook' } });
  if (created.status() === 409) return;
  expect(created.status()).toBe(201);
  for (const source of readdirSync(new URL('rag-docs/', examplesDir))) {
    const text = readFileSync(new URL(`rag-docs/${source}`, examplesDir), 'utf8');
    const added = await request.post('/api/knowledge-bases/loomflow-handbook/documents', { data: { source, text } });
    expect(added.status()).toBe(201);
  }
}

/** A sample input per template file; a scripted template missing here fails its journey, saying so. */
const samples: Record<string, Sample> = {
  'rag-qa.json': { input: { question: 'Can a waiting run be resumed by another process?' }, answer: 'answer', setup: handbook },
  'reflection-loop.json': { input: { topic: 'Loomflow' }, answer: 'draft' },
  'support-router.json': { input: { question: 'I want a refund for order 1042' }, answer: 'messages' },
  'tool-assistant.json': { input: { question: 'How much is 120 EUR in CNY?' }, answer: 'messages' },
  'react-http-code.json': { input: { question: 'What do 1000 USD at 3.5% become in 5 years?' }, answer: 'messages' },
  'plan-and-execute.json': { input: { question: 'How do we get ready for a launch?' }, answer: 'answer' },
  // Its tool call waits for a person; the panel's form approves it (the first decision offered).
  'approval-before-tool.json': { input: { request: 'Tell Li Wei the refund was approved' }, answer: 'messages' },
};

/** Fills the run panel's input form field by field, as a person would. */
async function fillInput(panel: Locator, input: Record<string, unknown>): Promise<void> {
  for (const [name, value] of Object.entries(input)) {
    const field = panel.locator(`[data-testid="run-input"] [data-input="${name}"]`);
    await expect(field, `the run form has no field "${name}"`).toBeVisible();
    const kind = await field.getAttribute('data-kind');
    if (kind === 'boolean') {
      const on = (await field.locator('[role="switch"]').getAttribute('aria-checked')) === 'true';
      if (on !== value) await field.locator('.el-switch').click();
    } else if (kind === 'number') await field.locator('input').fill(String(value));
    else await field.locator('textarea').fill(kind === 'json' ? JSON.stringify(value) : String(value));
  }
}

/** Answers the human step shown in the panel: every field gets a value a reviewer would give. */
async function answerHumanTask(panel: Locator): Promise<void> {
  const form = panel.getByTestId('human-task');
  for (const field of await form.locator('[data-answer]').all()) {
    switch (await field.getAttribute('data-type')) {
      case 'string':
        await field.locator('textarea').fill('Checked in the end-to-end journey.');
        break;
      case 'number':
        await field.locator('input').fill('1');
        break;
      case 'boolean':
        if ((await field.locator('[role="switch"]').getAttribute('aria-checked')) !== 'true') await field.locator('.el-switch').click();
        break;
      case 'date':
        await field.locator('input').fill('2030-01-15');
        await field.locator('input').press('Enter');
        break;
      case 'enum':
        await field.locator('.el-select').click();
        await form.page().locator('.el-select-dropdown__item:visible').first().click();
        break;
    }
  }
  await form.locator('[data-action="send-answer"]').click();
}

/** Waits for the run to stop; a human step is answered and the thread followed, until it ends. */
async function runToEnd(page: Page, panel: Locator): Promise<string | null> {
  for (let step = 0; step < 10; step += 1) {
    await expect(panel).toHaveAttribute('data-run-status', /^(completed|failed|cancelled|waiting)$/, { timeout: 60_000 });
    const status = await panel.getAttribute('data-run-status');
    if (status !== 'waiting') return status;
    await expect(panel.getByTestId('human-task'), 'the run waits, but not on a human step').toBeVisible();
    const runId = await panel.getAttribute('data-run-id');
    await answerHumanTask(panel);
    // The answer continues the thread in a new run.
    await expect(panel).not.toHaveAttribute('data-run-id', runId ?? '');
  }
  throw new Error(`the run on ${page.url()} still waits after ten answers`);
}

/** Opens the run panel, and fits the drawing into the canvas left above it (as a person would). */
async function openRunPanel(page: Page): Promise<Locator> {
  await page.locator('[data-action="run"]').click();
  const panel = page.getByTestId('run-panel');
  await expect(panel).toBeVisible();
  await page.locator('[data-action="fit"]').click();
  return panel;
}

// Each journey creates a flow, opens the editor and runs the flow on a two-core machine.
test.describe.configure({ timeout: 120_000 });

test('scripted agent templates are found in examples/agent', () => {
  expect(scriptedTemplates.length).toBeGreaterThan(0);
});

for (const template of scriptedTemplates) {
  test(`the "${template.file}" template runs from the gallery to its end in the run panel`, async ({ page, request }) => {
    const sample = samples[template.file];
    if (!sample) throw new Error(`${template.file} uses scripted models but has no sample input: add one to "samples" in e2e/tests/run-panel.spec.ts`);
    await sample.setup?.(request);

    await page.goto('/');
    await page.getByTestId('templates-gallery').locator(`[data-template-id="${template.id}"] [data-action="use-template"]`).click();
    // A POST, then the editor's route: on a loaded two-core machine this outlasts expect's 5 s.
    await expect(page).toHaveURL(new RegExp(`/flows/${template.id}-[a-z0-9]+$`), { timeout: 30_000 });
    const canvas = page.getByTestId('flow-canvas');
    await expect(canvas.locator('[data-node-id]').first()).toBeVisible();

    const panel = await openRunPanel(page);
    await fillInput(panel, sample.input);
    await panel.locator('[data-action="start-run"]').click();
    const status = await runToEnd(page, panel);
    const failure = status === 'failed' ? await panel.getByTestId('run-failure').textContent() : null;
    expect(status, failure ?? undefined).toBe('completed');

    const answer = panel.locator(`[data-testid="run-final-state"] [data-channel="${sample.answer}"] pre`);
    await expect(answer).not.toHaveText(/^\s*(""|\[\]|\{\}|null)?\s*$/);
    await expect(canvas.locator('[data-run-state="completed"]').first()).toBeVisible();
  });
}

test('a human step is answered in the run panel, and the thread runs on to its end', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('templates-gallery').locator('[data-template-id="human-approval"] [data-action="use-template"]').click();
  const canvas = page.getByTestId('flow-canvas');
  await expect(canvas.locator('[data-node-id="approve"]')).toBeVisible();
  const panel = await openRunPanel(page);
  await fillInput(panel, { orderId: 'A-1042', amount: 42 });
  await panel.locator('[data-action="start-run"]').click();

  await expect(panel).toHaveAttribute('data-run-status', 'waiting', { timeout: 60_000 });
  await expect(canvas.locator('[data-node-id="approve"]')).toHaveAttribute('data-run-state', 'waiting');
  await expect(panel.getByTestId('human-task')).toContainText('Refund of 42 EUR for order A-1042');
  expect(await runToEnd(page, panel)).toBe('completed');
  await expect(panel.locator('[data-testid="run-final-state"] [data-channel="reply"]')).toContainText('Checked in the end-to-end journey.');
  await expect(canvas.locator('[data-node-id="approve"]')).toHaveAttribute('data-run-state', 'completed');
});

test('a failing node turns red with its error, and the panel names it', async ({ page, request }) => {
  const id = `failing-${Date.now().toString(36)}`;
  const flow = {
    schemaVersion: 1,
    id,
    name: 'Closing the books',
    kind: 'agent',
    state: { channels: [{ name: 'total', type: 'number', reducer: 'replace', default: 0 }] },
    nodes: [
      { id: 'start', type: 'agent.start', name: 'Start', position: { x: 100, y: 150 }, config: {} },
      { id: 'close-ledger', type: 'agent.code', name: 'Close the ledger', position: { x: 320, y: 150 }, config: { source: "throw new Error('the ledger is already closed');", writes: ['total'] } },
      { id: 'end', type: 'agent.end', name: 'End', position: { x: 540, y: 150 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'close-ledger' },
      { id: 'e2', source: 'close-ledger', target: 'end' },
    ],
  };
  expect((await request.post('/api/flows', { data: flow })).status()).toBe(201);
  const canvas = await openFlow(page, id);

  const panel = await openRunPanel(page);
  await panel.locator('[data-action="start-run"]').click();
  await expect(panel).toHaveAttribute('data-run-status', 'failed', { timeout: 60_000 });
  await expect(panel.getByTestId('run-failure')).toContainText('"Close the ledger"');
  await expect(panel.getByTestId('run-failure')).toContainText('the ledger is already closed');

  const failed = canvas.locator('[data-node-id="close-ledger"]');
  await expect(failed).toHaveAttribute('data-run-state', 'failed');
  await expect(failed.locator('[data-run-note]')).toContainText('the ledger is already closed');
  await expect(canvas.locator('[data-node-id="start"]')).toHaveAttribute('data-run-state', 'completed');
});
