// A node type is declared once (DESIGN.md §3); the canvas, the compiler, the BPMN mapper and the
// properties panel each key their own tables by its id.
import type { z } from 'zod';
import type { FlowKind } from './flow-document';
import type { LocalizedText } from './localized';

/** A path into a node's config, as zod reports it: keys and array indexes. */
export type ConfigPath = readonly (string | number)[];

export interface PortSpec {
  readonly id: string;
  readonly title?: LocalizedText;
}

/**
 * What a node is in the drawing's control flow. Artifacts (pools, lanes, data objects, text
 * annotations, groups) are drawn but take no part in it: no sequence flow touches them.
 */
export type NodeRole = 'start' | 'end' | 'step' | 'boundary' | 'artifact';

/**
 * How a node chooses among several outgoing edges: `all` takes every one (parallel branches,
 * conditions optional), `conditional` takes the edges whose conditions hold (with a default), and
 * `event` waits for whichever target event happens first (BPMN event-based gateway).
 */
export type Branching = 'all' | 'conditional' | 'event';

/**
 * Something a node's config points at, so that one validator can check every type's references:
 * a state channel it writes, another node (`invokes`: control passes to it, as in a map node;
 * `attachedTo`: the node sits on it, as a boundary event on its task), or a FEEL expression.
 */
export type ConfigReference =
  | { readonly kind: 'channel'; readonly path: ConfigPath; readonly name: string }
  | { readonly kind: 'node'; readonly path: ConfigPath; readonly nodeId: string; readonly link: 'invokes' | 'attachedTo' }
  | { readonly kind: 'feel'; readonly path: ConfigPath; readonly expression: string };

export interface BpmnMapping {
  /** The bpmn-moddle type the node becomes, e.g. `bpmn:UserTask`. */
  readonly element: string;
}

interface NodeTypeShape {
  readonly type: string;
  readonly kind: FlowKind;
  /** Palette group; its title comes from `categoryTitles`. */
  readonly category: string;
  /** Bumped when the config's meaning changes, so stored flows can be migrated. */
  readonly version: number;
  readonly title: LocalizedText;
  readonly description: LocalizedText;
  readonly role: NodeRole;
  /** `scope` holds its own start and end (sub-process, pool); `partition` only groups (lane). */
  readonly container?: 'scope' | 'partition';
  readonly branching: Branching;
  readonly inputs: readonly PortSpec[];
  readonly bpmn?: BpmnMapping;
}

export interface NodeTypeSpec<Schema extends z.ZodType> extends NodeTypeShape {
  readonly configSchema: Schema;
  /** The config a freshly dropped node gets; must satisfy `configSchema`. */
  readonly defaults: z.input<Schema>;
  /** Output ports, fixed or derived from the config (a router has one per intent). */
  readonly outputs: readonly PortSpec[] | ((config: z.output<Schema>) => readonly PortSpec[]);
  readonly references?: (config: z.output<Schema>) => readonly ConfigReference[];
}

/** A registered node type with its config type erased, as the registry stores it. */
export interface NodeType extends NodeTypeShape {
  readonly configSchema: z.ZodType;
  readonly defaults: unknown;
  /** Call only with a config that `configSchema` produced. */
  outputPorts(config: unknown): readonly PortSpec[];
  /** Call only with a config that `configSchema` produced. */
  references(config: unknown): readonly ConfigReference[];
}

export function defineNodeType<Schema extends z.ZodType>(spec: NodeTypeSpec<Schema>): NodeType {
  const { outputs, references, ...shape } = spec;
  // The erased signatures are sound because the validator passes only configs parsed by this
  // very schema.
  return {
    ...shape,
    outputPorts: typeof outputs === 'function' ? (config) => outputs(config as z.output<Schema>) : () => outputs,
    references: references ? (config) => references(config as z.output<Schema>) : () => [],
  };
}

export class NodeTypeRegistry {
  readonly #types = new Map<string, NodeType>();
  readonly #categoryTitles = new Map<string, LocalizedText>();

  register(nodeType: NodeType): this {
    if (this.#types.has(nodeType.type)) {
      throw new Error(`node type "${nodeType.type}" is already registered`);
    }
    this.#types.set(nodeType.type, nodeType);
    return this;
  }

  defineCategory(category: string, title: LocalizedText): this {
    this.#categoryTitles.set(category, title);
    return this;
  }

  get(type: string): NodeType | undefined {
    return this.#types.get(type);
  }

  has(type: string): boolean {
    return this.#types.has(type);
  }

  /** Every registered type, in registration order (the palette's order), optionally of one kind. */
  list(kind?: FlowKind): NodeType[] {
    const all = [...this.#types.values()];
    return kind ? all.filter((nodeType) => nodeType.kind === kind) : all;
  }

  /** The category's title, or the category id itself in both languages when none is defined. */
  categoryTitle(category: string): LocalizedText {
    return this.#categoryTitles.get(category) ?? { en: category, 'zh-CN': category };
  }
}
