// The Tasks page's list: read from the server, then kept current by the task event stream
// (GET /api/tasks/events) instead of being read again on a timer. The list is read each time the
// stream says it listens (`ready`), so a change made while the page was disconnected is not lost;
// changes that arrive while a read is under way are applied again on top of its answer.
import { onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import { createSseParser } from '../run/sse-parser';
import { applyTask, readTaskChange } from './task-list';
import type { TaskListQuery, TasksApi, TaskView } from './tasks-api';

export type Connection = 'connecting' | 'live' | 'reconnecting';

/** Waits between reconnections: quick at first, then no more than every few seconds. */
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000];

export interface TaskListOptions {
  /** Waits between reconnections (tests pass a quicker one). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function useTaskList(api: TasksApi, query: Ref<TaskListQuery>, { sleep = abortableSleep }: TaskListOptions = {}) {
  // Shallow: a list is replaced whole, never changed in place.
  const tasks = shallowRef<TaskView[]>([]);
  const connection = ref<Connection>('connecting');
  /** Why the last read failed; cleared by the next one that succeeds. */
  const loadError = ref<unknown>();
  /** False until the first read answered: "no tasks" is not said before. */
  const loaded = ref(false);
  const stop = new AbortController();

  let reads = 0;
  /** Changes heard during the read under way, to apply on top of its answer. */
  let heard: TaskView[] | undefined;

  async function read(): Promise<void> {
    const current = ++reads;
    heard = [];
    const asked = query.value;
    try {
      const items = await api.list(asked);
      if (current !== reads) return;
      tasks.value = (heard ?? []).reduce((list, task) => applyTask(list, task, asked), items);
      loadError.value = undefined;
      loaded.value = true;
    } catch (error) {
      if (current === reads) loadError.value = error;
    } finally {
      if (current === reads) heard = undefined;
    }
  }

  /** A task as it is now, from the stream or from this page's own claim or completion. */
  function apply(task: TaskView): void {
    heard?.push(task);
    tasks.value = applyTask(tasks.value, task, query.value);
  }

  async function follow(): Promise<void> {
    let failures = 0;
    while (!stop.signal.aborted) {
      try {
        const body = await api.events(stop.signal);
        await readStream(body, stop.signal, (event, data) => {
          if (event === 'ready') {
            connection.value = 'live';
            failures = 0;
            void read();
            return;
          }
          const task = readTaskChange(event, data);
          if (task) apply(task);
        });
      } catch {
        // A refused or broken stream: reconnect below, as when the server ended it. Until one
        // connects, the page still shows the list as read (or why it cannot be read).
        if (!loaded.value && !stop.signal.aborted) void read();
      }
      if (stop.signal.aborted) return;
      connection.value = 'reconnecting';
      await sleep(RECONNECT_DELAYS_MS[Math.min(failures, RECONNECT_DELAYS_MS.length - 1)] ?? 0, stop.signal);
      failures += 1;
    }
  }

  watch(query, () => void read());
  onScopeDispose(() => stop.abort());
  void follow();

  return { tasks, connection, loadError, loaded, apply };
}

/** Reads SSE messages from the stream until it ends, or until `signal` cancels it. */
async function readStream(stream: ReadableStream<Uint8Array>, signal: AbortSignal, onMessage: (event: string, data: string) => void): Promise<void> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const parser = createSseParser((message) => onMessage(message.event, message.data));
  // Not every fetch ends the body it already answered when its signal aborts; cancelling the
  // reader tells the server this listener left.
  const cancel = () => void reader.cancel().catch(() => undefined);
  signal.addEventListener('abort', cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    signal.removeEventListener('abort', cancel);
    reader.releaseLock();
  }
}
