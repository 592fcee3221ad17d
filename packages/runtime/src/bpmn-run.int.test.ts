// BPMN processes run on the same runtime as agent flows: the examples and small drawn processes,
// checkpointed in a real libsql file, their user tasks answered through resume like agent.human.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LibsqlSaver } from '@loomflow/checkpoint-libsql';
import { readHumanRequest, type FlowDocumentInput, type RunEvent } from '@loomflow/graph-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BpmnError } from './errors';
import { AnswerRejectedError, FlowRuntime } from './flow-runtime';

const examplesDir = join(import.meta.dirname, '../../../examples/bpmn');
const example = (name: string) => JSON.parse(readFileSync(join(examplesDir, `${name}.json`), 'utf8')) as FlowDocumentInput;

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}
const last = (events: RunEvent[]) => events.at(-1) as RunEvent;
const completedNodes = (events: RunEvent[]) => events.flatMap((event) => (event.type === 'node.completed' ? [event.nodeId] : []));

let dir: string;
let saver: LibsqlSaver;
let runtime: FlowRuntime;
const notified: string[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loomflow-bpmn-'));
  saver = await LibsqlSaver.open(`file:${join(dir, 'runs.db')}`);
  runtime = new FlowRuntime({
    checkpointer: saver,
    serviceTasks: {
      'notify-team': ({ variables }) => {
        notified.push(String(variables.team));
        return { notifiedAt: 'now' };
      },
      'refuse-claim': () => {
        throw new BpmnError('claim', 'REFUSED', 'the claim was refused');
      },
    },
  });
});
afterAll(async () => {
  await saver.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the expense approval to its end, answering each waiting user task in turn; returns the tasks asked and the final events. */
async function runExpense(thread: string, claim: { amount: number; reason: string }, answers: Record<string, { approved: boolean; comment?: string }>) {
  const flow = runtime.compile(example('expense-approval'));
  let events = await collect(flow.run({}, { threadId: thread }));
  const asked: { nodeId: string; candidateGroups: string[] }[] = [];
  for (let turn = 0; last(events).type === 'interrupt' && turn < 10; turn += 1) {
    const request = readHumanRequest((last(events) as Extract<RunEvent, { type: 'interrupt' }>).payload);
    if (!request) throw new Error('the process waits on something that is not a user task');
    asked.push({ nodeId: request.nodeId, candidateGroups: request.candidateGroups });
    const answer = request.nodeId === 'submit-expense' ? claim : answers[request.nodeId];
    if (!answer) throw new Error(`no answer for ${request.nodeId}`);
    events = await collect(await flow.resume(thread, answer));
  }
  return { asked, events };
}

describe('the expense approval example', () => {
  it('goes manager → director → finance above 5000, then pays out and notifies', async () => {
    const { asked, events } = await runExpense('expense-big', { amount: 7200, reason: 'conference' }, {
      'manager-approval': { approved: true },
      'director-approval': { approved: true, comment: 'fine' },
      'finance-approval': { approved: true },
    });
    expect(asked).toEqual([
      { nodeId: 'submit-expense', candidateGroups: ['employees'] },
      { nodeId: 'manager-approval', candidateGroups: ['managers'] },
      { nodeId: 'director-approval', candidateGroups: ['directors'] },
      // No groups of its own: the lane's name.
      { nodeId: 'finance-approval', candidateGroups: ['Finance'] },
    ]);
    expect(last(events)).toMatchObject({
      type: 'run.completed',
      state: {
        approved: true,
        payout: { status: 'paid', amount: 7200, reason: 'conference' },
        notification: { to: 'employee', text: 'Your expense of 7200 EUR was paid.' },
      },
    });
    expect(completedNodes(events)).toEqual(expect.arrayContaining(['pay-out', 'notify', 'end-paid']));
  });

  it('goes manager → finance at 5000 or less', async () => {
    const { asked, events } = await runExpense('expense-small', { amount: 5000, reason: 'taxi' }, { 'manager-approval': { approved: true }, 'finance-approval': { approved: true } });
    expect(asked.map((task) => task.nodeId)).toEqual(['submit-expense', 'manager-approval', 'finance-approval']);
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { payout: { amount: 5000 } } });
  });

  it.each([
    ['manager', { 'manager-approval': { approved: false, comment: 'no receipt' } }, ['submit-expense', 'manager-approval']],
    ['director', { 'manager-approval': { approved: true }, 'director-approval': { approved: false } }, ['submit-expense', 'manager-approval', 'director-approval']],
    ['finance', { 'manager-approval': { approved: true }, 'director-approval': { approved: true }, 'finance-approval': { approved: false } }, ['submit-expense', 'manager-approval', 'director-approval', 'finance-approval']],
  ])('ends early when the %s rejects it', async (who, answers, tasks) => {
    const { asked, events } = await runExpense(`expense-rejected-${who}`, { amount: 9000, reason: 'yacht' }, answers);
    expect(asked.map((task) => task.nodeId)).toEqual(tasks);
    expect(completedNodes(events)).toContain('end-rejected');
    expect(completedNodes(events)).not.toContain('pay-out');
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { approved: false } });
  });

  it('refuses a completion that misses a required field or has the wrong type, and keeps waiting', async () => {
    const flow = runtime.compile(example('expense-approval'));
    expect(last(await collect(flow.run({}, { threadId: 'expense-refused' })))).toMatchObject({ type: 'interrupt', nodeId: 'submit-expense' });
    await expect(flow.resume('expense-refused', { amount: 'a lot', reason: 'x' })).rejects.toThrow(AnswerRejectedError);
    await expect(flow.resume('expense-refused', { amount: 12 })).rejects.toThrow(/reason/);
    expect((await flow.getState('expense-refused')).interrupts[0]).toMatchObject({ nodeId: 'submit-expense', kind: 'human' });
  });

  it('survives a new runtime between the tasks: the thread lives in the database file', async () => {
    const flow = runtime.compile(example('expense-approval'));
    await collect(flow.run({}, { threadId: 'expense-restart' }));
    await collect(await flow.resume('expense-restart', { amount: 100, reason: 'lunch' }));
    const reopened = await LibsqlSaver.open(`file:${join(dir, 'runs.db')}`);
    try {
      const again = new FlowRuntime({ checkpointer: reopened }).compile(example('expense-approval'));
      expect((await again.getState('expense-restart')).interrupts[0]).toMatchObject({ nodeId: 'manager-approval' });
      expect((await again.getState('expense-restart')).values).toMatchObject({ amount: 100, reason: 'lunch' });
    } finally {
      await reopened.close();
    }
  });
});
