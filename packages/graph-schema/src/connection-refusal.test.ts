// Every refusal checkConnection can give, produced for real, rendered from the catalog in every
// language: a code without a message, or a message with a placeholder its params do not fill,
// would reach the person drawing the connection as a raw `{node}`.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectionRefusalCatalog, connectionRefusalCodes, formatConnectionRefusal, type ConnectionRefusalCode } from './connection-refusal';
import { checkConnection, type ConnectionRequest } from './connection-rules';
import { createDefaultRegistry } from './default-registry';
import type { FlowDocument, FlowNode } from './flow-document';
import { locales } from './localized';
import { defineNodeType } from './node-type';

const text = (en: string) => ({ en, 'zh-CN': en });
const hostType = { kind: 'agent', version: 1, category: 'data', role: 'step', branching: 'all', configSchema: z.strictObject({}), defaults: {} } as const;

// The default registry has no step without outputs and no node with several inputs; a host may
// register both, and checkConnection has a reason for each.
const registry = createDefaultRegistry()
  .register(defineNodeType({ ...hostType, type: 'acme.sink', title: text('Sink'), description: text('Takes, never gives.'), inputs: [{ id: 'in' }], outputs: [] }))
  .register(
    defineNodeType({ ...hostType, type: 'acme.merge', title: text('Merge'), description: text('Two sides in.'), inputs: [{ id: 'left' }, { id: 'right' }], outputs: [{ id: 'out' }] }),
  );

const node = (id: string, type: string, config: Record<string, unknown> = {}, name?: string): FlowNode => ({ id, type, position: { x: 0, y: 0 }, config, ...(name ? { name } : {}) });

const flow: FlowDocument = {
  schemaVersion: 1,
  id: 'refusals',
  name: 'Refusals',
  kind: 'agent',
  state: { channels: [] },
  nodes: [
    node('start', 'agent.start'),
    node('llm', 'agent.llm', {}, 'Ask'),
    node('end', 'agent.end', {}, 'Done'),
    node('note', 'bpmn.textAnnotation'),
    node('alien', 'x.unknown'),
    node('route', 'agent.router', { intents: [{ id: 'refund', description: 'money back' }] }, 'Classify'),
    node('catch', 'bpmn.boundaryEvent', { attachedTo: 'llm' }),
    node('sink', 'acme.sink'),
    node('merge', 'acme.merge'),
    node('agent', 'agent.llm', { callsTools: true }, 'Agent'),
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'llm' },
    { id: 'r1', source: 'route', target: 'llm', sourcePort: 'refund' },
    { id: 'r2', source: 'route', target: 'end', sourcePort: 'fallback' },
  ],
};

/** One request per refusal, each refused for that reason only. */
const requests: Record<ConnectionRefusalCode, ConnectionRequest> = {
  'not-in-flow': { source: 'start', target: 'ghost' },
  'unknown-type': { source: 'alien', target: 'end' },
  'self-connection': { source: 'llm', target: 'llm' },
  'artifact': { source: 'llm', target: 'note' },
  'leaves-end': { source: 'end', target: 'llm' },
  'no-outgoing': { source: 'sink', target: 'end' },
  'enters-start': { source: 'llm', target: 'start' },
  'no-incoming': { source: 'llm', target: 'catch' },
  'outputs-taken': { source: 'route', target: 'end' },
  'choose-input': { source: 'llm', target: 'merge' },
  'unknown-port': { source: 'llm', target: 'end', sourcePort: 'nope' },
  'tools-port-target': { source: 'agent', target: 'end', sourcePort: 'tools' },
  'duplicate': { source: 'start', target: 'llm' },
};

describe('connection refusal catalog', () => {
  it('has a message in every language for every code', () => {
    expect(Object.keys(requests).sort()).toEqual([...connectionRefusalCodes].sort());
    for (const code of connectionRefusalCodes) for (const locale of locales) expect(connectionRefusalCatalog[code][locale].trim()).not.toBe('');
  });

  it.each(connectionRefusalCodes)('renders a real %s refusal in every language with every placeholder filled', (code) => {
    const check = checkConnection(flow, registry, requests[code]);
    if (check.allowed) throw new Error(`${code}: the connection was allowed`);
    expect(check.reason.code).toBe(code);
    for (const locale of locales) expect(formatConnectionRefusal(check.reason, flow, locale)).not.toMatch(/\{\w+\}/);
  });
});
