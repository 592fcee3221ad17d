// The run worker thread: opens its own libsql client and engine (run-engine.ts, with the main
// thread's settings) and executes the commands the main thread sends, sending back each run's
// events as they come and waiting for the main thread wherever the run's journal or call log must
// be stored before the run goes on.
import { setMaxListeners } from 'node:events';
import type { MessagePort } from 'node:worker_threads';
import { openLibsqlClient } from '@loomflow/checkpoint-libsql';
import { runEventKey, type CallLog, type RunJournal } from '@loomflow/runtime';
import { CompileCache } from '../compile-cache';
import { openRunEngine } from '../run-engine';
import { commandEvents } from '../run-host';
import { postCopy, type FromWorker, type KeyedEvent, type RunWorkerData, type ToWorker } from './protocol';

/** Serves the main thread on `port` until it says `close`; then the client and the engine's pools end. */
export async function serveRunWorker(data: RunWorkerData, port: MessagePort): Promise<void> {
  // As on the main thread: LangGraph adds an abort listener per task of a superstep.
  setMaxListeners(1000);
  const post = (message: FromWorker) => postCopy(port, message);
  let engine: Awaited<ReturnType<typeof openRunEngine>>;
  let close: () => void;
  try {
    const client = await openLibsqlClient(data.databaseUrl);
    // process.env is shared with the main thread (SHARE_ENV): a provider's apiKeyEnv is read at each use.
    engine = await openRunEngine(client, { ...data.settings, environment: process.env });
    close = () => client.close();
  } catch (error) {
    post({ type: 'start-failed', message: messageOf(error) });
    return;
  }
  const cache = new CompileCache(engine.runtime);
  const running = new Map<string, AbortController>();
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let nextToken = 0;
  /** Asks the main thread to do something for a run, and resolves once it did. */
  const ask = (message: (token: number) => FromWorker) =>
    new Promise<void>((resolve, reject) => {
      const token = nextToken++;
      waiting.set(token, { resolve, reject });
      post(message(token));
    });

  const execute = async (message: Extract<ToWorker, { type: 'execute' }>, abort: AbortController) => {
    const { runId } = message;
    // Events go out in batches, one per turn of this thread's loop, as the main thread's journal writes them.
    let batch: KeyedEvent[] = [];
    // An event that cannot be sent at all (not even as JSON) fails its own run, not the worker's others.
    let unsent: unknown;
    const send = () => {
      if (batch.length === 0) return;
      const events = batch;
      batch = [];
      try {
        post({ type: 'events', runId, events });
      } catch (error) {
        unsent ??= error;
        abort.abort(`an event of the run could not be stored: ${messageOf(error)}`);
      }
    };
    const journal: RunJournal = {
      storedKeys: new Set(message.storedKeys),
      storedCount: message.storedCount,
      // A step whose events did not all go out must not commit.
      flush: () => {
        send();
        return unsent === undefined ? ask((token) => ({ type: 'flush', runId, token })) : Promise.reject(unsent);
      },
    };
    const callLog: CallLog = message.recorded ? { recorded: message.recorded } : { record: (call) => ask((token) => ({ type: 'record', runId, token, call })) };
    try {
      for await (const event of await commandEvents(cache, message.command, { runId, signal: abort.signal, journal, callLog })) {
        batch.push({ event, key: runEventKey(event) });
        if (batch.length === 1) setImmediate(send);
      }
      send();
      post(unsent === undefined ? { type: 'done', runId } : { type: 'done', runId, error: messageOf(unsent) });
    } catch (error) {
      send();
      post({ type: 'done', runId, error: messageOf(unsent ?? error) });
    } finally {
      running.delete(runId);
    }
  };

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'execute': {
        // Kept before anything is awaited, so a cancel sent right after finds the run.
        const abort = new AbortController();
        running.set(message.runId, abort);
        void execute(message, abort);
        return;
      }
      case 'cancel':
        running.get(message.runId)?.abort(message.reason);
        return;
      case 'answer': {
        const asked = waiting.get(message.token);
        waiting.delete(message.token);
        if (message.error === undefined) asked?.resolve();
        else asked?.reject(new Error(message.error));
        return;
      }
      case 'close':
        // The main thread stopped every run first; what is left are the pools and the client.
        void engine.close().finally(() => {
          close();
          post({ type: 'closed' });
          port.close();
        });
        return;
    }
  });
  post({ type: 'ready' });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
