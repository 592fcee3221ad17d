import { describe, expect, it } from 'vitest';
import { formatConnectionRefusal } from './connection-refusal';
import { checkConnection, outputPortsOf, resolvePort, type ConnectionRequest } from './connection-rules';
import { createDefaultRegistry } from './default-registry';
import type { FlowDocument, FlowEdge } from './flow-document';

const registry = createDefaultRegistry();

/** The refusal of `request` on `document`, rendered in both languages. */
function refusalTexts(document: FlowDocument, request: ConnectionRequest): Record<string, string> | undefined {
  const check = checkConnection(document, registry, request);
  if (check.allowed) return undefined;
  return { en: formatConnectionRefusal(check.reason, document, 'en'), 'zh-CN': formatConnectionRefusal(check.reason, document, 'zh-CN') };
}

function flow(edges: FlowEdge[] = [{ id: 'e1', source: 'start', target: 'llm' }]): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'rules',
    name: 'Rules',
    kind: 'agent',
    state: { channels: [] },
    nodes: [
      { id: 'start', type: 'agent.start', position: { x: 0, y: 0 }, config: {} },
      { id: 'llm', type: 'agent.llm', name: 'Ask', position: { x: 0, y: 0 }, config: { onError: 'route' } },
      { id: 'end', type: 'agent.end', name: 'Done', position: { x: 0, y: 0 }, config: {} },
      { id: 'note', type: 'bpmn.textAnnotation', position: { x: 0, y: 0 }, config: {} },
      { id: 'alien', type: 'x.unknown', position: { x: 0, y: 0 }, config: {} },
      { id: 'route', type: 'agent.router', name: 'Classify', position: { x: 0, y: 0 }, config: { intents: [{ id: 'refund', description: 'money back' }] } },
      { id: 'typing', type: 'agent.router', position: { x: 0, y: 0 }, config: { intents: 'not yet a list' } },
    ],
    edges,
  };
}

function nodeOf(id: string) {
  const node = flow().nodes.find((candidate) => candidate.id === id);
  const nodeType = node && registry.get(node.type);
  if (!node || !nodeType) throw new Error(`no node ${id}`);
  return { node, nodeType };
}

describe('outputPortsOf', () => {
  it('derives the ports from the current config', () => {
    const { node, nodeType } = nodeOf('route');
    expect(outputPortsOf(nodeType, node).map((port) => port.id)).toEqual(['refund', 'fallback']);
  });

  it('falls back to the type’s default ports while the config does not parse', () => {
    const { node, nodeType } = nodeOf('typing');
    const defaults = nodeType.outputPorts(nodeType.configSchema.parse(nodeType.defaults));
    expect(outputPortsOf(nodeType, node)).toEqual(defaults);
  });
});

describe('resolvePort', () => {
  const ports = (...ids: string[]) => ids.map((id) => ({ id }));

  it('takes a named port only when the node has it', () => {
    expect(resolvePort(ports('refund', 'fallback'), 'source', 'fallback')).toEqual({ id: 'fallback' });
    expect(resolvePort(ports('out'), 'source', 'nope')).toBeUndefined();
  });

  it('resolves a left-out port to the only port, else to the usual out / in', () => {
    expect(resolvePort(ports('refund'), 'source', undefined)).toEqual({ id: 'refund' });
    expect(resolvePort(ports('out', 'error'), 'source', undefined)).toEqual({ id: 'out' });
    expect(resolvePort(ports('side', 'in'), 'target', undefined)).toEqual({ id: 'in' });
  });

  it('never guesses among several ports without out / in', () => {
    expect(resolvePort(ports('refund', 'fallback'), 'source', undefined)).toBeUndefined();
    expect(resolvePort(ports('out', 'error'), 'target', undefined)).toBeUndefined();
    expect(resolvePort([], 'source', undefined)).toBeUndefined();
  });
});

describe('checkConnection', () => {
  it('allows a connection and fills in the default ports', () => {
    expect(checkConnection(flow(), registry, { source: 'llm', target: 'end' })).toEqual({ allowed: true, sourcePort: 'out', targetPort: 'in' });
  });

  it('allows a port the config adds (the error port of a step that routes errors)', () => {
    expect(checkConnection(flow(), registry, { source: 'llm', target: 'end', sourcePort: 'error' })).toMatchObject({ allowed: true });
  });

  it('allows a router’s intent port when it is named', () => {
    expect(checkConnection(flow(), registry, { source: 'route', target: 'end', sourcePort: 'refund' })).toEqual({ allowed: true, sourcePort: 'refund', targetPort: 'in' });
  });

  it('gives a connection drawn from a router the next intent nothing leaves by yet, then asks to choose', () => {
    expect(checkConnection(flow(), registry, { source: 'route', target: 'end' })).toEqual({ allowed: true, sourcePort: 'refund', targetPort: 'in' });
    const refundTaken = flow([{ id: 'r1', source: 'route', target: 'llm', sourcePort: 'refund' }]);
    expect(checkConnection(refundTaken, registry, { source: 'route', target: 'end' })).toEqual({ allowed: true, sourcePort: 'fallback', targetPort: 'in' });
    const allTaken = flow([
      { id: 'r1', source: 'route', target: 'llm', sourcePort: 'refund' },
      { id: 'r2', source: 'route', target: 'llm', sourcePort: 'fallback' },
    ]);
    expect(checkConnection(allTaken, registry, { source: 'route', target: 'end' })).toEqual({
      allowed: false,
      reason: { code: 'outputs-taken', params: { node: 'route', ports: ['refund', 'fallback'] } },
    });
    expect(refusalTexts(allTaken, { source: 'route', target: 'end' })).toEqual({
      en: 'Every output port of "Classify" is connected already (refund, fallback); choose one.',
      'zh-CN': '"Classify" 的输出端口（refund, fallback）都已连接，请选择其中一个。',
    });
  });

  it('wires a node whose config does not parse yet by its type’s default ports', () => {
    expect(checkConnection(flow(), registry, { source: 'typing', target: 'end', sourcePort: 'fallback' })).toMatchObject({ allowed: true });
  });

  it('counts an edge that leaves its port out as the port it resolves to', () => {
    const withError = flow([{ id: 'e1', source: 'llm', target: 'end' }]);
    expect(checkConnection(withError, registry, { source: 'llm', target: 'end', sourcePort: 'out' })).toMatchObject({ allowed: false });
    expect(checkConnection(withError, registry, { source: 'llm', target: 'end', sourcePort: 'error' })).toMatchObject({ allowed: true });
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
    expect(refusalTexts(flow(), request)).toEqual({ en, 'zh-CN': zhCN });
  });

  it('refuses with ids and tokens only, and names a node as it is called when the refusal is shown', () => {
    const check = checkConnection(flow(), registry, { source: 'llm', target: 'end', sourcePort: 'nope' });
    expect(check).toEqual({ allowed: false, reason: { code: 'unknown-port', params: { node: 'llm', end: 'source', port: 'nope', ports: ['out', 'error'] } } });
    if (check.allowed) return;
    const renamed = flow();
    renamed.nodes = renamed.nodes.map((node) => (node.id === 'llm' ? { ...node, name: 'Answer' } : node));
    expect(formatConnectionRefusal(check.reason, renamed, 'en')).toBe('"Answer" has no output port "nope" (its ports: out, error).');
  });
});
