import type { FlowDocument } from '@loomflow/graph-schema';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkExecuteUndoRedo } from '../../../testing/check-command';
import { exampleFlow, testModelingContext } from '../../../testing/modeling-context';
import { appendableTypes, appendCommand, appendNode } from './append-node';

const context = testModelingContext();
beforeEach(() => setActivePinia(createPinia()));

function agentFlow(): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'triage',
    name: 'Triage',
    kind: 'agent',
    state: { channels: [{ name: 'messages', type: 'messages', reducer: 'messages' }] },
    nodes: [
      { id: 'start', type: 'agent.start', position: { x: 0, y: 0 }, config: {} },
      { id: 'end', type: 'agent.end', name: 'End', position: { x: 400, y: 0 }, config: {} },
    ],
    edges: [],
  };
}

describe('shape.append', () => {
  it('adds the node where the connection was dropped and the edge into it, as one undoable step', () => {
    const flow = agentFlow();
    const { command, node, edgeId } = appendCommand(context, flow, { source: 'start', type: 'agent.template', at: { x: 200, y: 120 }, locale: 'en' });
    const changes = checkExecuteUndoRedo(flow, command, (after) => {
      expect(after.nodes.find((candidate) => candidate.id === node.id)).toMatchObject({ type: 'agent.template', name: 'Template', position: { x: 200, y: 120 } });
      expect(after.edges).toEqual([{ id: edgeId, source: 'start', target: node.id, sourcePort: 'out', targetPort: 'in' }]);
    });
    expect(changes.map((batch) => batch.map((change) => change.type))).toEqual([
      ['node.added', 'edge.added'],
      ['edge.removed', 'node.removed'],
      ['node.added', 'edge.added'],
    ]);
  });

  it('puts a node dropped inside a lane into that lane, connected from a task of another lane', () => {
    const flow = exampleFlow('bpmn/expense-approval.json');
    const { command, node } = appendCommand(context, flow, { source: 'manager-approval', type: 'bpmn.serviceTask', at: { x: 600, y: 520 }, locale: 'zh-CN' });
    checkExecuteUndoRedo(flow, command, (after) => {
      expect(after.nodes.find((candidate) => candidate.id === node.id)).toMatchObject({ type: 'bpmn.serviceTask', name: '服务任务', parent: 'lane-finance' });
      expect(after.edges.at(-1)).toMatchObject({ source: 'manager-approval', target: node.id });
    });
  });

  it("is refused with the create rule's or checkConnection's own reason", () => {
    const flow = agentFlow();
    const fromEnd = appendCommand(context, flow, { source: 'end', type: 'agent.template', at: { x: 600, y: 0 }, locale: 'en' });
    expect(fromEnd.command.canExecute(flow)).toMatchObject({ allowed: false, refusal: { code: 'connection', reason: { code: 'leaves-end', params: { node: 'end' } } } });
    const otherKind = appendCommand(context, flow, { source: 'start', type: 'bpmn.userTask', at: { x: 200, y: 0 }, locale: 'en' });
    expect(otherKind.command.canExecute(flow)).toEqual({ allowed: false, refusal: { code: 'wrong-kind' } });
    const taken = appendNode(context, { id: 'end', type: 'agent.template', position: { x: 0, y: 0 }, config: {} }, 'flow_1', { node: 'start' });
    expect(taken.canExecute(flow)).toEqual({ allowed: false, refusal: { code: 'id-taken' } });
    // Executing a refused append is the caller's bug: it throws and changes nothing.
    expect(() => fromEnd.command.execute(flow)).toThrow(/refused/);
    expect(flow).toEqual(agentFlow());
  });
});

describe('the types quick-add offers', () => {
  const typesOf = (flow: FlowDocument, source: string) => appendableTypes(context, flow, source, { x: 900, y: 900 }).map((nodeType) => nodeType.type);

  it("are the flow kind's types that may follow the source, in the palette's order", () => {
    const offered = typesOf(agentFlow(), 'start');
    expect(offered).toEqual(expect.arrayContaining(['agent.llm', 'agent.template', 'agent.end']));
    expect(offered.every((type) => type.startsWith('agent.'))).toBe(true);
    // Nothing enters a start, and notes take no connections.
    expect(offered).not.toContain('agent.start');
    expect(offered.filter((type) => context.registry.get(type)?.role === 'artifact')).toEqual([]);
    const order = context.registry.list('agent').map((nodeType) => nodeType.type);
    expect(offered).toEqual(order.filter((type) => offered.includes(type)));
  });

  it('are none from an end, and only BPMN flow elements from a BPMN task', () => {
    expect(typesOf(agentFlow(), 'end')).toEqual([]);
    const offered = typesOf(exampleFlow('bpmn/expense-approval.json'), 'manager-approval');
    expect(offered).toEqual(expect.arrayContaining(['bpmn.userTask', 'bpmn.exclusiveGateway', 'bpmn.endEvent']));
    expect(offered).not.toContain('bpmn.startEvent');
    expect(offered.some((type) => ['bpmn.pool', 'bpmn.lane', 'bpmn.textAnnotation', 'bpmn.boundaryEvent'].includes(type))).toBe(false);
    expect(offered.every((type) => type.startsWith('bpmn.'))).toBe(true);
  });
});
