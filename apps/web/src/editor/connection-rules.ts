// The port rules a new connection must pass before `edge.connect` runs, shared by the canvas
// (which refuses a drawn connection and shows the reason) and the tests. They mirror the checks
// validateFlow makes on a whole document, but for one edge and with a reason a person can act on.
import type { FlowDocument, FlowNode, LocalizedText, NodeType, NodeTypeRegistry, PortSpec } from '@loomflow/graph-schema';

export interface ConnectionRequest {
  readonly source: string;
  readonly target: string;
  readonly sourcePort?: string;
  readonly targetPort?: string;
}

export type ConnectionCheck =
  | { readonly allowed: true; readonly sourcePort: string; readonly targetPort: string }
  | { readonly allowed: false; readonly reason: LocalizedText };

/** The node's ports for its current config; a config that does not parse yet has its type's default ports. */
export function outputPortsOf(nodeType: NodeType, node: FlowNode): readonly PortSpec[] {
  const parsed = nodeType.configSchema.safeParse(node.config);
  if (parsed.success) return nodeType.outputPorts(parsed.data);
  const fallback = nodeType.configSchema.safeParse(nodeType.defaults);
  return fallback.success ? nodeType.outputPorts(fallback.data) : [];
}

function label(node: FlowNode): string {
  return node.name ? `"${node.name}"` : node.id;
}

export function checkConnection(flow: FlowDocument, registry: NodeTypeRegistry, request: ConnectionRequest): ConnectionCheck {
  const refuse = (en: string, zhCN: string): ConnectionCheck => ({ allowed: false, reason: { en, 'zh-CN': zhCN } });
  const source = flow.nodes.find((node) => node.id === request.source);
  const target = flow.nodes.find((node) => node.id === request.target);
  if (!source || !target) return refuse('Both ends of a connection must be nodes of this flow.', '连线的两端都必须是本流程中的节点。');
  const sourceType = registry.get(source.type);
  const targetType = registry.get(target.type);
  if (!sourceType) return refuse(`${label(source)} has an unknown node type (${source.type}).`, `${label(source)} 的节点类型未知（${source.type}）。`);
  if (!targetType) return refuse(`${label(target)} has an unknown node type (${target.type}).`, `${label(target)} 的节点类型未知（${target.type}）。`);
  if (source.id === target.id) return refuse('A node cannot be connected to itself.', '节点不能连接到自身。');
  for (const [node, nodeType] of [[source, sourceType], [target, targetType]] as const) {
    if (nodeType.role === 'artifact') {
      return refuse(`${label(node)} is an artifact; artifacts take no connections.`, `${label(node)} 是工件，工件不能连线。`);
    }
  }

  const outputs = outputPortsOf(sourceType, source);
  if (outputs.length === 0) {
    return sourceType.role === 'end'
      ? refuse(`Nothing can leave ${label(source)}: it is an end.`, `结束节点 ${label(source)} 不能有出线。`)
      : refuse(`${label(source)} has no outgoing connections.`, `${label(source)} 不允许出线。`);
  }
  if (targetType.inputs.length === 0) {
    return targetType.role === 'start'
      ? refuse(`Nothing can enter ${label(target)}: it is a start.`, `开始节点 ${label(target)} 不能有入线。`)
      : refuse(`${label(target)} takes no incoming connections.`, `${label(target)} 不允许入线。`);
  }

  const [firstOutput] = outputs;
  const [firstInput] = targetType.inputs;
  if (!firstOutput || !firstInput) return refuse('These nodes cannot be connected.', '这两个节点不能连接。');
  const sourcePort = request.sourcePort ?? firstOutput.id;
  if (!outputs.some((port) => port.id === sourcePort)) {
    const known = outputs.map((port) => port.id).join(', ');
    return refuse(`${label(source)} has no output port "${sourcePort}" (its ports: ${known}).`, `${label(source)} 没有输出端口 "${sourcePort}"（可用端口：${known}）。`);
  }
  const targetPort = request.targetPort ?? firstInput.id;
  if (!targetType.inputs.some((port) => port.id === targetPort)) {
    const known = targetType.inputs.map((port) => port.id).join(', ');
    return refuse(`${label(target)} has no input port "${targetPort}" (its ports: ${known}).`, `${label(target)} 没有输入端口 "${targetPort}"（可用端口：${known}）。`);
  }

  const duplicate = flow.edges.some(
    (edge) => edge.source === source.id && edge.target === target.id && (edge.sourcePort ?? firstOutput.id) === sourcePort,
  );
  if (duplicate) return refuse(`${label(source)} is already connected to ${label(target)}.`, `${label(source)} 已经连接到 ${label(target)}。`);
  return { allowed: true, sourcePort, targetPort };
}
