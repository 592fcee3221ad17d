// The work list kept current by the task stream: a change carries the whole task, and the list
// holds it when it matches the filters the list was read with (the server's own rules), in the
// server's order. So a task claimed away from a person filtering by themselves, or completed while
// completed tasks are hidden, leaves the list.
import type { TaskListQuery, TaskView } from './tasks-api';

export const taskChangeEvents: ReadonlySet<string> = new Set(['task.created', 'task.claimed', 'task.completed', 'task.reopened', 'task.closed']);

/** Whether GET /api/tasks with this query would list the task. */
export function matchesQuery(task: TaskView, query: TaskListQuery): boolean {
  if (!query.showCompleted && (task.status === 'completed' || task.status === 'closed')) return false;
  if (query.assignee !== '' && task.assignee !== query.assignee) return false;
  if (query.group !== '' && !task.candidateGroups.includes(query.group)) return false;
  return true;
}

/** Newest first, then by id: the server's order. */
function byCreation(a: TaskView, b: TaskView): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The list with the task as it is now: added, replaced, or left out when it no longer matches. */
export function applyTask(list: readonly TaskView[], task: TaskView, query: TaskListQuery): TaskView[] {
  const others = list.filter((item) => item.id !== task.id);
  return matchesQuery(task, query) ? [...others, task].sort(byCreation) : others;
}

/** A change's task, from an SSE message's data; undefined for what this page does not know. */
export function readTaskChange(event: string, data: string): TaskView | undefined {
  if (!taskChangeEvents.has(event)) return undefined;
  const change = JSON.parse(data) as { task?: TaskView };
  return typeof change.task?.id === 'string' ? change.task : undefined;
}
