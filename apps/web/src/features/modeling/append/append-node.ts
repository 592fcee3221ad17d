// Quick-add (after diagram-js's `shape.append`): a connection dropped on empty canvas becomes a
// new node there, connected from where the connection started. The node and its edge are one
// command, so one undo takes both away. Its rule is the two rules it combines, called, not
// copied: `elements.create`'s for the node, then `connection.create`'s (graph-schema's
// `checkConnection`) for the edge into it; the quick-add menu offers exactly the types it allows.
import { checkConnection, formatConnectionRefusal, type FlowDocument, type FlowNode, type Locale, type NodeType, type Point } from '@loomflow/graph-schema';
import { createConnection } from '../connect/create-connection';
import { createElements, placeDropped } from '../create/create-elements';
import { freshId, usedIds } from '../element-ids';
import { defineModelingCommand, type ModelingCommand } from '../modeling-command';
import type { ModelingContext } from '../modeling-rules';
import { makeNode } from '../node-factory';

export interface AppendRequest {
  /** The node the connection leaves. */
  readonly source: string;
  /** The port it leaves by, when the person chose one; else the port rules pick it. */
  readonly sourcePort?: string;
  readonly type: string;
  /** Where the connection was dropped: the new node's centre. */
  readonly at: Point;
  /** New nodes are named after their type in this language. */
  readonly locale: Locale;
}

/** The new node and edge a request makes on `flow`: the node factory's node, placed as a drop is. */
export function appendedElements(context: ModelingContext, flow: FlowDocument, request: AppendRequest): { node: FlowNode; edgeId: string } {
  const taken = usedIds(flow);
  const made = makeNode(context, taken, { type: request.type, position: request.at, locale: request.locale });
  const [node = made] = placeDropped(context, flow, [made]);
  return { node, edgeId: freshId('flow', taken) };
}

/** `shape.append`: adds `node` and an edge `edgeId` into it from the request's source, as one step. */
export function appendNode(context: ModelingContext, node: FlowNode, edgeId: string, source: { readonly node: string; readonly port?: string }): ModelingCommand {
  const request = { source: source.node, target: node.id, ...(source.port === undefined ? {} : { sourcePort: source.port }) };
  return defineModelingCommand(
    'shape.append',
    (flow) => {
      const create = createElements(context, [node]).canExecute(flow);
      if (!create.allowed) return create;
      // The edge is judged on the document as it will be once the node is there.
      return createConnection(context, edgeId, request).canExecute({ ...flow, nodes: [...flow.nodes, node] });
    },
    (edit) => {
      edit.addNode(node);
      const check = checkConnection(edit.flow, context.registry, request);
      if (!check.allowed) throw new Error(`connection refused: ${formatConnectionRefusal(check.reason, edit.flow, 'en')}`);
      edit.addEdge({ id: edgeId, source: request.source, target: node.id, sourcePort: check.sourcePort, targetPort: check.targetPort });
    },
  );
}

/** The command for a request, with the elements it makes. */
export function appendCommand(context: ModelingContext, flow: FlowDocument, request: AppendRequest): { command: ModelingCommand; node: FlowNode; edgeId: string } {
  const { node, edgeId } = appendedElements(context, flow, request);
  return { command: appendNode(context, node, edgeId, { node: request.source, ...(request.sourcePort === undefined ? {} : { port: request.sourcePort }) }), node, edgeId };
}

/**
 * The node types quick-add offers for a connection from `source` dropped at `at`: those of the
 * flow's kind whose append the rule allows, in the registry's (the palette's) order.
 */
export function appendableTypes(context: ModelingContext, flow: FlowDocument, source: string, at: Point): NodeType[] {
  return context.registry
    .list(flow.kind)
    .filter((nodeType) => appendCommand(context, flow, { source, type: nodeType.type, at, locale: 'en' }).command.canExecute(flow).allowed);
}
