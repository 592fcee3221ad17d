// The timer-start scan runs every second, so it must read a stored process only when it was edited
// since the last round, and still follow every edit: a new timer, a timer drawn away, a deletion.
import { LibsqlSaver } from '@loomflow/checkpoint-libsql';
import { createDefaultRegistry, type FlowDocument, type FlowDocumentInput } from '@loomflow/graph-schema';
import { FlowRuntime } from '@loomflow/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverDatabase } from '../db/database';
import { createServices, type ServerServices } from '../services';
import { createTempDatabase, type TempDatabase } from '../testing/fixtures';
import { TimerStarts } from './timer-starts';

const at = { x: 0, y: 0 };
const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);
const HOUR = 3_600_000;

function timedProcess(id: string, value: string | undefined): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id,
    name: id,
    kind: 'bpmn',
    nodes: [
      { id: 'start', type: 'bpmn.startEvent', position: at, config: value ? { eventDefinition: { type: 'timer', timerType: 'duration', value } } : {} },
      { id: 'end', type: 'bpmn.endEvent', position: at, config: {} },
    ],
    edges: [{ id: 'e0', source: 'start', target: 'end' }],
  };
}

let database: TempDatabase;
let services: ServerServices;
let now = T0;
let documentsRead: string[];
let started: string[];
let timers: TimerStarts;

beforeEach(async () => {
  now = T0;
  documentsRead = [];
  started = [];
  database = await createTempDatabase();
  services = await createServices(database.db);
  const registry = createDefaultRegistry();
  const runtime = new FlowRuntime({ checkpointer: new LibsqlSaver(database.db), registry });
  const flows = services.flows;
  timers = new TimerStarts({
    db: serverDatabase(database.db),
    clock: { now: () => now },
    // The real store, with each whole-document read noted.
    flows: Object.assign(Object.create(flows) as typeof flows, {
      get: async (id: string) => {
        documentsRead.push(id);
        return flows.get(id);
      },
    }),
    compile: (flow: FlowDocument) => runtime.compile(flow),
    start: async (flowId) => {
      started.push(flowId);
      return { runId: `run-${started.length}` };
    },
  });
});

afterEach(async () => {
  await services.close();
  database.dispose();
});

async function store(flow: FlowDocumentInput): Promise<void> {
  expect(await services.flows.create(flow as FlowDocument)).toBe(true);
}

describe('the timer-start scan', () => {
  it('reads each stored process once, and again only after it is edited', async () => {
    await store(timedProcess('hourly', 'PT1H'));
    await store(timedProcess('untimed', undefined));
    expect(await timers.fireDue()).toEqual([]);
    expect(documentsRead.sort()).toEqual(['hourly', 'untimed']);

    documentsRead = [];
    now = T0 + HOUR;
    expect(await timers.fireDue()).toEqual(['run-1']);
    expect(started).toEqual(['hourly']);
    expect(documentsRead).toEqual([]);

    // Drawing a timer on the other process is seen on the next round, and counts from then.
    const revision = (await services.flows.get('untimed'))?.revision ?? 0;
    expect(await services.flows.update(timedProcess('untimed', 'PT2H') as FlowDocument, revision)).toMatchObject({ status: 'updated' });
    expect(await timers.fireDue()).toEqual([]);
    expect(documentsRead).toEqual(['untimed']);
    now = T0 + 3 * HOUR;
    expect(await timers.fireDue()).toEqual(['run-2']);
    expect(started).toEqual(['hourly', 'untimed']);
  });

  it('forgets a deleted process, and reads a new one stored under the same id', async () => {
    await store(timedProcess('daily', 'P1D'));
    expect(await timers.fireDue()).toEqual([]);
    expect(await services.flows.delete('daily')).toBeTruthy();
    await store(timedProcess('daily', 'PT1H'));
    documentsRead = [];
    expect(await timers.fireDue()).toEqual([]);
    expect(documentsRead).toEqual(['daily']);
    now = T0 + HOUR;
    // Had the first edit been kept, nothing would be due before a day.
    expect(await timers.fireDue()).toEqual(['run-1']);
  });
});
