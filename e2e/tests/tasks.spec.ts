// The Tasks page against the real server: tasks of the refund-approval example appear as its runs
// stop at the human step, while the page is open; the list is filtered, a task claimed, answered
// wrongly (the server's reason shows on the form), then rightly, and its thread runs to its end.
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures';
import { createFlow } from './stored-flows';

async function startRun(request: APIRequestContext, flowId: string, input: Record<string, unknown>): Promise<{ runId: string; threadId: string }> {
  const response = await request.post(`/api/flows/${flowId}/runs`, { data: { input } });
  expect(response.status()).toBe(202);
  return (await response.json()) as { runId: string; threadId: string };
}

async function runStatus(request: APIRequestContext, runId: string): Promise<string> {
  return ((await (await request.get(`/api/runs/${runId}`)).json()) as { status: string }).status;
}

test.describe.configure({ timeout: 120_000 });

test('tasks appear live, are filtered, claimed, refused and completed on the Tasks page', async ({ page, request }) => {
  const flowId = await createFlow(request, 'agent/human-approval.json');
  // The e2e database outlives one run: a name of its own picks out this journey's claims.
  const me = `reviewer-${Date.now().toString(36)}`;

  await page.goto('/');
  await page.getByTestId('nav-tasks').click();
  await expect(page).toHaveURL(/\/tasks$/);
  const tasksPage = page.getByTestId('tasks-page');
  await expect(tasksPage).toHaveAttribute('data-connection', 'live');

  // Both runs start after the page is open: their tasks arrive through the task stream.
  const first = await startRun(request, flowId, { orderId: 'T-100', amount: 10 });
  const second = await startRun(request, flowId, { orderId: 'T-200', amount: 20 });
  const firstRow = tasksPage.locator(`tr[data-run-id="${first.runId}"]`);
  const secondRow = tasksPage.locator(`tr[data-run-id="${second.runId}"]`);
  await expect(firstRow).toBeVisible({ timeout: 60_000 });
  await expect(secondRow).toBeVisible({ timeout: 60_000 });
  await expect(secondRow).toContainText('Approve refund');
  await expect(secondRow).toContainText('Refund of 20 EUR for order T-200');
  await expect(secondRow).toContainText('support-leads');
  await expect(secondRow.locator('[data-action="open-flow"]')).toHaveText('Refund approval');
  await expect(secondRow).toHaveAttribute('data-status', 'open');

  const groupFilter = tasksPage.locator('[data-filter="group"] input');
  await groupFilter.fill('support-leads');
  await expect(firstRow).toBeVisible();
  await expect(secondRow).toBeVisible();
  await groupFilter.fill('warehouse');
  await expect(tasksPage.getByTestId('task-list-empty')).toBeVisible();
  await groupFilter.fill('');
  await expect(secondRow).toBeVisible();

  await tasksPage.locator('[data-filter="me"] input').fill(me);
  await secondRow.locator('[data-action="claim"]').click();
  await expect(secondRow).toHaveAttribute('data-status', 'claimed');
  await expect(secondRow.locator('[data-column="assignee"]')).toHaveText(me);
  await tasksPage.locator('[data-filter="assignee"] input').fill(me);
  await expect(tasksPage.locator('tr[data-run-id]')).toHaveCount(1);
  await expect(secondRow).toBeVisible();

  await secondRow.locator('[data-action="open-task"]').click();
  const form = tasksPage.getByTestId('task-panel').getByTestId('human-task');
  await expect(form).toContainText('Approve this refund? Refund of 20 EUR for order T-200');
  await form.locator('[data-answer="approved"] .el-switch').click();
  // No comment for the customer: the step refuses the answer, and says why.
  await form.locator('[data-action="send-answer"]').click();
  await expect(form.getByTestId('answer-refusal')).toContainText('comment');
  await expect(secondRow).toHaveAttribute('data-status', 'claimed');

  await form.locator('[data-answer="comment"] textarea').fill('Approved from the Tasks page.');
  await form.locator('[data-action="send-answer"]').click();
  const done = tasksPage.getByTestId('task-completed');
  await expect(done).toBeVisible();
  await expect(secondRow).toHaveCount(0);
  const resumedRunId = (await done.getAttribute('data-run-id')) ?? '';
  await expect.poll(() => runStatus(request, resumedRunId), { timeout: 60_000 }).toBe('completed');
  const state = (await (await request.get(`/api/threads/${second.threadId}/state`)).json()) as { values: { reply: string } };
  expect(state.values.reply).toBe('Good news: your refund for order T-200 is on its way. Approved from the Tasks page.');

  // The other run's task, answered elsewhere, leaves the open list too.
  await tasksPage.locator('[data-filter="assignee"] input').fill('');
  await expect(firstRow).toHaveAttribute('data-status', 'open');
  const { items } = (await (await request.get(`/api/tasks?status=open`)).json()) as { items: { id: string; runId: string }[] };
  const firstTask = items.find((task) => task.runId === first.runId);
  expect(firstTask).toBeDefined();
  const answered = await request.post(`/api/tasks/${firstTask?.id}/complete`, { data: { variables: { approved: false, comment: 'Out of policy.' } } });
  expect(answered.status()).toBe(200);
  await expect(firstRow).toHaveCount(0);

  // Each task links to its flow in the editor.
  await tasksPage.locator('[data-filter="completed"] .el-switch').click();
  await firstRow.locator('[data-action="open-flow"]').click();
  await expect(page).toHaveURL(new RegExp(`/flows/${flowId}$`));
  await expect(page.getByTestId('flow-canvas').locator('[data-node-id="approve"]')).toBeVisible();
});
