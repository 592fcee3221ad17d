// Property-based test of the promise the shared port rule exists for: whatever connection the
// canvas lets a person draw (`checkConnection`) never earns its edge a port issue from validateFlow.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkConnection, outputPortsOf, resolvePort } from './connection-rules';
import { createDefaultRegistry } from './default-registry';
import type { FlowDocument, FlowEdge, FlowNode } from './flow-document';
import type { IssueCode } from './validation/issue';
import { validateFlow } from './validation/validate-flow';

const registry = createDefaultRegistry();
const portCodes: readonly IssueCode[] = ['port-forbidden', 'unknown-port'];

// Configs that change the ports (routed errors, other intents) and ones that do not parse, so
// that both the config's own ports and the type's default ports are exercised.
const configVariants = {
  defaults: () => ({}),
  routeErrors: () => ({ onError: 'route' }),
  intents: (intents: readonly string[]) => ({ intents: intents.map((id) => ({ id, description: id })) }),
  broken: () => ({ intents: 'not yet a list', onError: 'sometimes' }),
} as const;

interface NodeSpec {
  readonly type: string;
  readonly variant: keyof typeof configVariants;
  readonly intents: readonly string[];
}

const nodeSpec: fc.Arbitrary<NodeSpec> = fc.record({
  // Nodes whose ports follow their config (a router's intents, a model call's error port) are
  // where the rule can go wrong, so they come up as often as every other type together.
  type: fc.oneof(fc.constantFrom(...registry.list().map((nodeType) => nodeType.type), 'x.unknown'), fc.constantFrom('agent.router', 'agent.llm')),
  variant: fc.constantFrom(...(Object.keys(configVariants) as (keyof typeof configVariants)[])),
  intents: fc.subarray(['refund', 'technical']),
});
// Ends that leave their port out, as the canvas draws them, and ends that name real or made-up ports.
const namedPort = fc.constantFrom('out', 'in', 'error', 'fallback', 'refund', 'question', 'x');
const port = fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: namedPort });
const edgeSpec = fc.record({ source: fc.nat(), target: fc.nat(), sourcePort: port, targetPort: port });

function buildNode(spec: NodeSpec, index: number): FlowNode {
  const nodeType = registry.get(spec.type);
  // A shallow copy is enough: nothing here changes a config once built.
  const base = (nodeType?.defaults ?? {}) as Record<string, unknown>;
  const variant = spec.variant === 'intents' ? configVariants.intents(spec.intents) : configVariants[spec.variant]();
  return { id: `n${index}`, type: spec.type, position: { x: index * 100, y: 0 }, config: { ...base, ...variant } };
}

/** An edge between the nth nodes (wrapping around), naming only the ports it was given. */
function buildEdge(id: string, nodes: readonly FlowNode[], spec: { source: number; target: number; sourcePort?: string; targetPort?: string }): FlowEdge {
  return {
    id,
    source: nodes[spec.source % nodes.length]?.id ?? 'ghost',
    target: nodes[spec.target % nodes.length]?.id ?? 'ghost',
    ...(spec.sourcePort === undefined ? {} : { sourcePort: spec.sourcePort }),
    ...(spec.targetPort === undefined ? {} : { targetPort: spec.targetPort }),
  };
}

function portIssuesOf(flow: FlowDocument, edge: FlowEdge) {
  return validateFlow({ ...flow, edges: [...flow.edges, edge] }, { registry }).filter(
    (issue) => issue.edgeId === edge.id && portCodes.includes(issue.code),
  );
}

describe('checkConnection and validateFlow', { timeout: 60_000 }, () => {
  it('every connection the canvas allows validates without a port issue', () => {
    let allowed = 0;
    const scenario = fc.record({
      kind: fc.constantFrom('agent' as const, 'bpmn' as const),
      nodes: fc.array(nodeSpec, { minLength: 2, maxLength: 6 }),
      edges: fc.array(edgeSpec, { maxLength: 6 }),
      request: edgeSpec,
    });
    fc.assert(
      fc.property(scenario, ({ kind, nodes: nodeSpecs, edges: edgeSpecs, request: requestSpec }) => {
        const nodes = nodeSpecs.map(buildNode);
        const flow: FlowDocument = {
          schemaVersion: 1,
          id: 'property',
          name: 'Property',
          kind,
          state: { channels: [] },
          nodes,
          edges: edgeSpecs.map((spec, index) => buildEdge(`e${index}`, nodes, spec)),
        };
        // The target counts on from the source and stops short of it: self loops are refused
        // before any port is looked at, so they would only thin out the cases that matter.
        const target = (requestSpec.source % nodes.length) + 1 + (requestSpec.target % (nodes.length - 1));
        const drawn = buildEdge('drawn', nodes, { ...requestSpec, target });
        const check = checkConnection(flow, registry, drawn);
        if (!check.allowed) return;
        allowed += 1;
        // A port the request named is kept, never swapped for another.
        if (drawn.sourcePort !== undefined) expect(check.sourcePort).toBe(drawn.sourcePort);
        if (drawn.targetPort !== undefined) expect(check.targetPort).toBe(drawn.targetPort);
        // Stored with the ports the check returned, as the canvas does…
        expect(portIssuesOf(flow, { ...drawn, sourcePort: check.sourcePort, targetPort: check.targetPort })).toEqual([]);
        // …and stored as requested, ports left out, both resolve a left-out port the same way;
        // except a router's next free intent, a drawing choice that the stored edge must name.
        const source = nodes.find((node) => node.id === drawn.source);
        const sourceType = source && registry.get(source.type);
        const ruleResolves = drawn.sourcePort !== undefined || (source && sourceType && resolvePort(outputPortsOf(sourceType, source), 'source', undefined));
        if (ruleResolves) expect(portIssuesOf(flow, drawn)).toEqual([]);
      }),
      { numRuns: 500 },
    );
    // The generator must reach the interesting case often, or the property says little.
    expect(allowed).toBeGreaterThan(50);
  });
});
