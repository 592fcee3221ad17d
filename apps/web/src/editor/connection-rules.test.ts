import { createDefaultRegistry, type FlowDocument } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { checkConnection } from './connection-rules';

const registry = createDefaultRegistry();

function flow(): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'rules',
    name: 'Rules',
    kind: 'bpmn',
    state: { channels: [] },
    nodes: [
      { id: 'start', type: 'agent.start', position: { x: 0, y: 0 }, config: {} },
      { id: 'llm', type: 'agent.llm', name: 'Ask', position: { x: 0, y: 0 }, config: { onError: 'route' } },
      { id: 'end', type: 'agent.end', name: 'Done', position: { x: 0, y: 0 }, config: {} },
      { id: 'note', type: 'bpmn.textAnnotation', position: { x: 0, y: 0 }, config: {} },
      { id: 'alien', type: 'x.unknown', position: { x: 0, y: 0 }, config: {} },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'llm' }],
    annotations: [],
  };
}

describe('checkConnection', () => {
  it('allows a connection and fills in the default ports', () => {
    expect(checkConnection(flow(), registry, { source: 'llm', target: 'end' })).toEqual({ allowed: true, sourcePort: 'out', targetPort: 'in' });
  });

  it('allows a port the config adds (the error port of a step that routes errors)', () => {
    expect(checkConnection(flow(), registry, { source: 'llm', target: 'end', sourcePort: 'error' })).toMatchObject({ allowed: true });
  });

  it.each([
    ['nothing leaves an end', { source: 'end', target: 'llm' }, 'Nothing can leave "Done": it is an end.', '结束节点 "Done" 不能有出线。'],
    ['nothing enters a start', { source: 'llm', target: 'start' }, 'Nothing can enter start: it is a start.', '开始节点 start 不能有入线。'],
    ['artifacts take no connections', { source: 'llm', target: 'note' }, 'note is an artifact; artifacts take no connections.', 'note 是工件，工件不能连线。'],
    ['unknown ports are refused', { source: 'llm', target: 'end', sourcePort: 'nope' }, '"Ask" has no output port "nope" (its ports: out, error).', '"Ask" 没有输出端口 "nope"（可用端口：out, error）。'],
    ['unknown input ports are refused', { source: 'llm', target: 'end', targetPort: 'side' }, '"Done" has no input port "side" (its ports: in).', '"Done" 没有输入端口 "side"（可用端口：in）。'],
    ['unknown node types are refused', { source: 'alien', target: 'end' }, 'alien has an unknown node type (x.unknown).', 'alien 的节点类型未知（x.unknown）。'],
    ['a node does not connect to itself', { source: 'llm', target: 'llm' }, 'A node cannot be connected to itself.', '节点不能连接到自身。'],
    ['a connection is not drawn twice', { source: 'start', target: 'llm' }, 'start is already connected to "Ask".', 'start 已经连接到 "Ask"。'],
    ['both ends must exist', { source: 'start', target: 'ghost' }, 'Both ends of a connection must be nodes of this flow.', '连线的两端都必须是本流程中的节点。'],
  ])('%s, with a reason in English and Chinese', (_rule, request, en, zhCN) => {
    expect(checkConnection(flow(), registry, request)).toEqual({ allowed: false, reason: { en, 'zh-CN': zhCN } });
  });
});
