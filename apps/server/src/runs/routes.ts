// /api/flows/:id/runs, /api/runs and /api/threads: starting, following, cancelling and listing
// runs, and a thread's state, history, forks and resumption.
import type { RunEvent } from '@loomflow/graph-schema';
import { Hono, type Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { apiError } from '../errors';
import { validate } from '../validation';
import { RunRequestError, type RunManager } from './run-manager';
import type { RunStore } from './run-store';
import {
  flowRunParamSchema,
  historyQuerySchema,
  listRunsQuerySchema,
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

export function runRequestError(c: Context, error: unknown) {
  if (error instanceof RunRequestError) return apiError(c, error.status, error.code, error.message, error.details);
  throw error;
}

export function runRoutes({ runManager, runs }: RunRouteDependencies) {
  return new Hono()
    .post('/flows/:id/runs', validate('param', flowRunParamSchema), validate('json', startRunBodySchema), async (c) => {
      const body = c.req.valid('json');
      try {
        const started = await runManager.start({ flowId: c.req.valid('param').id, ...body });
        return c.json(started, 202);
      } catch (error) {
        return runRequestError(c, error);
      }
    })
    .get('/runs', validate('query', listRunsQuerySchema), async (c) => c.json(await runs.list(c.req.valid('query')), 200))
    .get('/runs/:id', validate('param', runIdParamSchema), async (c) => {
      const { id } = c.req.valid('param');
      const run = await runs.get(id);
      if (!run) return apiError(c, 404, 'run_not_found', `No run with id "${id}".`, { id });
      const { document: _document, ...summary } = run;
      return c.json(summary, 200);
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
    .get('/runs/:id/events', validate('param', runIdParamSchema), async (c) => {
      const { id } = c.req.valid('param');
      const run = await runs.get(id);
      if (!run) return apiError(c, 404, 'run_not_found', `No run with id "${id}".`, { id });
      const lastEventId = Number.parseInt(c.req.header('Last-Event-ID') ?? '', 10);
      const after = Number.isFinite(lastEventId) ? lastEventId : -1;
      return streamSSE(c, (stream) => followRun(stream, id, after, runManager, runs));
    })
    .get('/threads/:id/state', validate('param', threadIdParamSchema), validate('query', stateQuerySchema), async (c) => {
      const { id } = c.req.valid('param');
      try {
        const flow = await runManager.flowOfThread(id);
        return c.json(await flow.getState(id, c.req.valid('query').checkpointId), 200);
      } catch (error) {
        return runRequestError(c, error);
      }
    })
    .get('/threads/:id/history', validate('param', threadIdParamSchema), validate('query', historyQuerySchema), async (c) => {
      const { id } = c.req.valid('param');
      try {
        const flow = await runManager.flowOfThread(id);
        const limit = c.req.valid('query').limit;
        return c.json({ items: await flow.getHistory(id, limit === undefined ? {} : { limit }) }, 200);
      } catch (error) {
        return runRequestError(c, error);
      }
    })
    .post('/threads/:id/state', validate('param', threadIdParamSchema), validate('json', updateStateBodySchema), async (c) => {
      const { id } = c.req.valid('param');
      const { values, asNode, checkpointId } = c.req.valid('json');
      try {
        await runManager.assertThreadIdle(id);
        const flow = await runManager.flowOfThread(id);
        if (!flow.ir.nodes.some((node) => node.id === asNode)) {
          return apiError(c, 422, 'unknown_node', `Flow "${flow.ir.flowId}" has no node "${asNode}".`, { asNode });
        }
        const newCheckpointId = await flow.updateState(id, values, { asNode, ...(checkpointId ? { checkpointId } : {}) });
        return c.json({ checkpointId: newCheckpointId }, 200);
      } catch (error) {
        return runRequestError(c, error);
      }
    })
    .post('/threads/:id/resume', validate('param', threadIdParamSchema), validate('json', resumeBodySchema), async (c) => {
      const { id } = c.req.valid('param');
      const { interruptId, value } = c.req.valid('json');
      try {
        return c.json(await runManager.resume(id, { value, interruptId }), 202);
      } catch (error) {
        return runRequestError(c, error);
      }
    });
}

/**
 * Replays the stored events after `after`, then follows the live ones until the run stops. The
 * listener is attached before the replay so that nothing falls between the two; events already
 * sent are skipped by sequence number.
 */
async function followRun(stream: SSEStreamingApi, runId: string, after: number, runManager: RunManager, runs: RunStore): Promise<void> {
  let lastSent = after;
  const queue: (RunEvent | 'end')[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = runManager.subscribe(runId, (event) => {
    queue.push(event);
    wake?.();
  });
  stream.onAbort(() => {
    unsubscribe();
    wake?.();
  });
  const send = async (event: RunEvent) => {
    if (event.seq <= lastSent) return;
    lastSent = event.seq;
    await stream.writeSSE({ id: String(event.seq), event: event.type, data: JSON.stringify(event) });
  };
  try {
    for (const event of await runs.events(runId, after)) await send(event);
    if (!runManager.isActive(runId) && queue.length === 0) return;
    while (!stream.aborted) {
      const next = queue.shift();
      if (next === 'end') return;
      if (next) {
        await send(next);
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        const timer = setTimeout(resolve, KEEP_ALIVE_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      if (queue.length === 0 && !stream.aborted) await stream.write(': keep-alive\n\n');
    }
  } finally {
    unsubscribe();
  }
}
