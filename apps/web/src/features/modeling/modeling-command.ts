// The modeling commands' common ground, after diagram-js's CommandHandler: a command answers
// whether it may run (`canExecute`) and then makes its edit, behaviours included, through a
// recorder of element edits that knows how to take each one back. Redo runs the command again on
// the document it was undone on, so a handler derives everything from the document it is given.
import type { ConnectionRefusal, FlowDocument, FlowEdge, FlowNode } from '@loomflow/graph-schema';
import type { DocumentChange, FlowCommand } from '../../stores/flow-commands';

/** Why a modeling operation was refused; the canvas shows it (i18n `modeling.refused.<code>`). */
export type Refusal =
  | {
      readonly code:
        | 'missing-element'
        | 'unknown-type'
        | 'wrong-kind'
        | 'id-taken'
        | 'needs-host'
        | 'not-attachable'
        | 'invalid-host'
        | 'lane-outside-pool'
        | 'into-itself'
        | 'stays-attached'
        | 'nothing-to-do';
    }
  /** The port rules' own reason (graph-schema's `checkConnection`), rendered by `formatConnectionRefusal`. */
  | { readonly code: 'connection'; readonly reason: ConnectionRefusal };

export type Verdict = { readonly allowed: true } | { readonly allowed: false; readonly refusal: Refusal };

export const allowed: Verdict = { allowed: true };
export const refuse = (refusal: Refusal): Verdict => ({ allowed: false, refusal });

export interface ModelingCommand extends FlowCommand {
  canExecute(flow: FlowDocument): Verdict;
}

/** The fields of a node a modeling edit may change (a new type comes with its config and its version); `undefined` removes an optional one. */
type NodePatch = Partial<Pick<FlowNode, 'type' | 'name' | 'parent' | 'position' | 'size' | 'config' | 'typeVersion'>>;

/**
 * Element edits that remember how to undo themselves, and report what they changed so the canvas
 * updates only those elements.
 */
export class DocumentEdit {
  readonly changes: DocumentChange[] = [];
  readonly #undo: (() => DocumentChange)[] = [];

  constructor(readonly flow: FlowDocument) {}

  node(nodeId: string): FlowNode {
    const node = this.flow.nodes.find((candidate) => candidate.id === nodeId);
    if (!node) throw new Error(`no node "${nodeId}" in flow "${this.flow.id}"`);
    return node;
  }

  addNode(node: FlowNode): void {
    this.flow.nodes.push(node);
    this.#done({ type: 'node.added', node }, () => {
      this.flow.nodes.splice(this.flow.nodes.indexOf(node), 1);
      return { type: 'node.removed', nodeId: node.id };
    });
  }

  removeNode(nodeId: string): void {
    const index = this.flow.nodes.findIndex((candidate) => candidate.id === nodeId);
    // Checked before splicing: splice(-1, 1) would remove the last one.
    if (index < 0) throw new Error(`no node "${nodeId}" in flow "${this.flow.id}"`);
    const node = this.flow.nodes.splice(index, 1)[0] as FlowNode;
    this.#done({ type: 'node.removed', nodeId }, () => {
      this.flow.nodes.splice(index, 0, node);
      return { type: 'node.added', node };
    });
  }

  updateNode(nodeId: string, patch: NodePatch): void {
    const node = this.node(nodeId);
    const before = Object.fromEntries(Object.keys(patch).map((key) => [key, node[key as keyof FlowNode]])) as NodePatch;
    assign(node, patch);
    this.#done({ type: 'node.changed', node }, () => {
      assign(node, before);
      return { type: 'node.changed', node };
    });
  }

  /** Sets an edge's bend points, or drops them (`undefined`) so the canvas routes it afresh. */
  setWaypoints(edgeId: string, waypoints: FlowEdge['waypoints']): void {
    const edge = this.flow.edges.find((candidate) => candidate.id === edgeId);
    if (!edge) throw new Error(`no edge "${edgeId}" in flow "${this.flow.id}"`);
    const before = edge.waypoints;
    const put = (points: FlowEdge['waypoints']) => {
      if (points) edge.waypoints = points;
      else delete edge.waypoints;
    };
    put(waypoints);
    this.#done({ type: 'edge.changed', edge }, () => {
      put(before);
      return { type: 'edge.changed', edge };
    });
  }

  addEdge(edge: FlowEdge): void {
    this.flow.edges.push(edge);
    this.#done({ type: 'edge.added', edge }, () => {
      this.flow.edges.splice(this.flow.edges.indexOf(edge), 1);
      return { type: 'edge.removed', edgeId: edge.id };
    });
  }

  removeEdge(edgeId: string): void {
    const index = this.flow.edges.findIndex((candidate) => candidate.id === edgeId);
    // Checked before splicing: splice(-1, 1) would remove the last one.
    if (index < 0) throw new Error(`no edge "${edgeId}" in flow "${this.flow.id}"`);
    const edge = this.flow.edges.splice(index, 1)[0] as FlowEdge;
    this.#done({ type: 'edge.removed', edgeId }, () => {
      this.flow.edges.splice(index, 0, edge);
      return { type: 'edge.added', edge };
    });
  }

  /** Takes every edit back, last first, and answers what that changed. */
  revert(): DocumentChange[] {
    const changes = this.#undo.reverse().map((undo) => undo());
    this.#undo.length = 0;
    this.changes.length = 0;
    return changes;
  }

  #done(change: DocumentChange, undo: () => DocumentChange): void {
    this.changes.push(change);
    this.#undo.push(undo);
  }
}

function assign(node: FlowNode, patch: NodePatch): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) Reflect.deleteProperty(node, key);
    else (node as Record<string, unknown>)[key] = value;
  }
}

/**
 * A named command from its rule and its handler. Executing a refused command is a bug in its
 * caller (the canvas asks `canExecute` first), so it throws and the stack rolls the step back.
 */
export function defineModelingCommand(name: string, canExecute: (flow: FlowDocument) => Verdict, handle: (edit: DocumentEdit) => void): ModelingCommand {
  let done: DocumentEdit | undefined;
  return {
    name,
    canExecute,
    execute(flow) {
      const verdict = canExecute(flow);
      if (!verdict.allowed) throw new Error(`${name} refused: ${verdict.refusal.code}`);
      const edit = new DocumentEdit(flow);
      try {
        handle(edit);
      } catch (error) {
        edit.revert();
        throw error;
      }
      done = edit;
      return [...edit.changes];
    },
    revert() {
      const changes = done?.revert() ?? [];
      done = undefined;
      return changes;
    },
  };
}
