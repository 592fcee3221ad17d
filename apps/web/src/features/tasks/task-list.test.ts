import { describe, expect, it } from 'vitest';
import { applyTask, matchesQuery, readTaskChange } from './task-list';
import type { TaskListQuery, TaskView } from './tasks-api';

const task = (id: string, createdAt: number, fields: Partial<TaskView> = {}): TaskView => ({
  id,
  runId: `run-${id}`,
  threadId: `thread-${id}`,
  flowId: 'refunds',
  flowName: 'Refunds',
  nodeId: 'approve',
  nodeName: 'Approve refund',
  interruptId: `interrupt-${id}`,
  status: 'open',
  assignee: null,
  candidateGroups: ['support-leads'],
  prompt: 'Approve?',
  schema: { type: 'object' },
  fields: [],
  answer: null,
  resumeRunId: null,
  createdAt,
  claimedAt: null,
  completedAt: null,
  ...fields,
});

const open: TaskListQuery = { assignee: '', group: '', showCompleted: false };

describe('the work list', () => {
  it('keeps what GET /api/tasks would list for the query', () => {
    expect(matchesQuery(task('a', 1), open)).toBe(true);
    expect(matchesQuery(task('a', 1, { status: 'claimed', assignee: 'ann' }), open)).toBe(true);
    expect(matchesQuery(task('a', 1, { status: 'completed' }), open)).toBe(false);
    expect(matchesQuery(task('a', 1, { status: 'completed' }), { ...open, showCompleted: true })).toBe(true);
    // A task a completion condition closed (或签) leaves the open list like a completed one.
    expect(matchesQuery(task('a', 1, { status: 'closed' }), open)).toBe(false);
    expect(matchesQuery(task('a', 1, { status: 'closed' }), { ...open, showCompleted: true })).toBe(true);
    expect(matchesQuery(task('a', 1, { assignee: 'ann' }), { ...open, assignee: 'ann' })).toBe(true);
    expect(matchesQuery(task('a', 1, { assignee: 'bob' }), { ...open, assignee: 'ann' })).toBe(false);
    expect(matchesQuery(task('a', 1), { ...open, assignee: 'ann' })).toBe(false);
    expect(matchesQuery(task('a', 1), { ...open, group: 'support-leads' })).toBe(true);
    expect(matchesQuery(task('a', 1), { ...open, group: 'support' })).toBe(false);
  });

  it('adds, replaces and drops a changed task, newest first', () => {
    let list = applyTask([], task('a', 1), open);
    list = applyTask(list, task('c', 3), open);
    list = applyTask(list, task('b', 3), open);
    expect(list.map((item) => item.id)).toEqual(['b', 'c', 'a']);
    list = applyTask(list, task('c', 3, { status: 'claimed', assignee: 'ann' }), open);
    expect(list.map((item) => [item.id, item.assignee])).toEqual([['b', null], ['c', 'ann'], ['a', null]]);
    // Claimed by someone else, it leaves a list of Ann's tasks; completed, it leaves the open list.
    expect(applyTask(list, task('c', 3, { status: 'claimed', assignee: 'bob' }), { ...open, assignee: 'ann' }).map((item) => item.id)).toEqual(['b', 'a']);
    expect(applyTask(list, task('a', 1, { status: 'completed' }), open).map((item) => item.id)).toEqual(['b', 'c']);
  });

  it('reads the task of the changes it knows, and skips other events', () => {
    const changed = task('a', 1, { status: 'claimed' });
    expect(readTaskChange('task.claimed', JSON.stringify({ type: 'task.claimed', task: changed }))).toEqual(changed);
    expect(readTaskChange('task.reopened', JSON.stringify({ type: 'task.reopened', task: changed }))?.id).toBe('a');
    expect(readTaskChange('ready', '{}')).toBeUndefined();
    expect(readTaskChange('task.renamed', JSON.stringify({ task: changed }))).toBeUndefined();
    expect(readTaskChange('task.created', '{}')).toBeUndefined();
  });
});
