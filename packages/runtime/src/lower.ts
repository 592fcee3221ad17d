// Lowering: a validated flow document becomes the plain-data IR. All decisions about how a drawing
// runs (routes, joins, fan-outs, limits) are made here, once, so the LangGraph builder and the code
// generator only translate.
import {
  createDefaultRegistry,
  flowDocumentSchema,
  hasErrors,
  validateFlow,
  type FlowDocument,
  type FlowEdge,
  type NodeTypeRegistry,
} from '@loomflow/graph-schema';
import { FlowInvalidError } from './errors';
import { IR_VERSION, type BranchIR, type EdgeIR, type FanOutIR, type FlowIR, type NodeIR, type RouteIR } from './ir';
import { recursionLimitFor } from './recursion-limit';

export interface LowerOptions {
  readonly registry?: NodeTypeRegistry;
}

const ERROR_PORT = 'error';

/** Node types whose run may pause for a person. */
const interruptingTypes = new Set(['agent.human', 'bpmn.userTask']);

interface ExecutionPolicy {
  join?: 'any' | 'all';
  retry?: { maxAttempts: number; initialIntervalMs: number; backoffFactor: number };
  timeoutMs?: number;
}

/** Validates the flow and lowers it to the IR; throws FlowInvalidError with the issues if invalid. */
export function lowerFlow(input: unknown, options: LowerOptions = {}): FlowIR {
  const registry = options.registry ?? createDefaultRegistry();
  const issues = validateFlow(input, { registry });
  if (hasErrors(issues)) throw new FlowInvalidError(issues);
  return lowerValidFlow(flowDocumentSchema.parse(input), registry);
}

function lowerValidFlow(flow: FlowDocument, registry: NodeTypeRegistry): FlowIR {
  const nodeTypes = new Map(flow.nodes.map((node) => [node.id, registry.get(node.type)]));
  const flowNodes = flow.nodes.filter((node) => nodeTypes.get(node.id)?.role !== 'artifact');
  const configs = new Map(flowNodes.map((node) => [node.id, nodeTypes.get(node.id)?.configSchema.parse(node.config) as Record<string, unknown>]));

  const outgoing = new Map<string, FlowEdge[]>();
  for (const edge of flow.edges) outgoing.set(edge.source, [...(outgoing.get(edge.source) ?? []), edge]);

  const edges: EdgeIR[] = [];
  const routes: RouteIR[] = [];
  const routedTargets = new Set<string>();
  for (const node of flowNodes) {
    const nodeType = nodeTypes.get(node.id);
    const config = configs.get(node.id) ?? {};
    const leaving = (outgoing.get(node.id) ?? []).filter((edge) => edge.sourcePort !== ERROR_PORT);
    const ports = (nodeType?.outputPorts(config) ?? []).filter((port) => port.id !== ERROR_PORT);
    const isConditional = nodeType?.branching === 'conditional' || leaving.some((edge) => edge.condition !== undefined || edge.isDefault);

    if (ports.length > 1) {
      const byPort: Record<string, string[]> = {};
      for (const edge of leaving) {
        const port = edge.sourcePort ?? (ports[0]?.id as string);
        byPort[port] = [...(byPort[port] ?? []), edge.target];
      }
      routes.push({ kind: 'port', source: node.id, channel: String(config.output), ports: byPort, fallbackPort: 'fallback' });
      leaving.forEach((edge) => routedTargets.add(edge.target));
    } else if (isConditional) {
      const toBranch = (edge: FlowEdge): BranchIR => ({
        edgeId: edge.id,
        target: edge.target,
        ...(edge.condition?.trim() ? { condition: edge.condition } : {}),
      });
      const fallback = leaving.find((edge) => edge.isDefault);
      routes.push({
        kind: 'conditions',
        source: node.id,
        match: node.type === 'bpmn.inclusiveGateway' ? 'all' : 'first',
        branches: leaving.filter((edge) => !edge.isDefault).map(toBranch),
        ...(fallback ? { fallback: toBranch(fallback) } : {}),
      });
      leaving.forEach((edge) => routedTargets.add(edge.target));
    } else {
      for (const edge of leaving) edges.push({ sources: [node.id], target: edge.target });
    }
  }

  const nodes: NodeIR[] = flowNodes.map((node) => {
    const config = configs.get(node.id) ?? {};
    const policy = config as ExecutionPolicy;
    const joinsAll = policy.join === 'all' || node.type === 'bpmn.parallelGateway' || node.type === 'bpmn.inclusiveGateway';
    const onErrorGoto = (outgoing.get(node.id) ?? []).filter((edge) => edge.sourcePort === ERROR_PORT).map((edge) => edge.target);
    return {
      id: node.id,
      type: node.type,
      ...(node.name ? { name: node.name } : {}),
      executor: node.type,
      config,
      join: joinsAll ? 'all' : 'any',
      ...(policy.retry && policy.retry.maxAttempts > 1 ? { retry: policy.retry } : {}),
      ...(policy.timeoutMs ? { timeoutMs: policy.timeoutMs } : {}),
      ...(onErrorGoto.length > 0 ? { onErrorGoto } : {}),
      interrupts: interruptingTypes.has(node.type),
    };
  });

  const fanOuts: FanOutIR[] = flowNodes
    .filter((node) => node.type === 'agent.map')
    .map((node) => {
      const config = configs.get(node.id) as { items: string; as: string; node: string; collect: string; maxConcurrency?: number };
      return {
        mapNode: node.id,
        worker: config.node,
        items: config.items,
        as: config.as,
        collect: config.collect,
        ...(config.maxConcurrency ? { maxConcurrency: config.maxConcurrency } : {}),
      };
    });

  const entry = flowNodes.find((node) => nodeTypes.get(node.id)?.role === 'start' && node.parent === undefined);
  return {
    irVersion: IR_VERSION,
    flowId: flow.id,
    kind: flow.kind,
    channels: flow.state.channels.map((channel) => ({
      name: channel.name,
      type: channel.type,
      reducer: channel.reducer,
      ...(channel.default === undefined ? {} : { default: channel.default }),
    })),
    ...(flow.state.input ? { input: flow.state.input } : {}),
    ...(flow.state.output ? { output: flow.state.output } : {}),
    entry: entry?.id as string,
    nodes,
    edges: joinWaitingEdges(edges, nodes, routedTargets),
    routes,
    fanOuts,
    finishes: flowNodes.filter((node) => nodeTypes.get(node.id)?.role === 'end').map((node) => node.id),
    recursionLimit: recursionLimitFor(flow),
  };
}

/**
 * A node that joins all its branches, and that only unconditional edges reach, gets one waiting
 * edge from all its sources: LangGraph then runs it once, after the last branch arrives, however
 * long each branch is. (Joins reached through conditions are deferred by the builder instead.)
 */
function joinWaitingEdges(edges: readonly EdgeIR[], nodes: readonly NodeIR[], routedTargets: ReadonlySet<string>): EdgeIR[] {
  const waiting = new Set(nodes.filter((node) => node.join === 'all' && !routedTargets.has(node.id)).map((node) => node.id));
  const joined = new Map<string, string[]>();
  const result: EdgeIR[] = [];
  for (const edge of edges) {
    if (!waiting.has(edge.target)) {
      result.push(edge);
      continue;
    }
    const sources = joined.get(edge.target) ?? [];
    if (sources.length === 0) joined.set(edge.target, sources);
    for (const source of edge.sources) if (!sources.includes(source)) sources.push(source);
  }
  for (const [target, sources] of joined) result.push({ sources, target });
  return result;
}
