// Who hears of a human task's changes in this process: the task event stream (GET
// /api/tasks/events) subscribes here, and TaskStore publishes after each write that took effect.
// Changes made by another server process on the same database are not heard here (see
// docs/http-api.md); a client reconnecting reads the list again.
import type { TaskView } from './task-view';

export const taskChangeTypes = ['task.created', 'task.claimed', 'task.completed', 'task.reopened', 'task.closed'] as const;
export type TaskChangeType = (typeof taskChangeTypes)[number];

/** One change, carrying the whole task as GET /api/tasks/:id answers it afterwards. */
export interface TaskChange {
  readonly type: TaskChangeType;
  readonly task: TaskView;
}

/** Receives each change, then `end` once when the server stops (streams close then). */
export type TaskListener = (change: TaskChange | 'end') => void;

export class TaskChanges {
  readonly #listeners = new Set<TaskListener>();
  #closed = false;

  get closed(): boolean {
    return this.#closed;
  }

  /** How many listen now (streams open in this process). */
  get size(): number {
    return this.#listeners.size;
  }

  subscribe(listener: TaskListener): () => void {
    if (this.#closed) {
      listener('end');
      return () => {};
    }
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  publish(change: TaskChange): void {
    for (const listener of this.#listeners) listener(change);
  }

  /** Ends every stream, and those opened later at once, so that the server can stop. */
  close(): void {
    this.#closed = true;
    for (const listener of this.#listeners) listener('end');
    this.#listeners.clear();
  }
}
