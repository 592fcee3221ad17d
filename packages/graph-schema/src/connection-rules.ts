// The port rules of an edge, kept in the model so that every user applies the same ones: the
// canvas asks `checkConnection` before it adds one edge (and shows the person drawing it why not,
// rendered from the refusal's code and params, connection-refusal.ts), and validateFlow resolves
// the ports of every edge of a document with the same `resolvePort`.
// One rule is what makes "the canvas allowed it" imply "the document validates".
import type { FlowDocument, FlowNode } from './flow-document';
import type { ConnectionRefusal } from './connection-refusal';
import type { NodeType, NodeTypeRegistry, PortSpec } from './node-type';

/** The end of an edge a port belongs to: the source leaves by an output, the target enters by an input. */
export type EdgeEnd = 'source' | 'target';

export interface ConnectionRequest {
  readonly source: string;
  readonly target: string;
  readonly sourcePort?: string;
  readonly targetPort?: string;
}

export type ConnectionCheck =
  | { readonly allowed: true; readonly sourcePort: string; readonly targetPort: string }
  /** Rendered where it is shown, by `formatConnectionRefusal`. */
  | { readonly allowed: false; readonly reason: ConnectionRefusal };

/**
 * The node's output ports for its current config. While the config does not parse (someone is
 * still typing it), the type's default ports stand in, so that the node can be wired meanwhile;
 * validateFlow reports the config itself.
 */
export function outputPortsOf(nodeType: NodeType, node: FlowNode): readonly PortSpec[] {
  const parsed = nodeType.configSchema.safeParse(node.config);
  if (parsed.success) return nodeType.outputPorts(parsed.data);
  const fallback = nodeType.configSchema.safeParse(nodeType.defaults);
  return fallback.success ? nodeType.outputPorts(fallback.data) : [];
}

/**
 * The port an edge end uses, or undefined when the edge does not say which one it means. A named
 * port must be one of the node's. An edge that leaves its port out takes the node's only port, or
 * else its `out` (source) / `in` (target) port, the ordinary way through a step whose other ports
 * are extras such as `error`. It never takes "the first port": a router's ports are its intents,
 * so that would send the edge down whichever intent happens to be listed first, and silently
 * elsewhere once the intents are reordered; such an edge has to name its port.
 */
export function resolvePort(ports: readonly PortSpec[], end: EdgeEnd, portId: string | undefined): PortSpec | undefined {
  if (portId !== undefined) return ports.find((port) => port.id === portId);
  if (ports.length === 1) return ports[0];
  const usual = end === 'source' ? 'out' : 'in';
  return ports.find((port) => port.id === usual);
}

/**
 * A connection drawn without choosing a port, from a node whose ports are all alternatives (a
 * router's intents and fallback), takes the first port nothing leaves by yet, as drawing one
 * handle after another does in Dify or n8n. The edge then names that port, so reordering the
 * intents later never re-routes it. With every port taken, the person has to choose.
 */
function nextFreePort(flow: FlowDocument, source: FlowNode, outputs: readonly PortSpec[], request: ConnectionRequest): PortSpec | undefined {
  if (request.sourcePort !== undefined) return undefined;
  const taken = new Set(flow.edges.filter((edge) => edge.source === source.id).map((edge) => resolvePort(outputs, 'source', edge.sourcePort)?.id));
  return outputs.find((port) => !taken.has(port.id));
}

/** Why an end's port did not resolve: the named port is not there, or the edge must choose one. */
function unresolvedPort(node: FlowNode, ports: readonly PortSpec[], end: EdgeEnd, portId: string | undefined): ConnectionRefusal {
  const known = ports.map((port) => port.id);
  if (portId === undefined) {
    // A source without a chosen port got the next free one (nextFreePort): all of them are taken.
    return end === 'source'
      ? { code: 'outputs-taken', params: { node: node.id, ports: known } }
      : { code: 'choose-input', params: { node: node.id, ports: known } };
  }
  return { code: 'unknown-port', params: { node: node.id, end, port: portId, ports: known } };
}

/** Whether an edge leaving by `port` may enter a node of `targetType` (a model's tools port leads to a tool runner). */
export function portLeadsTo(port: PortSpec, targetType: NodeType): boolean {
  return port.leadsTo !== 'tool-runner' || targetType.traits.runsToolCalls === true;
}

/** Whether one new edge may be added to the flow, with the ports it resolves to or the reason why not. */
export function checkConnection(flow: FlowDocument, registry: NodeTypeRegistry, request: ConnectionRequest): ConnectionCheck {
  const refuse = (reason: ConnectionRefusal): ConnectionCheck => ({ allowed: false, reason });
  const source = flow.nodes.find((node) => node.id === request.source);
  const target = flow.nodes.find((node) => node.id === request.target);
  if (!source || !target) return refuse({ code: 'not-in-flow', params: { source: request.source, target: request.target } });
  const sourceType = registry.get(source.type);
  const targetType = registry.get(target.type);
  if (!sourceType) return refuse({ code: 'unknown-type', params: { node: source.id, type: source.type } });
  if (!targetType) return refuse({ code: 'unknown-type', params: { node: target.id, type: target.type } });
  if (source.id === target.id) return refuse({ code: 'self-connection', params: { node: source.id } });
  for (const [node, nodeType] of [[source, sourceType], [target, targetType]] as const) {
    if (nodeType.role === 'artifact') {
      return refuse({ code: 'artifact', params: { node: node.id } });
    }
  }

  const outputs = outputPortsOf(sourceType, source);
  if (outputs.length === 0) {
    return refuse({ code: sourceType.role === 'end' ? 'leaves-end' : 'no-outgoing', params: { node: source.id } });
  }
  const inputs = targetType.inputs;
  if (inputs.length === 0) {
    return refuse({ code: targetType.role === 'start' ? 'enters-start' : 'no-incoming', params: { node: target.id } });
  }

  const sourcePort = resolvePort(outputs, 'source', request.sourcePort) ?? nextFreePort(flow, source, outputs, request);
  if (!sourcePort) return refuse(unresolvedPort(source, outputs, 'source', request.sourcePort));
  const targetPort = resolvePort(inputs, 'target', request.targetPort);
  if (!targetPort) return refuse(unresolvedPort(target, inputs, 'target', request.targetPort));
  if (!portLeadsTo(sourcePort, targetType)) return refuse({ code: 'tools-port-target', params: { node: source.id, target: target.id } });

  // Existing edges are compared by the ports they resolve to: one that leaves its port out is the
  // same connection as one that names the port it stands for.
  const duplicate = flow.edges.some(
    (edge) =>
      edge.source === source.id &&
      edge.target === target.id &&
      resolvePort(outputs, 'source', edge.sourcePort)?.id === sourcePort.id &&
      resolvePort(inputs, 'target', edge.targetPort)?.id === targetPort.id,
  );
  if (duplicate) return refuse({ code: 'duplicate', params: { source: source.id, target: target.id } });
  return { allowed: true, sourcePort: sourcePort.id, targetPort: targetPort.id };
}
