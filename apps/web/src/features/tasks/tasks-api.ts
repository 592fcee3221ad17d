// The server's task routes, through the typed client (so its Authorization header and its 401
// prompt apply here too): list, claim and complete human tasks, and follow their changes (SSE).
// Errors arrive as ApiError with the server's code.
import type { InferResponseType } from 'hono/client';
import { inject, type InjectionKey } from 'vue';
import { apiErrorOf, type ApiClient } from '../../api/api-client';

/** A task as GET /api/tasks/:id answers it. */
export type TaskView = InferResponseType<ApiClient['api']['tasks'][':id']['$get'], 200>;

export interface TaskListQuery {
  /** Only tasks assigned to this person ('' for anyone's). */
  readonly assignee: string;
  /** Only tasks offered to this candidate group ('' for any). */
  readonly group: string;
  /** Completed tasks too, not only open and claimed ones. */
  readonly showCompleted: boolean;
}

export interface TasksApi {
  /** The newest tasks matching the query (up to LIST_LIMIT). */
  list(query: TaskListQuery): Promise<TaskView[]>;
  claim(id: string, assignee: string): Promise<void>;
  /** Answers the task's step; a new run of its thread continues it. */
  complete(id: string, variables: Record<string, unknown>): Promise<{ runId: string }>;
  /** The stream of task changes (GET /api/tasks/events). */
  events(signal: AbortSignal): Promise<ReadableStream<Uint8Array>>;
}

/** The most a list read brings: the server's largest page. */
export const LIST_LIMIT = 200;

export function createServerTasksApi(client: ApiClient): TasksApi {
  const { tasks } = client.api;
  return {
    async list({ assignee, group, showCompleted }) {
      const response = await tasks.$get({
        query: {
          limit: String(LIST_LIMIT),
          ...(assignee ? { assignee } : {}),
          ...(group ? { group } : {}),
          ...(showCompleted ? {} : { status: ['open', 'claimed'] }),
        },
      });
      if (response.status !== 200) throw await apiErrorOf(response);
      return (await response.json()).items;
    },
    async claim(id, assignee) {
      const response = await tasks[':id'].claim.$post({ param: { id }, json: { assignee } });
      if (response.status !== 200) throw await apiErrorOf(response);
    },
    async complete(id, variables) {
      const response = await tasks[':id'].complete.$post({ param: { id }, json: { variables } });
      if (response.status !== 200) throw await apiErrorOf(response);
      return response.json();
    },
    async events(signal) {
      const response = await tasks.events.$get(undefined, { init: { signal } });
      if (response.status !== 200 || !response.body) throw await apiErrorOf(response);
      return response.body;
    },
  };
}

export const tasksApiKey: InjectionKey<TasksApi> = Symbol('TasksApi');

export function useTasksApi(): TasksApi {
  const api = inject(tasksApiKey);
  if (!api) throw new Error('No tasks API was provided to this app (app.provide(tasksApiKey, ...)).');
  return api;
}
