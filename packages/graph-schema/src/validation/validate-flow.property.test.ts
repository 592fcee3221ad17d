// Property-based tests: validateFlow must answer every input with well-formed issues and never throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from '../default-registry';
import { locales } from '../localized';
import type { MessageParams } from '../message-template';
import { formatIssueMessage, issueCatalog } from './issue';
import { validateFlow } from './validate-flow';

const registry = createDefaultRegistry();
const nodeTypes = registry.list().map((nodeType) => nodeType.type);

/** The params with braces taken out of their values, so a `{x}` in a user's text is no leftover placeholder. */
function withoutBraces(params: MessageParams): MessageParams {
  const strip = (text: string) => text.replace(/[{}]/g, '');
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => [key, typeof value === 'string' ? strip(value) : typeof value === 'number' ? value : value.map(strip)]),
  );
}

function expectWellFormed(input: unknown): void {
  const issues = validateFlow(input, { registry });
  for (const found of issues) {
    expect(Object.keys(issueCatalog)).toContain(found.code);
    expect(found.severity).toBe(issueCatalog[found.code].severity);
    expect(found.message.length).toBeGreaterThan(0);
    // Every placeholder of the message templates was given a value, in every language.
    for (const locale of locales) expect(formatIssueMessage(found.code, withoutBraces(found.params), locale)).not.toMatch(/\{\w+\}/);
    expect(Array.isArray(found.path)).toBe(true);
    expect(found.message).not.toContain('internal validator error');
  }
}

const id = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'start', 'end', '1bad', '');
const point = fc.record({ x: fc.oneof(fc.integer(), fc.string()), y: fc.integer() });
const config = fc.oneof(fc.constant(undefined), fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue());
const nearlyValidNode = fc.record(
  {
    id,
    type: fc.oneof(fc.constantFrom(...nodeTypes), fc.string()),
    position: point,
    parent: id,
    config,
  },
  { requiredKeys: ['id', 'type', 'position'] },
);
const nearlyValidEdge = fc.record(
  {
    id,
    source: id,
    target: id,
    sourcePort: fc.constantFrom('out', 'error', 'fallback', 'x'),
    condition: fc.oneof(fc.constantFrom('x > 1', 'x >', 'true', '', '((('), fc.string()),
    isDefault: fc.boolean(),
  },
  { requiredKeys: ['id', 'source', 'target'] },
);
const nearlyValidFlow = fc.record({
  schemaVersion: fc.constantFrom(1, 2),
  id: fc.constantFrom('flow', 'bad id'),
  name: fc.string(),
  kind: fc.constantFrom('agent', 'bpmn', 'other'),
  state: fc.oneof(fc.constant({ channels: [] }), fc.jsonValue(), fc.record({ channels: fc.array(fc.record({ name: fc.constantFrom('x', 'messages', '9') })) })),
  nodes: fc.array(nearlyValidNode, { maxLength: 12 }),
  edges: fc.array(nearlyValidEdge, { maxLength: 16 }),
  annotations: fc.array(fc.record({ id, text: fc.string(), position: point, attachedTo: id }), { maxLength: 2 }),
});

// Thousands of generated documents: generous time so a busy CI machine does not fail them.
describe('validateFlow on arbitrary input', { timeout: 60_000 }, () => {
  it('never throws on arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (input) => expectWellFormed(input)), { numRuns: 500 });
  });

  it('never throws on arbitrary JavaScript values, prototypes and cycles included', () => {
    fc.assert(fc.property(fc.anything({ withObjectString: true, withNullPrototype: true }), (input) => expectWellFormed(input)), { numRuns: 300 });
    const cyclic: Record<string, unknown> = { schemaVersion: 1, id: 'c', name: 'c', kind: 'agent', nodes: [] };
    cyclic.self = cyclic;
    (cyclic.nodes as unknown[]).push(cyclic);
    expectWellFormed(cyclic);
  });

  it('never throws on nearly valid flows with random types, configs, ports and edges', () => {
    fc.assert(fc.property(nearlyValidFlow, (input) => expectWellFormed(input)), { numRuns: 1000 });
  });
});
