// Escalation events (issue 12): an escalation thrown inside a sub-process, by an intermediate
// throw event or an end event, goes to the interrupting escalation boundary event of the nearest
// sub-process around it that catches its code; caught by none, the process goes on. The processes
// are checkpointed in a real libsql file and paused on a user task inside the sub-process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LibsqlSaver } from '@loomflow/checkpoint-libsql';
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowRuntime } from './flow-runtime';

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}
const last = (events: RunEvent[]) => events.at(-1) as RunEvent;
const completedNodes = (events: RunEvent[]) => events.flatMap((event) => (event.type === 'node.completed' ? [event.nodeId] : []));

let dir: string;
let saver: LibsqlSaver;
let runtime: FlowRuntime;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loomflow-escalation-'));
  saver = await LibsqlSaver.open(`file:${join(dir, 'runs.db')}`);
  runtime = new FlowRuntime({ checkpointer: saver });
});
afterAll(async () => {
  await saver.close();
  rmSync(dir, { recursive: true, force: true });
});

type Drawn = { id: string; type: string; config?: Record<string, unknown>; parent?: string };
const feel = (id: string, script: string, resultVariable: string, parent?: string): Drawn => ({
  id,
  type: 'bpmn.scriptTask',
  config: { scriptFormat: 'feel', script, resultVariable },
  ...(parent ? { parent } : {}),
});
const escalation = (escalationCode?: string) => ({ eventDefinition: { type: 'escalation', ...(escalationCode ? { escalationCode } : {}) } });

/**
 * start → sub-process [ start → review (user task) → late? → on time end | escalation `thrower` ]
 * → done → end, with what `extra` adds (boundary events and their paths). `late` > 0 takes the
 * escalation.
 */
function process(id: string, thrower: Drawn, extra: { nodes: Drawn[]; edges: [string, string][] }): FlowDocumentInput {
  const nodes: Drawn[] = [
    { id: 'start', type: 'bpmn.startEvent' },
    { id: 'sub', type: 'bpmn.subProcess' },
    { id: 'sub-start', type: 'bpmn.startEvent', parent: 'sub' },
    { id: 'review', type: 'bpmn.userTask', parent: 'sub', config: { formFields: [{ key: 'late', label: 'Days late', type: 'number', required: true }] } },
    { id: 'sub-gw', type: 'bpmn.exclusiveGateway', parent: 'sub' },
    { id: 'sub-end', type: 'bpmn.endEvent', parent: 'sub' },
    { ...thrower, parent: thrower.parent ?? 'sub' },
    feel('done', '1', 'outcome'),
    { id: 'end', type: 'bpmn.endEvent' },
    ...extra.nodes,
  ];
  const pairs: [string, string][] = [['start', 'sub'], ['sub-start', 'review'], ['review', 'sub-gw'], ['sub', 'done'], ['done', 'end'], ...extra.edges];
  return {
    schemaVersion: 1,
    id,
    name: id,
    kind: 'bpmn',
    state: { channels: ['late', 'outcome', 'after'].map((name) => ({ name, type: 'number' as const })) },
    nodes: nodes.map((node) => ({ ...node, position: { x: 0, y: 0 } })),
    edges: [
      ...pairs.map(([source, target], index) => ({ id: `f${index}`, source, target })),
      { id: 'on-time', source: 'sub-gw', target: 'sub-end', condition: 'late = 0' },
      { id: 'too-late', source: 'sub-gw', target: thrower.id, isDefault: true },
    ],
  };
}

/** An interrupting (or not) escalation boundary on `host` catching `code`, whose path writes `outcome` = 2 and ends. */
const boundary = (host: string, code: string | undefined, interrupting = true) => ({
  nodes: [
    { id: 'escalated', type: 'bpmn.boundaryEvent', config: { attachedTo: host, cancelActivity: interrupting, ...escalation(code) } },
    feel('handle', '2', 'outcome'),
    { id: 'end-escalated', type: 'bpmn.endEvent' },
  ],
  edges: [
    ['escalated', 'handle'],
    ['handle', 'end-escalated'],
  ] as [string, string][],
});

async function runLate(id: string, flow: FlowDocumentInput, late: number): Promise<RunEvent[]> {
  const compiled = runtime.compile(flow);
  const waiting = last(await collect(compiled.run({}, { threadId: id })));
  expect(waiting).toMatchObject({ type: 'interrupt', kind: 'human', payload: { nodeId: 'review' } });
  return collect(await compiled.resume(id, { late }));
}

describe('escalation events', () => {
  const endEscalation: Drawn = { id: 'escalate-end', type: 'bpmn.endEvent', config: escalation('LATE') };

  it("sends an escalation end's escalation to the sub-process's interrupting boundary event: the sub-process ends there", async () => {
    const events = await runLate('esc-end', process('esc-end', endEscalation, boundary('sub', 'LATE')), 3);
    // As with an error boundary, what the interrupted sub-process wrote is dropped with it.
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { late: 0, outcome: 2 } });
    expect(completedNodes(events)).toEqual(expect.arrayContaining(['escalate-end', 'escalated', 'handle', 'end-escalated']));
    expect(completedNodes(events)).not.toContain('done');
    const thrown = events.find((event) => event.type === 'node.completed' && event.nodeId === 'escalate-end');
    expect(thrown).toMatchObject({ output: { escalation: { code: 'LATE', caughtBy: 'escalated' } } });
  });

  it('leaves the boundary path alone when the sub-process ends without escalating', async () => {
    const events = await runLate('esc-none', process('esc-none', endEscalation, boundary('sub', 'LATE')), 0);
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { outcome: 1 } });
    expect(completedNodes(events)).not.toContain('escalated');
  });

  it('catches every code with a boundary that names none, from an intermediate throw event inside a nested sub-process, past its error boundary', async () => {
    const throwInside: Drawn = { id: 'inner', type: 'bpmn.subProcess', parent: 'sub' };
    const flow = process('esc-nested', throwInside, {
      nodes: [
        ...boundary('sub', undefined).nodes,
        { id: 'inner-start', type: 'bpmn.startEvent', parent: 'inner' },
        { id: 'escalate-throw', type: 'bpmn.intermediateThrowEvent', parent: 'inner', config: escalation('ANY') },
        feel('after-throw', '7', 'after', 'inner'),
        { id: 'inner-end', type: 'bpmn.endEvent', parent: 'inner' },
        // An error boundary that names no code catches every failure, but an escalation is none.
        { id: 'inner-failed', type: 'bpmn.boundaryEvent', parent: 'sub', config: { attachedTo: 'inner', eventDefinition: { type: 'error' } } },
        { id: 'inner-failed-end', type: 'bpmn.endEvent', parent: 'sub' },
      ],
      edges: [...boundary('sub', undefined).edges, ['inner-start', 'escalate-throw'], ['escalate-throw', 'after-throw'], ['after-throw', 'inner-end'], ['inner-failed', 'inner-failed-end']],
    });
    const events = await runLate('esc-nested', flow, 1);
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { outcome: 2 } });
    expect(completedNodes(events)).toEqual(expect.arrayContaining(['escalate-throw', 'escalated', 'handle']));
    expect(completedNodes(events)).not.toContain('after-throw');
    expect(completedNodes(events)).not.toContain('inner-failed');
    expect(completedNodes(events)).not.toContain('done');
  });

  it('goes on after an escalation no boundary event catches (another code): the throw event records it, as BPMN has it', async () => {
    const throwEvent: Drawn = { id: 'escalate-throw', type: 'bpmn.intermediateThrowEvent', config: escalation('LATE') };
    const flow = process('esc-uncaught', throwEvent, {
      nodes: [...boundary('sub', 'OTHER').nodes, { id: 'after-end', type: 'bpmn.endEvent', parent: 'sub' }],
      edges: [...boundary('sub', 'OTHER').edges, ['escalate-throw', 'after-end']],
    });
    const events = await runLate('esc-uncaught', flow, 2);
    expect(last(events)).toMatchObject({ type: 'run.completed', state: { outcome: 1 } });
    expect(events.find((event) => event.type === 'node.completed' && event.nodeId === 'escalate-throw')).toMatchObject({ output: { escalation: { code: 'LATE' } } });
    expect(completedNodes(events)).not.toContain('escalated');
  });

  it('refuses, naming the boundary event, an escalation caught by a non-interrupting escalation boundary event', async () => {
    const flow = process('esc-non-interrupting', endEscalation, boundary('sub', 'LATE', false));
    const attempt = async () => runLate('esc-non-interrupting', flow, 1);
    await expect(attempt()).rejects.toThrow(/non-interrupting escalation boundary event "escalated"/);
  });
});
