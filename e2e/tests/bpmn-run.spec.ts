// The notes' expense approval run from the designer against the real server, through each of its
// paths: a claim over 5000 goes manager → director → finance, one of 5000 or less skips the
// director, and a manager's rejection ends it early. Each user task is answered in the run panel's
// form as the person of its lane would, and the canvas shows which way the process went.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createFlow, openFlow } from './stored-flows';

type Answer = Record<string, string | number | boolean>;

test.describe.configure({ timeout: 180_000 });

async function openRunPanel(page: Page): Promise<Locator> {
  await page.locator('[data-action="run"]').click();
  const panel = page.getByTestId('run-panel');
  await expect(panel).toBeVisible();
  await page.locator('[data-action="fit"]').click();
  return panel;
}

/** Waits until the process waits at `nodeId`, fills its form with `answer` and sends it. */
async function complete(panel: Locator, canvas: Locator, nodeId: string, answer: Answer): Promise<void> {
  await expect(panel).toHaveAttribute('data-run-status', 'waiting', { timeout: 60_000 });
  await expect(canvas.locator(`[data-node-id="${nodeId}"]`)).toHaveAttribute('data-run-state', 'waiting');
  const form = panel.getByTestId('human-task');
  for (const [key, value] of Object.entries(answer)) {
    const field = form.locator(`[data-answer="${key}"]`);
    await expect(field, `the form of "${nodeId}" has no field "${key}"`).toBeVisible();
    if (typeof value === 'boolean') {
      const on = (await field.locator('[role="switch"]').getAttribute('aria-checked')) === 'true';
      if (on !== value) await field.locator('.el-switch').click();
    } else if (typeof value === 'number') await field.locator('input').fill(String(value));
    else await field.locator('textarea').fill(value);
  }
  const runId = await panel.getAttribute('data-run-id');
  await form.locator('[data-action="send-answer"]').click();
  // The answer continues the thread in a new run.
  await expect(panel).not.toHaveAttribute('data-run-id', runId ?? '');
}

async function startProcess(page: Page): Promise<{ panel: Locator; canvas: Locator }> {
  const id = await createFlow(page.request, 'bpmn/expense-approval.json');
  const canvas = await openFlow(page, id);
  const panel = await openRunPanel(page);
  await panel.locator('[data-action="start-run"]').click();
  return { panel, canvas };
}

const finalState = (panel: Locator, channel: string) => panel.locator(`[data-testid="run-final-state"] [data-channel="${channel}"] pre`);
const state = (canvas: Locator, nodeId: string) => canvas.locator(`[data-node-id="${nodeId}"]`);

test('a claim over 5000 needs the manager, the director and finance, and is paid out', async ({ page }) => {
  const { panel, canvas } = await startProcess(page);
  await complete(panel, canvas, 'submit-expense', { amount: 7200, reason: 'Trade fair booth' });
  await complete(panel, canvas, 'manager-approval', { approved: true, comment: 'Budgeted' });
  await complete(panel, canvas, 'director-approval', { approved: true });
  await complete(panel, canvas, 'finance-approval', { approved: true, comment: 'Receipts match' });
  await expect(panel).toHaveAttribute('data-run-status', 'completed', { timeout: 60_000 });
  await expect(finalState(panel, 'payout')).toContainText('"paid"');
  await expect(finalState(panel, 'payout')).toContainText('7200');
  for (const nodeId of ['pay-out', 'notify', 'end-paid', 'director-approval']) await expect(state(canvas, nodeId)).toHaveAttribute('data-run-state', 'completed');
  await expect(state(canvas, 'end-rejected')).not.toHaveAttribute('data-run-state', 'completed');
});

test('a claim of 5000 or less goes from the manager straight to finance', async ({ page }) => {
  const { panel, canvas } = await startProcess(page);
  await complete(panel, canvas, 'submit-expense', { amount: 5000, reason: 'Team offsite' });
  await complete(panel, canvas, 'manager-approval', { approved: true });
  await complete(panel, canvas, 'finance-approval', { approved: true });
  await expect(panel).toHaveAttribute('data-run-status', 'completed', { timeout: 60_000 });
  await expect(finalState(panel, 'payout')).toContainText('5000');
  await expect(state(canvas, 'end-paid')).toHaveAttribute('data-run-state', 'completed');
  // The director was never asked.
  await expect(state(canvas, 'director-approval')).not.toHaveAttribute('data-run-state', /./);
});

test("a manager's rejection ends the claim early, with nothing paid", async ({ page }) => {
  const { panel, canvas } = await startProcess(page);
  await complete(panel, canvas, 'submit-expense', { amount: 9000, reason: 'First-class flights' });
  await complete(panel, canvas, 'manager-approval', { approved: false, comment: 'Economy only' });
  await expect(panel).toHaveAttribute('data-run-status', 'completed', { timeout: 60_000 });
  await expect(state(canvas, 'end-rejected')).toHaveAttribute('data-run-state', 'completed');
  for (const nodeId of ['director-approval', 'finance-approval', 'pay-out']) await expect(state(canvas, nodeId)).not.toHaveAttribute('data-run-state', /./);
  await expect(finalState(panel, 'comment')).toContainText('Economy only');
});
