// /api/tasks: the work list of human steps. Completing a task answers its interrupt, which resumes
// the thread in a new run; the conditional UPDATE in TaskStore.complete makes that happen once.
import { formFieldsOfSchema } from '@loomflow/graph-schema';
import { Hono } from 'hono';
import { z } from 'zod';
import { taskStatuses } from '../db/schema';
import { apiError } from '../errors';
import type { RunManager } from '../runs/run-manager';
import { validate } from '../validation';
import type { TaskRow, TaskStore } from './task-store';

export const listTasksQuerySchema = z.object({
  assignee: z.string().min(1).max(200).optional(),
  group: z.string().min(1).max(200).optional(),
  status: z.enum(taskStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const taskIdParamSchema = z.object({ id: z.string().min(1).max(200) });
export const claimTaskBodySchema = z.object({ assignee: z.string().min(1).max(200) });
export const completeTaskBodySchema = z.object({ variables: z.record(z.string(), z.unknown()) });

export interface TaskRouteDependencies {
  readonly tasks: TaskStore;
  readonly runManager: RunManager;
}

export function taskRoutes({ tasks, runManager }: TaskRouteDependencies) {
  return new Hono()
    .get('/tasks', validate('query', listTasksQuerySchema), async (c) => c.json({ items: (await tasks.list(c.req.valid('query'))).map(toTaskView) }, 200))
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

function toTaskView(task: TaskRow) {
  return {
    id: task.id,
    runId: task.runId,
    threadId: task.threadId,
    nodeId: task.nodeId,
    interruptId: task.interruptId,
    status: task.status,
    assignee: task.assignee,
    candidateGroups: task.candidateGroups,
    prompt: task.prompt,
    schema: task.schema,
    // The form to answer with, the same shape as a BPMN user task's (graph-schema human-request.ts).
    fields: formFieldsOfSchema(task.schema),
    answer: task.answer,
    resumeRunId: task.resumeRunId,
    createdAt: task.createdAt,
    claimedAt: task.claimedAt,
    completedAt: task.completedAt,
  };
}
