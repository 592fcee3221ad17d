// /api/tasks: the work list of human steps. Completing a task answers its interrupt, which resumes
// the thread in a new run; the conditional UPDATE in TaskStore.complete makes that happen once.
// /api/tasks/events streams the changes of tasks, so that work lists stay current without polling.
import { Hono } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { z } from 'zod';
import { taskStatuses } from '../db/schema';
import { apiError } from '../errors';
import type { RunManager } from '../runs/run-manager';
import { validate } from '../validation';
import type { TaskChange, TaskChanges } from './task-changes';
import type { TaskStore } from './task-store';
import { toTaskView } from './task-view';

const taskStatusSchema = z.enum(taskStatuses);

export const listTasksQuerySchema = z.object({
  assignee: z.string().min(1).max(200).optional(),
  group: z.string().min(1).max(200).optional(),
  /** One status, or several (`?status=open&status=claimed`: every task not completed yet). */
  status: z
    .union([taskStatusSchema, z.array(taskStatusSchema).max(taskStatuses.length)])
    .optional()
    .transform((status) => (typeof status === 'string' ? [status] : status)),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const taskIdParamSchema = z.object({ id: z.string().min(1).max(200) });
export const claimTaskBodySchema = z.object({ assignee: z.string().min(1).max(200) });
export const completeTaskBodySchema = z.object({ variables: z.record(z.string(), z.unknown()) });

/** Task event streams one process keeps open at once; each holds a connection and a listener. */
export const DEFAULT_MAX_TASK_STREAMS = 64;
/**
 * Changes a stream may hold for a client that does not read them. Past this the stream ends: the
 * client, reconnecting, reads the list again, instead of the server buffering without bound.
 */
export const MAX_QUEUED_TASK_CHANGES = 1000;
/** Comments sent on an idle stream so that proxies keep it open. */
const KEEP_ALIVE_MS = 15_000;

export interface TaskRouteDependencies {
  readonly tasks: TaskStore;
  readonly runManager: RunManager;
  readonly maxTaskStreams?: number;
}

export function taskRoutes({ tasks, runManager, maxTaskStreams = DEFAULT_MAX_TASK_STREAMS }: TaskRouteDependencies) {
  return new Hono()
    .get('/tasks', validate('query', listTasksQuerySchema), async (c) => c.json({ items: (await tasks.list(c.req.valid('query'))).map(toTaskView) }, 200))
    // Before /tasks/:id, which would take "events" for an id.
    .get('/tasks/events', (c) => {
      if (tasks.changes.size >= maxTaskStreams) {
        return apiError(c, 503, 'too_many_streams', `This server keeps at most ${maxTaskStreams} task event streams open; close one and retry.`, { max: maxTaskStreams });
      }
      return streamSSE(c, (stream) => followTasks(stream, tasks.changes));
    })
    .get('/tasks/:id', validate('param', taskIdParamSchema), async (c) => {
      const { id } = c.req.valid('param');
      const task = await tasks.get(id);
      if (!task) return apiError(c, 404, 'task_not_found', `No task with id "${id}".`, { id });
      return c.json(toTaskView(task), 200);
    })
    .post('/tasks/:id/claim', validate('param', taskIdParamSchema), validate('json', claimTaskBodySchema), async (c) => {
      const { id } = c.req.valid('param');
      const { assignee } = c.req.valid('json');
      if (await tasks.claim(id, assignee)) return c.json({ id, status: 'claimed' as const, assignee }, 200);
      const task = await tasks.get(id);
      if (!task) return apiError(c, 404, 'task_not_found', `No task with id "${id}".`, { id });
      return apiError(c, 409, 'task_completed', `Task "${id}" is completed already.`, { id });
    })
    .post('/tasks/:id/complete', validate('param', taskIdParamSchema), validate('json', completeTaskBodySchema), async (c) => {
      const { id } = c.req.valid('param');
      // Refusals (no such task, completed already, an answer the step does not take) are
      // DomainErrors that app.onError answers.
      const { runId } = await runManager.completeTask(id, c.req.valid('json').variables);
      return c.json({ runId }, 200);
    });
}

/** Changes as SSE frames, for one write per wake-up: `event:` the change's type, `data:` the change. */
function toSseFrames(changes: readonly TaskChange[]): string {
  // JSON.stringify never writes a line break, so each change is one `data:` line.
  return changes.map((change) => `event: ${change.type}\ndata: ${JSON.stringify(change)}\n\n`).join('');
}

/**
 * Sends `ready` once listening, then every change of a task until the client leaves, the server
 * stops, or the client falls too far behind. Changes are not stored, so there is nothing to
 * replay: a client reads the list after `ready`, and every change after that read reaches it.
 */
async function followTasks(stream: SSEStreamingApi, changes: TaskChanges): Promise<void> {
  const queue: TaskChange[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const unsubscribe = changes.subscribe((change) => {
    if (change === 'end' || queue.length >= MAX_QUEUED_TASK_CHANGES) ended = true;
    else queue.push(change);
    wake?.();
  });
  stream.onAbort(() => {
    unsubscribe();
    wake?.();
  });
  try {
    // A server already stopping ends the stream before anyone reads a list for it.
    if (ended) return;
    await stream.writeSSE({ event: 'ready', data: '{}' });
    while (!stream.aborted && !ended) {
      if (queue.length > 0) {
        await stream.write(toSseFrames(queue.splice(0)));
        continue;
      }
      const woken = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), KEEP_ALIVE_MS);
        wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      wake = undefined;
      // A comment line, which EventSource ignores; writeSSE always writes a `data:` field.
      if (!woken && !stream.aborted) await stream.write(': keep-alive\n\n');
    }
  } finally {
    unsubscribe();
  }
}
