// Human tasks as runs see them: a human interrupt creates its task before the interrupt is stored,
// and completing a task answers its interrupt in a new run of the thread.
import type { RunEvent } from '@loomflow/graph-schema';
import { ConflictError, NotFoundError } from '../errors';
import type { TaskStore } from '../tasks/task-store';

/** Answers an interrupt of a thread in a new run (RunManager.resume). */
export type AnswerInterrupt = (threadId: string, answer: { value: unknown; interruptId: string }) => Promise<{ runId: string }>;

export class HumanTasks {
  constructor(private readonly tasks: TaskStore) {}

  /**
   * Creates the tasks a batch of events asks for. Called before the batch is stored: a crash in
   * between leaves a task for a run that recovery then finds waiting, never a waiting run without
   * its task. Creating a task twice keeps one.
   */
  async createFor(runId: string, events: readonly RunEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type === 'interrupt' && event.kind === 'human') {
        await this.tasks.createFromInterrupt({ runId, threadId: event.threadId, nodeId: event.nodeId, interruptId: event.interruptId, payload: event.payload });
      }
    }
  }

  /** Tasks of interrupts an answer to another one closed unanswered (a multi-instance completion condition). */
  async closed(threadId: string, interruptIds: readonly string[]): Promise<void> {
    await this.tasks.closeByInterrupts(threadId, interruptIds);
  }

  /** An interrupt answered without its task (POST /threads/:id/resume) still closes the task. */
  async answered(threadId: string, interruptId: string, answer: unknown): Promise<void> {
    await this.tasks.completeByInterrupt(threadId, interruptId, answer);
  }

  /**
   * Completes a task and resumes its thread with the answer. The conditional UPDATE in
   * TaskStore.complete picks one winner among people completing the task at once; only the winner
   * resumes. When the thread does not take the answer, the task opens again and the thread is
   * unchanged.
   */
  async complete(id: string, variables: Record<string, unknown>, answer: AnswerInterrupt): Promise<{ runId: string }> {
    const task = await this.tasks.complete(id, variables);
    if (!task) {
      if (!(await this.tasks.get(id))) throw new NotFoundError('task_not_found', `No task with id "${id}".`, { id });
      throw new ConflictError('task_completed', `Task "${id}" is completed or closed already.`, { id });
    }
    try {
      const resumed = await answer(task.threadId, { value: variables, interruptId: task.interruptId });
      await this.tasks.setResumeRun(id, resumed.runId);
      return resumed;
    } catch (error) {
      await this.tasks.reopen(task);
      throw error;
    }
  }
}
