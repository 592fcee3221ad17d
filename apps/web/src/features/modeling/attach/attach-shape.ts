// Attaching an event to an activity, as Camunda Modeler does it: an event dropped on an
// activity's outline becomes a boundary event of that activity (a boundary event keeps its
// trigger, an intermediate catch event is replaced by a boundary event with the same trigger),
// and a boundary event dropped off its activity becomes an intermediate catch event again, which
// Camunda allows only for an interrupting one whose trigger such an event can wait for.
import type { FlowDocument, FlowKind, FlowNode, NodeType, NodeTypeRegistry, Point } from '@loomflow/graph-schema';
import { allowed, defineModelingCommand, refuse, type ModelingCommand } from '../modeling-command';
import { isActivityType, isOnOutline, nodeMap, snapToOutline, type ModelingContext } from '../modeling-rules';

export interface EventShape {
  readonly type: string;
  readonly config: Record<string, unknown>;
  /** The type's current version: the config is checked against its current schema. */
  readonly typeVersion: number;
}

/** The registry's boundary event type: the one whose role is `boundary`. */
function boundaryType(registry: NodeTypeRegistry, kind: FlowKind): NodeType | undefined {
  return registry.list(kind).find((nodeType) => nodeType.role === 'boundary');
}

/** The type a detached boundary event turns into, found by the BPMN element it maps to. */
function catchEventType(registry: NodeTypeRegistry, kind: FlowKind): NodeType | undefined {
  return registry.list(kind).find((nodeType) => nodeType.bpmn?.element === 'bpmn:IntermediateCatchEvent');
}

const documentationOf = (config: Record<string, unknown>) => (typeof config.documentation === 'string' ? { documentation: config.documentation } : {});

/** What `node` becomes attached to `hostId`, or undefined when it is no event that can attach. */
export function attachedShape(registry: NodeTypeRegistry, kind: FlowKind, node: Pick<FlowNode, 'type' | 'config'>, hostId: string): EventShape | undefined {
  const boundary = boundaryType(registry, kind);
  if (!boundary) return undefined;
  let config: Record<string, unknown>;
  if (node.type === boundary.type) config = { ...node.config, attachedTo: hostId };
  else if (node.type === catchEventType(registry, kind)?.type) config = { ...documentationOf(node.config), attachedTo: hostId, eventDefinition: node.config.eventDefinition };
  else return undefined;
  return boundary.configSchema.safeParse(config).success ? { type: boundary.type, config, typeVersion: boundary.version } : undefined;
}

/** What a boundary event becomes when dropped off its activity, or undefined when it must stay. */
export function detachedShape(registry: NodeTypeRegistry, kind: FlowKind, node: FlowNode): EventShape | undefined {
  const catchType = catchEventType(registry, kind);
  if (!catchType || node.config.cancelActivity === false) return undefined;
  const config = { ...documentationOf(node.config), eventDefinition: node.config.eventDefinition };
  return catchType.configSchema.safeParse(config).success ? { type: catchType.type, config, typeVersion: catchType.version } : undefined;
}

/** Whether `node` is an event that may become a boundary event (nothing may flow into one). */
export function canBecomeBoundary(registry: NodeTypeRegistry, flow: FlowDocument, node: FlowNode): boolean {
  return attachedShape(registry, flow.kind, node, node.id) !== undefined && !flow.edges.some((edge) => edge.target === node.id);
}

/**
 * `shape.attach`: the event `nodeId`, dropped at `at` on the outline of the activity `hostId`,
 * becomes (or stays) its boundary event, drawn on the outline and in the activity's container.
 */
export function attachShape(context: ModelingContext, nodeId: string, hostId: string, at: Point): ModelingCommand {
  const { registry } = context;
  return defineModelingCommand(
    'shape.attach',
    (flow) => {
      const byId = nodeMap(flow);
      const node = byId.get(nodeId);
      const host = byId.get(hostId);
      if (!node || !host) return refuse({ code: 'missing-element' });
      if (node.id === host.id) return refuse({ code: 'into-itself' });
      if (!isActivityType(registry.get(host.type))) return refuse({ code: 'invalid-host' });
      if (!isOnOutline(context, host, at) || !canBecomeBoundary(registry, flow, node)) return refuse({ code: 'not-attachable' });
      return allowed;
    },
    (edit) => {
      const node = edit.node(nodeId);
      const host = edit.node(hostId);
      const shape = attachedShape(registry, edit.flow.kind, node, hostId);
      if (!shape) throw new Error(`node "${nodeId}" cannot attach`);
      edit.updateNode(nodeId, { type: shape.type, config: shape.config, typeVersion: shape.typeVersion, position: snapToOutline(context, host, at), parent: host.parent });
    },
  );
}
