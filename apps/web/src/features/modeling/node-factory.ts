// The one way a new node comes into being (palette drop, paste, any later creator): a registry
// type with its defaults, a fresh id that reads well in BPMN and in messages, and the size it is
// drawn at, stored so the document alone tells where containers end.
import type { FlowNode, Locale, Point, Size } from '@loomflow/graph-schema';
import { freshId, idPrefixOf } from './element-ids';
import type { ModelingContext } from './modeling-rules';

export interface NodeSpec {
  readonly type: string;
  readonly position: Point;
  /** Without a name, a node from the palette is named after its type in this language. */
  readonly locale?: Locale;
  readonly name?: string;
  /** A copy's config; a new node gets its type's defaults. */
  readonly config?: Record<string, unknown>;
  /**
   * The type version a copy's config was written for (absent: 1), kept so that a copy of an older
   * node is migrated like its original; a new node gets its type's current version.
   */
  readonly typeVersion?: number;
  readonly parent?: string;
  readonly size?: Size;
}

/** Makes a node of a registered type, with an id not in `taken` (which it then adds). */
export function makeNode(context: ModelingContext, taken: Set<string>, spec: NodeSpec): FlowNode {
  const nodeType = context.registry.get(spec.type);
  if (!nodeType) throw new Error(`no node type "${spec.type}" in the registry`);
  const name = spec.name ?? (spec.locale ? nodeType.title[spec.locale] : undefined);
  const node: FlowNode = {
    id: freshId(idPrefixOf(nodeType.type), taken),
    type: nodeType.type,
    ...(name ? { name } : {}),
    ...(spec.parent === undefined ? {} : { parent: spec.parent }),
    position: { ...spec.position },
    config: structuredClone(spec.config ?? ((nodeType.defaults ?? {}) as Record<string, unknown>)),
    // Recorded so that a later version of the type knows which migrations this config needs.
    ...(spec.config === undefined ? { typeVersion: nodeType.version } : spec.typeVersion === undefined ? {} : { typeVersion: spec.typeVersion }),
  };
  node.size = { ...(spec.size ?? context.sizeOf(node)) };
  return node;
}
