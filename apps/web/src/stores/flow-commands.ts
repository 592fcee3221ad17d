// Named, reversible edits of a flow document, in the style of diagram-js's CommandStack: every edit
// the designer makes is one of these, so that undo/redo, dirty tracking and the canvas all see the
// same changes. Creating, moving, attaching, connecting and deleting are the modeling layer's
// commands (features/modeling), which carry rules and behaviours; these are the plain edits. A
// command captures what it needs to revert while it executes, so redo is simply executing it
// again against the document it was undone on.
import type { Channel, FlowDocument, FlowEdge, FlowNode, Point, Size } from '@loomflow/graph-schema';

/**
 * What one execute or revert changed, so that views (the LogicFlow canvas) update just those
 * elements instead of re-rendering the whole graph.
 */
export type DocumentChange =
  | { readonly type: 'node.added'; readonly node: FlowNode }
  | { readonly type: 'node.removed'; readonly nodeId: string }
  | { readonly type: 'node.changed'; readonly node: FlowNode }
  | { readonly type: 'edge.added'; readonly edge: FlowEdge }
  | { readonly type: 'edge.removed'; readonly edgeId: string }
  | { readonly type: 'edge.changed'; readonly edge: FlowEdge }
  | { readonly type: 'state.changed' }
  /**
   * A different document was opened, or most of it changed at once (an import, an auto-layout):
   * views render it from scratch, which beats thousands of single updates.
   */
  | { readonly type: 'document.replaced' };

export interface FlowCommand {
  /** The command's name (`node.rename`, `elements.move`…), for menus, logs and tests. */
  readonly name: string;
  execute(flow: FlowDocument): DocumentChange[];
  revert(flow: FlowDocument): DocumentChange[];
}

function nodeById(flow: FlowDocument, nodeId: string): FlowNode {
  const node = flow.nodes.find((candidate) => candidate.id === nodeId);
  if (!node) throw new Error(`no node "${nodeId}" in flow "${flow.id}"`);
  return node;
}

function edgeById(flow: FlowDocument, edgeId: string): FlowEdge {
  const edge = flow.edges.find((candidate) => candidate.id === edgeId);
  if (!edge) throw new Error(`no edge "${edgeId}" in flow "${flow.id}"`);
  return edge;
}

interface Removed<Element> {
  readonly index: number;
  readonly element: Element;
}

function restore<Element>(list: Element[], removed: readonly Removed<Element>[]): void {
  for (const { index, element } of removed) list.splice(index, 0, element);
}

/** Sets a node's name; an empty name removes it, as the document has no empty names. */
export function renameNode(nodeId: string, name: string): FlowCommand {
  let previous: string | undefined;
  const assign = (node: FlowNode, value: string | undefined) => {
    if (value) node.name = value;
    else delete node.name;
  };
  return {
    name: 'node.rename',
    execute(flow) {
      const node = nodeById(flow, nodeId);
      previous = node.name;
      assign(node, name.trim());
      return [{ type: 'node.changed', node }];
    },
    revert(flow) {
      const node = nodeById(flow, nodeId);
      assign(node, previous);
      return [{ type: 'node.changed', node }];
    },
  };
}

export function updateNodeConfig(nodeId: string, config: Record<string, unknown>): FlowCommand {
  let previous: Record<string, unknown> = {};
  return {
    name: 'node.updateConfig',
    execute(flow) {
      const node = nodeById(flow, nodeId);
      previous = node.config;
      node.config = config;
      return [{ type: 'node.changed', node }];
    },
    revert(flow) {
      const node = nodeById(flow, nodeId);
      node.config = previous;
      return [{ type: 'node.changed', node }];
    },
  };
}

/** The parts of an edge that decide when it is taken; `undefined` clears a field. */
export interface EdgeConditionPatch {
  readonly condition?: string | undefined;
  readonly isDefault?: boolean | undefined;
  readonly label?: string | undefined;
}

const conditionFields = ['condition', 'isDefault', 'label'] as const;

export function updateEdgeCondition(edgeId: string, patch: EdgeConditionPatch): FlowCommand {
  let previous: EdgeConditionPatch = {};
  const apply = (edge: FlowEdge, values: EdgeConditionPatch) => {
    for (const field of conditionFields) {
      if (!(field in values)) continue;
      const value = values[field];
      // An empty condition or label, or `isDefault: false`, is the same as none: keep documents minimal.
      if (value === undefined || value === '' || value === false) Reflect.deleteProperty(edge, field);
      else (edge as Record<string, unknown>)[field] = value;
    }
  };
  return {
    name: 'edge.updateCondition',
    execute(flow) {
      const edge = edgeById(flow, edgeId);
      previous = Object.fromEntries(conditionFields.filter((field) => field in patch).map((field) => [field, edge[field]]));
      apply(edge, patch);
      return [{ type: 'edge.changed', edge }];
    },
    revert(flow) {
      const edge = edgeById(flow, edgeId);
      apply(edge, previous);
      return [{ type: 'edge.changed', edge }];
    },
  };
}

function channelIndex(flow: FlowDocument, name: string): number {
  const index = flow.state.channels.findIndex((channel) => channel.name === name);
  if (index < 0) throw new Error(`no state channel "${name}" in flow "${flow.id}"`);
  return index;
}

export function addChannel(channel: Channel): FlowCommand {
  return {
    name: 'channel.add',
    execute(flow) {
      if (flow.state.channels.some((existing) => existing.name === channel.name)) {
        throw new Error(`state channel "${channel.name}" already exists in flow "${flow.id}"`);
      }
      flow.state.channels.push(channel);
      return [{ type: 'state.changed' }];
    },
    revert(flow) {
      flow.state.channels.splice(channelIndex(flow, channel.name), 1);
      return [{ type: 'state.changed' }];
    },
  };
}

/** Replaces the channel called `name` (its new version may carry a new name). */
export function updateChannel(name: string, channel: Channel): FlowCommand {
  let previous: Channel | undefined;
  return {
    name: 'channel.update',
    execute(flow) {
      const index = channelIndex(flow, name);
      previous = flow.state.channels[index];
      flow.state.channels[index] = channel;
      return [{ type: 'state.changed' }];
    },
    revert(flow) {
      if (previous) flow.state.channels[channelIndex(flow, channel.name)] = previous;
      return [{ type: 'state.changed' }];
    },
  };
}

export function removeChannel(name: string): FlowCommand {
  let removed: Removed<Channel> | undefined;
  return {
    name: 'channel.remove',
    execute(flow) {
      const index = channelIndex(flow, name);
      const [element] = flow.state.channels.splice(index, 1);
      removed = element && { index, element };
      return [{ type: 'state.changed' }];
    },
    revert(flow) {
      if (removed) restore(flow.state.channels, [removed]);
      return [{ type: 'state.changed' }];
    },
  };
}

export interface NodePlacement {
  readonly nodeId: string;
  readonly position: Point;
  /** Containers (pools, lanes, sub-processes) are resized to hold their laid-out contents. */
  readonly size?: Size;
}

/** The bend points auto-layout routed an edge through (none: a straight line). */
export interface EdgeRoute {
  readonly edgeId: string;
  readonly waypoints: readonly Point[];
}

/**
 * Places many nodes at once, as auto-layout does, in one undoable step, with the routes it drew
 * for their edges. The waypoints of the other edges touching a placed node were bends around the
 * old places, so they are dropped with the move. The whole drawing changes, so views are told to
 * draw it afresh rather than node by node (moving 2,000 nodes one at a time on the LogicFlow
 * canvas took seconds per hundred).
 */
export function layoutNodes(placements: readonly NodePlacement[], routes: readonly EdgeRoute[] = []): FlowCommand {
  const previousNodes = new Map<string, { position: Point; size: Size | undefined }>();
  /** Every edge whose waypoints the step set or dropped, with what it had (undefined: none). */
  const previousWaypoints = new Map<string, Point[] | undefined>();
  return {
    name: 'nodes.layout',
    execute(flow) {
      const placed = new Set<string>();
      for (const { nodeId, position, size } of placements) {
        const node = nodeById(flow, nodeId);
        previousNodes.set(nodeId, { position: node.position, size: node.size });
        placed.add(nodeId);
        node.position = { ...position };
        if (size) node.size = { ...size };
      }
      previousWaypoints.clear();
      const routed = new Map(routes.map((route) => [route.edgeId, route.waypoints]));
      for (const edge of flow.edges) {
        const route = routed.get(edge.id);
        if (route === undefined && !(edge.waypoints && (placed.has(edge.source) || placed.has(edge.target)))) continue;
        previousWaypoints.set(edge.id, edge.waypoints);
        if (route && route.length > 0) edge.waypoints = route.map((point) => ({ ...point }));
        else delete edge.waypoints;
      }
      return [{ type: 'document.replaced' }];
    },
    revert(flow) {
      for (const { nodeId } of placements) {
        const node = nodeById(flow, nodeId);
        const before = previousNodes.get(nodeId);
        if (!before) continue;
        node.position = before.position;
        if (before.size) node.size = before.size;
        else delete node.size;
      }
      for (const [edgeId, waypoints] of previousWaypoints) {
        const edge = edgeById(flow, edgeId);
        if (waypoints) edge.waypoints = waypoints;
        else delete edge.waypoints;
      }
      return [{ type: 'document.replaced' }];
    },
  };
}

/**
 * Swaps the whole content of the open document for another one (an imported file), keeping the
 * open flow's id: the document is changed in place, like every command does, so that undo brings
 * the previous content back into the same flow.
 */
export function replaceDocument(next: FlowDocument): FlowCommand {
  let previous: FlowDocument | undefined;
  const replaceContent = (flow: FlowDocument, content: FlowDocument) => {
    for (const key of Object.keys(flow)) Reflect.deleteProperty(flow, key);
    Object.assign(flow, content);
  };
  return {
    name: 'document.replace',
    execute(flow) {
      previous = { ...flow };
      replaceContent(flow, { ...next, id: flow.id });
      return [{ type: 'document.replaced' }];
    },
    revert(flow) {
      if (previous) replaceContent(flow, previous);
      return [{ type: 'document.replaced' }];
    },
  };
}
