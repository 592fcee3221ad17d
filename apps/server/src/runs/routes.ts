// /api/flows/:id/runs, /api/runs and /api/threads: starting, following, cancelling and listing
// runs, and a thread's state, history, forks and resumption.
import { isTerminalRunEvent, type FlowDocument, type RunEvent } from '@loomflow/graph-schema';
import { previewLargeValues } from '@loomflow/runtime';
import { Hono } from 'hono';
import type { JSONValue as JsonValue } from 'hono/utils/types';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { apiError } from '../errors';
import { validate } from '../validation';
import type { RunManager } from './run-manager';
import { activeRunStatuses, type RunStore } from './run-store';
import {
  flowRunParamSchema,
  historyQuerySchema,
  listRunsQuerySchema,
  replayBodySchema,
  resumeBodySchema,
  runIdParamSchema,
  startRunBodySchema,
  stateQuerySchema,
  threadIdParamSchema,
  updateStateBodySchema,
} from './schemas';

export interface RunRouteDependencies {
  readonly runManager: RunManager;
  readonly runs: RunStore;
}

/** Comments sent on an idle stream so that proxies keep it open. */
const KEEP_ALIVE_MS = 15_000;

// The run manager throws DomainErrors (no such thread, a busy thread, a refused answer, a flow that
// cannot run); app.onError answers them, so the handlers below only say what succeeds.
export function runRoutes({ runManager, runs }: RunRouteDependencies) {
  return new Hono()
    .post('/flows/:id/runs', validate('param', flowRunParamSchema), validate('json', startRunBodySchema), async (c) => {
      const started = await runManager.start({ flowId: c.req.valid('param').id, ...c.req.valid('json') });
      return c.json(started, 202);
    })
    .get('/runs', validate('query', listRunsQuerySchema), async (c) => c.json(await runs.list(c.req.valid('query')), 200))
    .get('/runs/:id', validate('param', runIdParamSchema), async (c) => {
      const { id } = c.req.valid('param');
      const run = await runs.get(id);
      if (!run) return apiError(c, 404, 'run_not_found', `No run with id "${id}".`, { id });
      // Which process holds the run (host name, pid) is the servers' business, not the client's.
      const { document: _document, owner: _owner, leaseExpiresAt: _leaseExpiresAt, ...summary } = run;
      return c.json(summary, 200);
    })
    // The document is left out of the summary (it may be large); a run's history view draws it.
    .get('/runs/:id/document', validate('param', runIdParamSchema), async (c) => {
      const { id } = c.req.valid('param');
      const run = await runs.get(id);
      if (!run) return apiError(c, 404, 'run_not_found', `No run with id "${id}".`, { id });
      return c.json({ runId: run.id, flowId: run.flowId, version: run.version, flow: run.document as FlowDocument }, 200);
    })
    .post('/runs/:id/cancel', validate('param', runIdParamSchema), async (c) => {
      const { id } = c.req.valid('param');
      const run = await runs.get(id);
      if (!run) return apiError(c, 404, 'run_not_found', `No run with id "${id}".`, { id });
      if (!runManager.cancel(id)) {
        return apiError(c, 409, 'run_not_active', `Run "${id}" is not running (status: ${run.status}).`, { id, status: run.status });
      }
      return c.json({ runId: id, status: 'cancelling' as const }, 202);
    })
    .post('/runs/:id/replay', validate('param', runIdParamSchema), validate('json', replayBodySchema), async (c) => {
      const replayed = await runManager.replay(c.req.valid('param').id, c.req.valid('json'));
      return c.json(replayed, 202);
    })
    .get('/runs/:id/events', validate('param', runIdParamSchema), async (c) => {
      const { id } = c.req.valid('param');
      if ((await runs.status(id)) === undefined) return apiError(c, 404, 'run_not_found', `No run with id "${id}".`, { id });
      const lastEventId = Number.parseInt(c.req.header('Last-Event-ID') ?? '', 10);
      const after = Number.isFinite(lastEventId) ? lastEventId : -1;
      return streamSSE(c, (stream) => followRun(stream, id, after, runManager, runs));
    })
    .get('/threads/:id/state', validate('param', threadIdParamSchema), validate('query', stateQuerySchema), async (c) => {
      const { id } = c.req.valid('param');
      const flow = await runManager.flowOfThread(id);
      const { checkpointId, channel } = c.req.valid('query');
      const state = await flow.getState(id, checkpointId);
      if (channel !== undefined) {
        if (!(channel in state.values)) {
          return apiError(c, 404, 'channel_not_found', `Thread "${id}" has no state channel "${channel}".`, { channel });
        }
        return c.json({ channel, value: state.values[channel] as JsonValue, checkpointId: state.checkpointId ?? null }, 200);
      }
      // A state may hold megabytes: large values come as previews, each fetched whole by name.
      return c.json({ ...state, values: previewLargeValues(state.values, runManager.valuePreviewBytes) }, 200);
    })
    .get('/threads/:id/history', validate('param', threadIdParamSchema), validate('query', historyQuerySchema), async (c) => {
      const { id } = c.req.valid('param');
      const flow = await runManager.flowOfThread(id);
      const limit = c.req.valid('query').limit;
      const items = await flow.getHistory(id, limit === undefined ? {} : { limit });
      return c.json({ items: items.map((state) => ({ ...state, values: previewLargeValues(state.values, runManager.valuePreviewBytes) })) }, 200);
    })
    .post('/threads/:id/state', validate('param', threadIdParamSchema), validate('json', updateStateBodySchema), async (c) => {
      const { id } = c.req.valid('param');
      const { values, asNode, checkpointId } = c.req.valid('json');
      return c.json(await runManager.updateThreadState(id, values, { asNode, checkpointId }), 200);
    })
    .post('/threads/:id/resume', validate('param', threadIdParamSchema), validate('json', resumeBodySchema), async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await runManager.resume(id, c.req.valid('json')), 202);
    });
}

/** How often a stream reads the table while its run executes in another process (or none yet). */
const POLL_MS = 250;

const activeStatuses: ReadonlySet<string> = new Set(activeRunStatuses);

/**
 * A stored batch as SSE frames, with the fields and layout `writeSSE({ event, data, id })` writes,
 * for one `stream.write` per batch. Not writeSSE itself: it takes one message per call, and each
 * call is its own awaited write through the response stream. With batches of 25 events (one step
 * of a 10-node flow), 50,000 events read over a local socket cost 672 ms of CPU with writeSSE per
 * event and 182 ms with one write per batch (@hono/node-server, server and reader in one process);
 * per-event writes are what `pnpm bench:server` had found costly. JSON.stringify never writes a
 * line break, so each event is one `data:` line; a type or a number has none either.
 */
function toSseFrames(events: readonly RunEvent[]): string {
  return events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\nid: ${event.seq}\n\n`).join('');
}

/**
 * Replays the stored events after `after`, then follows the run until it stops: live, batch by
 * batch, while it executes in this process; by reading the table while it executes in another
 * process (or waits to be taken over). The listener is attached before the replay so that nothing
 * falls between the two. Events already sent are skipped by sequence number, and a batch that
 * starts past the next expected one is preceded by the stored events in between (the run moved
 * here from another process).
 */
async function followRun(stream: SSEStreamingApi, runId: string, after: number, runManager: RunManager, runs: RunStore): Promise<void> {
  let lastSent = after;
  let lastWrite = Date.now();
  const queue: (readonly RunEvent[])[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = runManager.subscribe(runId, (batch) => {
    if (batch !== 'end') queue.push(batch);
    wake?.();
  });
  stream.onAbort(() => {
    unsubscribe();
    wake?.();
  });
  let finished = false;
  const send = async (batch: readonly RunEvent[]) => {
    let events = batch.filter((event) => event.seq > lastSent);
    const first = events[0];
    if (!first) return;
    if (first.seq > lastSent + 1) events = [...(await runs.events(runId, lastSent)).filter((event) => event.seq < first.seq), ...events];
    lastSent = (events.at(-1) as RunEvent).seq;
    lastWrite = Date.now();
    finished = events.some(isTerminalRunEvent);
    await stream.write(toSseFrames(events));
  };
  try {
    await send(await runs.events(runId, after));
    if (lastSent === after && runManager.isQueued(runId)) {
      // Not a run event (no id, so Last-Event-ID is untouched): says why nothing comes yet.
      await stream.write(`event: run.queued\ndata: ${JSON.stringify({ runId, status: 'queued', maxConcurrentRuns: runManager.maxConcurrentRuns })}\n\n`);
    }
    while (!stream.aborted && !finished) {
      const batch = queue.shift();
      if (batch) {
        await send(batch);
        continue;
      }
      if (runManager.closing) return;
      const local = runManager.isActive(runId);
      if (!local) {
        // The status first: once it shows the run stopped, its last events are in the table too.
        const status = await runs.status(runId);
        await send(await runs.events(runId, lastSent));
        if (status === undefined || !activeStatuses.has(status)) return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, local ? KEEP_ALIVE_MS : POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      if (queue.length === 0 && !stream.aborted && Date.now() - lastWrite >= KEEP_ALIVE_MS) {
        lastWrite = Date.now();
        // A comment line, which EventSource ignores; writeSSE always writes a `data:` field.
        await stream.write(': keep-alive\n\n');
      }
    }
  } finally {
    unsubscribe();
  }
}
