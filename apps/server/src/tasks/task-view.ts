// A task as the API shows it (GET /api/tasks, the task event stream): the stored row, where it
// belongs (its run's flow and the name of its step, read from the document the thread runs), and
// the form to answer it with.
import { formFieldsOfSchema } from '@loomflow/graph-schema';
import type { humanTasks } from '../db/schema';

export type TaskRow = typeof humanTasks.$inferSelect;

/** A row with what its run says about it; null when the run is gone. */
export type TaskRecord = TaskRow & {
  readonly flowId: string | null;
  readonly flowName: string | null;
  readonly nodeName: string | null;
};

export function toTaskView(task: TaskRecord) {
  return {
    id: task.id,
    runId: task.runId,
    threadId: task.threadId,
    flowId: task.flowId,
    flowName: task.flowName,
    nodeId: task.nodeId,
    nodeName: task.nodeName,
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

export type TaskView = ReturnType<typeof toTaskView>;
