// Follows one run's event stream until the run stops: to its end (completed, failed,
// cancelled) or to a pause (it waits on an interrupt). A stream that breaks off while the run is
// still active is opened again with Last-Event-ID, so no event is lost or seen twice.
import { isTerminalRunEvent, RUN_EVENT_VERSION, runEventSchema, type RunEvent } from '@loomflow/graph-schema';
import type { RunApi } from './run-api';
import type { QueuedNotice } from './run-state';
import { createSseParser } from './sse-parser';

/** Statuses of a run that is still executing (the server's activeRunStatuses). */
const ACTIVE_STATUSES: ReadonlySet<string> = new Set(['queued', 'running']);
/** Waits between reconnections: quick at first, then no more than every few seconds. */
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000];
/** Reconnections in a row that brought nothing before the follower gives up with the error. */
const MAX_FAILED_ATTEMPTS = 8;

export interface FollowOptions {
  readonly signal: AbortSignal;
  /** Called with the events of each chunk read, in order. */
  readonly onEvents: (events: readonly RunEvent[]) => void;
  /** Called when the server says the run waits for a free slot (before its first event). */
  readonly onQueued?: (notice: QueuedNotice) => void;
  /** Waits between reconnections (tests pass a quicker one). */
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reads the events of `runId` until the run stops; answers the run's stored status when the stream
 * ended without a terminal event (`waiting` for a pause), or the terminal event's type.
 */
export async function followRun(api: RunApi, runId: string, { signal, onEvents, onQueued, sleep = defaultSleep }: FollowOptions): Promise<string> {
  let lastSeq = -1;
  let failures = 0;
  for (;;) {
    let ended: RunEvent | undefined;
    let received = false;
    try {
      const stream = await api.events(runId, lastSeq, signal);
      await readEvents(stream, (events) => {
        received = true;
        lastSeq = events.at(-1)?.seq ?? lastSeq;
        ended = events.find(isTerminalRunEvent) ?? ended;
        onEvents(events);
      }, onQueued);
      if (ended) return ended.type;
      // The server closes the stream once the run is no longer active: a pause, or a run that
      // another process holds and stopped. Only an active run is worth reconnecting to.
      const status = await api.status(runId);
      if (!ACTIVE_STATUSES.has(status)) return status;
    } catch (error) {
      if (signal.aborted) throw error;
      if (!received && ++failures >= MAX_FAILED_ATTEMPTS) throw error;
    }
    if (received) failures = 0;
    await sleep(RECONNECT_DELAYS_MS[Math.min(failures, RECONNECT_DELAYS_MS.length - 1)] ?? 0);
    if (signal.aborted) throw signal.reason;
  }
}

const knownTypes: ReadonlySet<string> = new Set(runEventSchema.options.map((option) => option.shape.type.value));

/**
 * An event this page can show: of its protocol version and a type it knows. The server builds
 * events from the same schema, so a full parse of each (a fifth of the time spent following a
 * 2,000-node run) checks nothing the server has not; an event of a newer protocol is skipped.
 */
function readEvent(value: unknown): RunEvent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { v, type, seq } = value as { v?: unknown; type?: unknown; seq?: unknown };
  return v === RUN_EVENT_VERSION && typeof type === 'string' && knownTypes.has(type) && typeof seq === 'number' ? (value as RunEvent) : undefined;
}

/** The `run.queued` note's data, when it has the fields the panel shows. */
function readQueuedNotice(value: unknown): QueuedNotice | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { runId, maxConcurrentRuns } = value as { runId?: unknown; maxConcurrentRuns?: unknown };
  return typeof runId === 'string' && typeof maxConcurrentRuns === 'number' ? { runId, maxConcurrentRuns } : undefined;
}

/** Reads SSE frames from the stream, handing over each chunk's events at once. */
async function readEvents(stream: ReadableStream<Uint8Array>, onEvents: (events: RunEvent[]) => void, onQueued?: (notice: QueuedNotice) => void): Promise<void> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let batch: RunEvent[] = [];
  const parser = createSseParser(({ event: name, data }) => {
    if (name === 'run.queued') {
      const notice = readQueuedNotice(JSON.parse(data));
      if (notice) onQueued?.(notice);
      return;
    }
    const event = readEvent(JSON.parse(data));
    if (event) batch.push(event);
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.push(decoder.decode(value, { stream: true }));
      if (batch.length > 0) {
        onEvents(batch);
        batch = [];
      }
    }
  } finally {
    reader.releaseLock();
  }
}
