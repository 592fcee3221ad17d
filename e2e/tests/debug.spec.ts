// Running and debugging drawn flows on the canvas against the real server: node states change as
// a loop and a parallel join run, a node's inspector shows what it did, a long run is cancelled;
// a breakpoint pauses the run, it is stepped, its state inspected, edited and forked, both
// branches finish and both show in the timeline; a reload in the middle reattaches the panel; a
// human step refuses a bad answer; a model's tokens stream, and a replay needs no model server.
import { startOpenAiTestServer } from '@loomflow/openai-test-server';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createFlow, openFlow } from './stored-flows';

test.describe.configure({ timeout: 120_000 });

/** Opens the run panel, and fits the drawing into the canvas left above it. */
async function openRunPanel(page: Page): Promise<Locator> {
  await page.locator('[data-action="run"]').click();
  const panel = page.getByTestId('run-panel');
  await expect(panel).toBeVisible();
  await page.locator('[data-action="fit"]').click();
  return panel;
}

const tab = (panel: Locator, name: string) => panel.locator(`.el-tabs__item#tab-${name}`);

test('a loop runs from the canvas, each node lit as it finishes, and its inspector lists every pass', async ({ page, request }) => {
  const canvas = await openFlow(page, await createFlow(request, 'agent/loop-counter.json'));
  const panel = await openRunPanel(page);
  await panel.locator('[data-action="start-run"]').click();
  await expect(panel).toHaveAttribute('data-run-status', 'completed');
  for (const nodeId of ['start', 'increment', 'check', 'end']) await expect(canvas.locator(`[data-node-id="${nodeId}"]`)).toHaveAttribute('data-run-state', 'completed');
  await expect(panel.locator('[data-testid="run-final-state"] [data-channel="count"]')).toContainText('5');

  await canvas.locator('[data-node-id="increment"]').click();
  await expect(tab(panel, 'node')).toHaveAttribute('aria-selected', 'true');
  const inspector = panel.getByTestId('node-inspector');
  await expect(inspector.getByTestId('inspected-node')).toHaveText('Add one');
  await expect(inspector.locator('[data-execution]')).toHaveCount(5);
  await expect(inspector.getByTestId('inspected-update')).toContainText('"count": 5');
  await inspector.locator('[data-execution="0"]').click();
  await expect(inspector.getByTestId('inspected-input')).toContainText('"count": 0');
  await expect(inspector.getByTestId('inspected-update')).toContainText('"count": 1');
});

test('parallel branches finish and join; the join node shows the state it read', async ({ page, request }) => {
  const canvas = await openFlow(page, await createFlow(request, 'agent/parallel-join.json'));
  const panel = await openRunPanel(page);
  await panel.locator('[data-action="start-run"]').click();
  await expect(panel).toHaveAttribute('data-run-status', 'completed');
  for (const nodeId of ['itinerary', 'budget', 'packing', 'summary']) await expect(canvas.locator(`[data-node-id="${nodeId}"]`)).toHaveAttribute('data-run-state', 'completed');
  await canvas.locator('[data-node-id="summary"]').click();
  const input = panel.getByTestId('node-inspector').getByTestId('inspected-input');
  // The join read what all three branches wrote.
  await expect(input).toContainText('"itinerary"');
  await expect(input).toContainText('"packing"');
  await expect(input).not.toContainText('"budget": 0');
});

test('a long run is cancelled from the panel', async ({ page, request }) => {
  const id = await createFlow(request, 'agent/code-and-template.json');
  const stored = (await (await request.get(`/api/flows/${id}`)).json()) as { flow: { nodes: { type: string; config: Record<string, unknown> }[] }; revision: number };
  // Its code node now loops until the sandbox's limit, a minute: long enough to be cancelled.
  const flow = { ...stored.flow, nodes: stored.flow.nodes.map((node) => (node.type === 'agent.code' ? { ...node, config: { ...node.config, source: 'while (true) {}', timeoutMs: 60_000 } } : node)) };
  expect((await request.put(`/api/flows/${id}`, { data: { flow, revision: stored.revision } })).status()).toBe(200);
  const canvas = await openFlow(page, id);
  const panel = await openRunPanel(page);
  await panel.locator('[data-action="start-run"]').click();
  await expect(canvas.locator('[data-run-state="running"]')).toHaveCount(1);
  await panel.locator('[data-action="cancel-run"]').click();
  await expect(panel).toHaveAttribute('data-run-status', 'cancelled', { timeout: 30_000 });
  await expect(canvas.locator('[data-run-state="running"]')).toHaveCount(0);
});

test('a breakpoint pauses the run; it is stepped, inspected, edited and forked, and both branches finish', async ({ page, request }) => {
  const flowId = await createFlow(request, 'agent/loop-counter.json');
  const canvas = await openFlow(page, flowId);
  await canvas.locator('[data-node-id="check"]').click({ button: 'right' });
  await page.locator('[data-menu-action="pauseBefore"]').click();
  await expect(canvas.locator('[data-node-id="check"]')).toHaveAttribute('data-node-breakpoint', 'before');
  // The breakpoint is the flow's debug setting on the server, apart from its document.
  await expect.poll(async () => ((await (await request.get(`/api/flows/${flowId}/debug`)).json()) as { breakpoints: { before: string[] } }).breakpoints.before).toEqual(['check']);

  const panel = await openRunPanel(page);
  await panel.locator('[data-action="start-run"]').click();
  await expect(panel).toHaveAttribute('data-run-status', 'waiting');
  await expect(canvas.locator('[data-node-id="check"]')).toHaveAttribute('data-run-state', 'waiting');

  // Step twice: the condition, then the increment; the breakpoint pauses before the condition again.
  for (let step = 0; step < 2; step += 1) {
    const runId = await panel.getAttribute('data-run-id');
    await panel.locator('[data-action="step-run"]').click();
    await expect(panel).not.toHaveAttribute('data-run-id', runId ?? '');
    await expect(panel).toHaveAttribute('data-run-status', 'waiting');
  }
  await expect(canvas.locator('[data-node-id="check"]')).toHaveAttribute('data-run-state', 'waiting');

  await tab(panel, 'state').click();
  const timeline = panel.getByTestId('state-timeline');
  const here = timeline.locator('.state-timeline__entry.is-picked');
  await expect(here).toContainText('Add one');
  await expect(timeline.getByTestId('checkpoint-state').locator('[data-channel="count"]')).toHaveAttribute('data-change', 'changed');
  await expect(timeline.getByTestId('checkpoint-state').locator('[data-channel="count"]')).toContainText('2');
  const pausedAt = await here.getAttribute('data-checkpoint');
  // The canvas marks where the run stood at the picked checkpoint.
  await expect(canvas.locator('[data-node-id="check"] [data-run-here]')).toHaveCount(1);

  // Edit the count and fork: the thread waits at the edited checkpoint, then runs to its end.
  await timeline.locator('[data-action="edit-and-fork"]').click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.locator('[data-fork-channel="count"] textarea').fill('10');
  await dialog.locator('[data-action="confirm-fork"]').click();
  await expect(timeline.locator('.state-timeline__entry.is-picked')).not.toHaveAttribute('data-checkpoint', pausedAt ?? '');
  await expect(timeline.getByTestId('checkpoint-state').locator('[data-channel="count"]')).toContainText('10');
  await expect(panel).toHaveAttribute('data-run-status', 'waiting');
  await canvas.locator('[data-node-id="check"]').click();
  await tab(panel, 'node').click();
  await panel.locator('[data-action="pause-before"]').click();
  await expect(canvas.locator('[data-node-id="check"]')).not.toHaveAttribute('data-node-breakpoint', /.+/);
  await panel.locator('[data-action="continue-run"]').click();
  await expect(panel).toHaveAttribute('data-run-status', 'completed');
  // The branch keeps what ran before the fork point: its nodes stay green, the path stays drawn.
  for (const nodeId of ['start', 'increment', 'check', 'end']) await expect(canvas.locator(`[data-node-id="${nodeId}"]`)).toHaveAttribute('data-run-state', 'completed');
  await expect(canvas.locator('[data-run-taken="e-start-increment"]')).toHaveCount(1);
  await tab(panel, 'output').click();
  await expect(panel.locator('[data-testid="run-final-state"] [data-channel="count"]')).toContainText('10');

  // Back to where the first branch paused: it goes on, unedited, to count = 5.
  await tab(panel, 'state').click();
  await timeline.locator(`[data-checkpoint="${pausedAt}"]`).click();
  await timeline.locator('[data-action="continue-from"]').click();
  await expect(panel).toHaveAttribute('data-run-status', 'completed');
  await expect(timeline.locator('[data-branch="1"]').first()).toBeVisible();
  await expect(timeline.locator('.state-timeline__entry', { hasText: /finished/ })).toHaveCount(2);
  await tab(panel, 'output').click();
  await expect(panel.locator('[data-testid="run-final-state"] [data-channel="count"]')).toContainText('5');
});

test('a reload in the middle of a run reattaches the panel to it, missing nothing', async ({ page, request }) => {
  const flowId = await createFlow(request, 'agent/loop-counter.json');
  expect((await request.put(`/api/flows/${flowId}/debug`, { data: { breakpoints: { before: ['end'], after: [] } } })).status()).toBe(200);
  const canvas = await openFlow(page, flowId);
  await expect(canvas.locator('[data-node-id="end"]')).toHaveAttribute('data-node-breakpoint', 'before');
  const panel = await openRunPanel(page);
  await panel.locator('[data-action="start-run"]').click();
  await expect(panel).toHaveAttribute('data-run-status', 'waiting');
  const runId = await panel.getAttribute('data-run-id');

  await page.reload();
  const reopened = page.getByTestId('run-panel');
  await expect(reopened).toBeVisible();
  await page.locator('[data-action="fit"]').click();
  await expect(reopened).toHaveAttribute('data-run-id', runId ?? '');
  await expect(reopened).toHaveAttribute('data-run-status', 'waiting');
  for (const nodeId of ['start', 'increment', 'check']) await expect(canvas.locator(`[data-node-id="${nodeId}"]`)).toHaveAttribute('data-run-state', 'completed');
  await canvas.locator('[data-node-id="increment"]').click();
  await expect(reopened.getByTestId('node-inspector').locator('[data-execution]')).toHaveCount(5);
  await reopened.locator('[data-action="continue-run"]').click();
  await expect(reopened).toHaveAttribute('data-run-status', 'completed');
});

test('a human step refuses a bad answer with its reason, then takes a good one and the run ends', async ({ page, request }) => {
  const flowId = await createFlow(request, 'agent/human-approval.json');
  const stored = (await (await request.get(`/api/flows/${flowId}`)).json()) as { flow: { nodes: { id: string; config: { schema?: { properties: Record<string, object> } } }[] }; revision: number };
  // A comment of at least five characters: an empty one is a bad answer the server refuses.
  const nodes = stored.flow.nodes.map((node) =>
    node.id === 'approve' && node.config.schema
      ? { ...node, config: { ...node.config, schema: { ...node.config.schema, properties: { ...node.config.schema.properties, comment: { type: 'string', title: 'Comment', minLength: 5 } } } } }
      : node,
  );
  expect((await request.put(`/api/flows/${flowId}`, { data: { flow: { ...stored.flow, nodes }, revision: stored.revision } })).status()).toBe(200);
  await openFlow(page, flowId);
  const panel = await openRunPanel(page);
  await panel.locator('[data-input="orderId"] textarea').fill('A-77');
  await panel.locator('[data-input="amount"] input').fill('40');
  await panel.locator('[data-action="start-run"]').click();
  await expect(panel).toHaveAttribute('data-run-status', 'waiting');
  const form = panel.getByTestId('human-task');
  await expect(form).toContainText('Refund of 40 EUR for order A-77');
  await form.locator('[data-action="send-answer"]').click();
  await expect(panel.getByTestId('answer-refusal')).toContainText('comment');
  await expect(panel).toHaveAttribute('data-run-status', 'waiting');
  await form.locator('[data-answer="approved"] .el-switch').click();
  await form.locator('[data-answer="comment"] textarea').fill('Approved, thank you for waiting.');
  await form.locator('[data-action="send-answer"]').click();
  await expect(panel).toHaveAttribute('data-run-status', 'completed');
  await expect(panel.locator('[data-testid="run-final-state"] [data-channel="reply"]')).toContainText('Good news: your refund for order A-77');
  // The path the run took is drawn on the canvas: the approved branch, not the rejected one.
  const canvas = page.getByTestId('flow-canvas');
  await expect(canvas.locator('[data-run-taken="e-decide-approved"]')).toHaveCount(1);
  await expect(canvas.locator('[data-run-taken="e-decide-rejected"]')).toHaveCount(0);
});

test('model tokens stream into the output view; with the model server gone, a replay from a checkpoint and a whole replay give the same outputs, and a replay on a changed drawing stops where it diverges', async ({ page, request }) => {
  const model = await startOpenAiTestServer();
  try {
    const credential = `e2e-local-${Date.now().toString(36)}`;
    // No key: the local test server asks for none, and the e2e server has no LOOMFLOW_SECRET_KEY to seal one.
    const put = await request.put(`/api/settings/providers/${credential}`, { data: { kind: 'openai-compatible', baseUrl: model.baseUrl } });
    expect(put.status()).toBe(200);
    const flowId = `ask-${credential}`;
    const flow = {
      schemaVersion: 1,
      id: flowId,
      name: 'Ask the local model',
      kind: 'agent',
      state: { channels: [{ name: 'question', type: 'string', default: '' }, { name: 'answer', type: 'string', default: '' }], input: ['question'], output: ['answer'] },
      nodes: [
        { id: 'start', type: 'agent.start', name: 'Start', position: { x: 100, y: 100 }, config: {} },
        { id: 'ask', type: 'agent.llm', name: 'Ask', position: { x: 300, y: 100 }, config: { model: { model: 'local-model', credential }, prompt: '{{question}}', output: 'answer' } },
        { id: 'end', type: 'agent.end', name: 'End', position: { x: 500, y: 100 }, config: {} },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'ask' },
        { id: 'e2', source: 'ask', target: 'end' },
      ],
    };
    expect((await request.post('/api/flows', { data: flow })).status()).toBe(201);
    const reply = 'Refunds reach your card within five working days.';
    model.reply({ text: reply });
    await openFlow(page, flowId);
    const panel = await openRunPanel(page);
    await panel.locator('[data-input="question"] textarea').fill('How long do refunds take?');
    await panel.locator('[data-action="start-run"]').click();
    await expect(panel).toHaveAttribute('data-run-status', 'completed');
    // The output view is filled by the streamed tokens (llm.token events), not by the final state.
    await expect(panel.locator('[data-testid="run-output"] [data-node-id="ask"]')).toContainText(reply);
    await expect(panel.locator('[data-testid="run-final-state"] [data-channel="answer"]')).toContainText(reply);
    const first = await panel.getAttribute('data-run-id');
    expect(model.requests).toHaveLength(1);

    await model.close();
    // The continuation from the checkpoint before the model step, replayed as a new branch.
    await tab(panel, 'state').click();
    const timeline = panel.getByTestId('state-timeline');
    await timeline.locator('.state-timeline__entry', { hasText: 'next: Ask' }).first().click();
    await timeline.locator('[data-action="replay-from"]').click();
    await expect(panel).not.toHaveAttribute('data-run-id', first ?? '');
    await expect(panel).toHaveAttribute('data-run-status', 'completed');
    await expect(timeline.locator('.state-timeline__entry', { hasText: /finished/ })).toHaveCount(2);
    await tab(panel, 'output').click();
    await expect(panel.locator('[data-testid="run-final-state"] [data-channel="answer"]')).toContainText(reply);
    const branch = await panel.getAttribute('data-run-id');

    await panel.locator('[data-action="replay-run"]').click();
    await expect(panel).not.toHaveAttribute('data-run-id', branch ?? '');
    await expect(panel).toHaveAttribute('data-run-status', 'completed');
    await expect(panel.locator('[data-testid="run-final-state"] [data-channel="answer"]')).toContainText(reply);
    await expect(panel.locator('[data-testid="run-output"] [data-node-id="ask"]')).toContainText(reply);
    expect(model.requests).toHaveLength(1);

    // The drawing changes after the run (another prompt, saved from elsewhere). Replayed on it, the
    // run stops at the first node that asks something the record never answered, and says so.
    const stored = (await (await request.get(`/api/flows/${flowId}`)).json()) as { revision: number };
    const changed = { ...flow, nodes: flow.nodes.map((node) => (node.id === 'ask' ? { ...node, config: { ...node.config, prompt: 'In one word: {{question}}' } } : node)) };
    expect((await request.put(`/api/flows/${flowId}`, { data: { flow: changed, revision: stored.revision } })).status()).toBe(200);
    const replayed = await panel.getAttribute('data-run-id');
    await panel.locator('[data-action="replay-draft"]').click();
    await expect(panel).not.toHaveAttribute('data-run-id', replayed ?? '');
    await expect(panel).toHaveAttribute('data-run-status', 'failed');
    await expect(panel.getByTestId('run-failure')).toContainText('replay.diverged');
    await expect(panel.getByTestId('run-failure')).toContainText('Ask');
    await expect(page.getByTestId('flow-canvas').locator('[data-node-id="ask"]')).toHaveAttribute('data-run-state', 'failed');
    expect(model.requests).toHaveLength(1);
  } finally {
    await model.close().catch(() => undefined);
  }
});

test('the panel runs the saved draft or a published version', async ({ page, request }) => {
  const flowId = await createFlow(request, 'agent/loop-counter.json');
  expect((await request.post(`/api/flows/${flowId}/versions`, { data: { message: 'five passes' } })).status()).toBe(201);
  const stored = (await (await request.get(`/api/flows/${flowId}`)).json()) as { flow: { edges: { id: string; condition?: string }[] }; revision: number };
  // The draft now loops only while count < 3.
  const edges = stored.flow.edges.map((edge) => (edge.id === 'e-check-loop' ? { ...edge, condition: 'count < 3', label: 'count < 3' } : edge));
  expect((await request.put(`/api/flows/${flowId}`, { data: { flow: { ...stored.flow, edges }, revision: stored.revision } })).status()).toBe(200);
  await openFlow(page, flowId);
  const panel = await openRunPanel(page);
  const count = panel.locator('[data-testid="run-final-state"] [data-channel="count"]');
  await panel.locator('[data-action="start-run"]').click();
  await expect(panel).toHaveAttribute('data-run-status', 'completed');
  await expect(count).toContainText('3');

  await panel.getByTestId('run-source').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'Version 1' }).click();
  const first = await panel.getAttribute('data-run-id');
  await panel.locator('[data-action="start-run"]').click();
  await expect(panel).not.toHaveAttribute('data-run-id', first ?? '');
  await expect(panel).toHaveAttribute('data-run-status', 'completed');
  await expect(count).toContainText('5');
});
