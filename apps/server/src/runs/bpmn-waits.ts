// What BPMN processes wait for besides people: timers, stored as rows with a due time and fired by
// the scheduler; messages, stored as correlation rows and delivered by POST /api/messages; signals,
// stored as subscription rows and broadcast by POST /api/signals or a process that throws one.
// Each row is one event an interrupt waits for (graph-schema wait-request.ts `eventWaitsOf`: a
// catch event's, a user task's boundary events, an event-based gateway's); firing or delivering
// resumes the thread in a new run with a `FiredEvent` naming the node that catches it, and
// withdraws the interrupt's other rows. Like tasks, the conditional UPDATE that takes a row decides
// who resumes, so a timer fires once even with two schedulers.
import { eventWaitsOf, type FiredEvent, type RunEvent } from '@loomflow/graph-schema';
import type { Clock } from '@loomflow/runtime';
import { randomUUID } from 'node:crypto';
import { and, asc, eq, lte } from 'drizzle-orm';
import type { Database } from '../db/database';
import { messageSubscriptions, timers } from '../db/schema';
import { ConflictError, NotFoundError } from '../errors';
import type { AnswerInterrupt } from './human-tasks';

export interface SignalBroadcast {
  readonly name: string;
  readonly variables: Record<string, unknown>;
}

export interface MessageDelivery {
  readonly name: string;
  readonly correlationKey?: string | undefined;
  readonly variables: Record<string, unknown>;
}

/** A thread busy with a run is resumed later; one no longer waiting on the interrupt never will be. */
const isBusy = (error: unknown) => error instanceof ConflictError && error.code === 'thread_busy';

export class BpmnWaits {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Records the timers and subscriptions a batch of events asks for, before the batch is stored (as tasks are). */
  async createFor(runId: string, events: readonly RunEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type !== 'interrupt') continue;
      for (const wait of eventWaitsOf(event.payload)) {
        const row = { id: randomUUID(), runId, threadId: event.threadId, nodeId: wait.nodeId, interruptId: event.interruptId, createdAt: this.clock.now() };
        if (wait.kind === 'timer') await this.db.insert(timers).values({ ...row, dueAt: wait.dueAt }).onConflictDoNothing();
        else {
          const [messageName, correlationKey] = wait.kind === 'message' ? [wait.messageName, wait.correlationKey ?? ''] : [wait.signalName, ''];
          await this.db
            .insert(messageSubscriptions)
            .values({ ...row, kind: wait.kind, messageName, correlationKey })
            .onConflictDoNothing();
        }
      }
    }
  }

  /**
   * An interrupt was answered (by a person, an event, a resume): the events it waited for besides
   * are withdrawn, so a boundary timer of a task completed first never fires.
   */
  async withdraw(threadId: string, interruptId: string): Promise<void> {
    const now = this.clock.now();
    await this.db
      .update(timers)
      .set({ status: 'done' })
      .where(and(eq(timers.threadId, threadId), eq(timers.interruptId, interruptId), eq(timers.status, 'waiting')));
    await this.db
      .update(messageSubscriptions)
      .set({ status: 'done', correlatedAt: now })
      .where(and(eq(messageSubscriptions.threadId, threadId), eq(messageSubscriptions.interruptId, interruptId), eq(messageSubscriptions.status, 'waiting')));
  }

  /**
   * Fires every timer due by the clock: each resumes its thread in a new run. A timer whose thread
   * is running now waits for the next round; one whose thread no longer waits on it is dropped.
   * Returns the runs started.
   */
  async fireDue(resume: AnswerInterrupt): Promise<string[]> {
    const now = this.clock.now();
    const due = await this.db
      .select()
      .from(timers)
      .where(and(eq(timers.status, 'waiting'), lte(timers.dueAt, now)))
      .orderBy(asc(timers.dueAt), asc(timers.id));
    const started: string[] = [];
    for (const timer of due) {
      const taken = await this.db
        .update(timers)
        .set({ status: 'done', firedAt: now })
        .where(and(eq(timers.id, timer.id), eq(timers.status, 'waiting')))
        .returning({ id: timers.id });
      if (taken.length === 0) continue;
      try {
        const fired: FiredEvent = { firedEvent: timer.nodeId, variables: {} };
        const { runId } = await resume(timer.threadId, { value: fired, interruptId: timer.interruptId });
        await this.db.update(timers).set({ resumeRunId: runId }).where(eq(timers.id, timer.id));
        started.push(runId);
      } catch (error) {
        if (!(error instanceof ConflictError || error instanceof NotFoundError)) throw error;
        if (isBusy(error)) await this.db.update(timers).set({ status: 'waiting', firedAt: null }).where(eq(timers.id, timer.id));
      }
    }
    return started;
  }

  /**
   * Delivers a message to the instance waiting for its name and correlation key: its variables
   * resume the thread. 404 naming both when no instance waits for it.
   */
  async deliver(message: MessageDelivery, resume: AnswerInterrupt): Promise<{ runId: string; threadId: string }> {
    const key = message.correlationKey ?? '';
    const waiting = await this.db
      .select()
      .from(messageSubscriptions)
      .where(
        and(eq(messageSubscriptions.status, 'waiting'), eq(messageSubscriptions.kind, 'message'), eq(messageSubscriptions.messageName, message.name), eq(messageSubscriptions.correlationKey, key)),
      )
      .orderBy(asc(messageSubscriptions.createdAt), asc(messageSubscriptions.id));
    for (const subscription of waiting) {
      const taken = await this.db
        .update(messageSubscriptions)
        .set({ status: 'done', correlatedAt: this.clock.now() })
        .where(and(eq(messageSubscriptions.id, subscription.id), eq(messageSubscriptions.status, 'waiting')))
        .returning({ id: messageSubscriptions.id });
      if (taken.length === 0) continue;
      try {
        const fired: FiredEvent = { firedEvent: subscription.nodeId, variables: message.variables };
        const { runId } = await resume(subscription.threadId, { value: fired, interruptId: subscription.interruptId });
        await this.db.update(messageSubscriptions).set({ resumeRunId: runId }).where(eq(messageSubscriptions.id, subscription.id));
        return { runId, threadId: subscription.threadId };
      } catch (error) {
        if (isBusy(error)) {
          // The message is not lost to a thread that cannot take it now: the next request may deliver it.
          await this.db.update(messageSubscriptions).set({ status: 'waiting', correlatedAt: null }).where(eq(messageSubscriptions.id, subscription.id));
          throw error;
        }
        // A thread that no longer waits on it (answered another way, or gone) leaves the message to the next.
        if (!(error instanceof ConflictError || error instanceof NotFoundError)) throw error;
      }
    }
    throw new NotFoundError(
      'message_not_correlated',
      `No process instance waits for message "${message.name}"${key === '' ? ' without a correlation key' : ` with correlation key "${key}"`}, and no process starts on it.`,
      { name: message.name, correlationKey: message.correlationKey ?? null },
    );
  }

  /**
   * Broadcasts a signal to every instance waiting for its name: each waiting interrupt is resumed
   * once, with the signal's variables. A thread busy with a run now keeps its subscription, and
   * misses this signal (a signal is not stored for later, as BPMN says). Returns the runs started.
   */
  async broadcast(signal: SignalBroadcast, resume: AnswerInterrupt): Promise<{ runId: string; threadId: string }[]> {
    const waiting = await this.db
      .select()
      .from(messageSubscriptions)
      .where(and(eq(messageSubscriptions.status, 'waiting'), eq(messageSubscriptions.kind, 'signal'), eq(messageSubscriptions.messageName, signal.name)))
      .orderBy(asc(messageSubscriptions.createdAt), asc(messageSubscriptions.id));
    const started: { runId: string; threadId: string }[] = [];
    const answered = new Set<string>();
    for (const subscription of waiting) {
      // One interrupt may wait for the same signal twice (two boundary events); it is answered once.
      const interrupt = `${subscription.threadId}/${subscription.interruptId}`;
      if (answered.has(interrupt)) continue;
      const taken = await this.db
        .update(messageSubscriptions)
        .set({ status: 'done', correlatedAt: this.clock.now() })
        .where(and(eq(messageSubscriptions.id, subscription.id), eq(messageSubscriptions.status, 'waiting')))
        .returning({ id: messageSubscriptions.id });
      if (taken.length === 0) continue;
      try {
        const fired: FiredEvent = { firedEvent: subscription.nodeId, variables: signal.variables };
        const { runId } = await resume(subscription.threadId, { value: fired, interruptId: subscription.interruptId });
        await this.db.update(messageSubscriptions).set({ resumeRunId: runId }).where(eq(messageSubscriptions.id, subscription.id));
        answered.add(interrupt);
        started.push({ runId, threadId: subscription.threadId });
      } catch (error) {
        if (!(error instanceof ConflictError || error instanceof NotFoundError)) throw error;
        if (isBusy(error)) await this.db.update(messageSubscriptions).set({ status: 'waiting', correlatedAt: null }).where(eq(messageSubscriptions.id, subscription.id));
      }
    }
    return started;
  }
}
