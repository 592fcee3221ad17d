// A node type is declared once (docs/flow-document.md § Node types); the canvas, the compiler, the
// BPMN mapper and the properties panel each key their own tables by its id.
import type { z } from 'zod';
import type { ChannelType, FlowKind } from './flow-document';
import type { LocalizedText } from './localized';

/** A path into a node's config, as zod reports it: keys and array indexes. */
export type ConfigPath = readonly (string | number)[];

export interface PortSpec {
  readonly id: string;
  readonly title?: LocalizedText;
  /** What the port may lead to: `tool-runner`, a node that runs tool calls (`runsToolCalls`). */
  readonly leadsTo?: 'tool-runner';
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
 * `attachedTo`: the node sits on it, as a boundary event on its task; `annotates`: a note explains
 * it, and it may as well be an edge), a FEEL expression, or a
 * template whose placeholders name channels.
 */
export type ConfigReference =
  /** `type`, when given, is the channel type the node needs (a conversation needs `messages`). */
  | { readonly kind: 'channel'; readonly path: ConfigPath; readonly name: string; readonly type?: ChannelType }
  | { readonly kind: 'node'; readonly path: ConfigPath; readonly nodeId: string; readonly link: 'invokes' | 'attachedTo' | 'annotates' }
  | { readonly kind: 'feel'; readonly path: ConfigPath; readonly expression: string }
  /** Text with `{{channel}}` placeholders (template.ts), filled from the state when the node runs. */
  | { readonly kind: 'template'; readonly path: ConfigPath; readonly template: string };

/**
 * What generic code (validator, compiler, builder, CLI, canvas) needs to know about a type's
 * behaviour, declared with the type instead of tested by type id: a new type that declares its
 * traits validates, lowers, builds and runs without changes anywhere else.
 */
export interface NodeTraits<Config> {
  /**
   * Computes its update from the state alone, with no side effects: several such nodes may run
   * as one step, and one may run again after a crash with the same result.
   */
  readonly pure?: boolean;
  /**
   * Has side effects, but may be the one such node in a fused chain of pure nodes: the chain is
   * one step whose retries and timeout are this node's, so a retry, a resume or a run after a
   * crash runs this node again exactly as it would run alone, and the pure nodes with it once more
   * (before it only when it has no retries or timeout).
   */
  readonly headsChain?: (config: Config) => boolean;
  /** Waits for every incoming branch before it runs (parallel, inclusive gateways); else the `join` field of its config decides. */
  readonly joinsAll?: boolean;
  /**
   * With `joinsAll`: waits only for the branches that were taken, not for every incoming edge
   * (BPMN's inclusive join), so it runs once no other work of the run is left.
   */
  readonly joinsTakenOnly?: boolean;
  /** Of its outgoing conditions, takes every one that holds (inclusive) rather than the first. */
  readonly takesEveryTrueCondition?: boolean;
  /** With several output ports, leaves by the one named by the value it writes to this channel. */
  readonly routesBy?: (config: Config) => string;
  /**
   * With the ports `tools` and `out`, leaves by `tools` when the last message of the returned
   * messages channel calls tools, else by `out` (LangGraph's toolsCondition); undefined when the
   * config does not call tools.
   */
  readonly routesByToolCalls?: (config: Config) => string | undefined;
  /** Runs the tool calls of the last model message: what a model's `tools` port must lead to. */
  readonly runsToolCalls?: boolean;
  /** A start event that starts a new instance of its process when this message arrives: the message's name. */
  readonly startsOnMessage?: (config: Config) => string | undefined;
  /** A start event that starts a new instance of its process when this signal is broadcast: the signal's name. */
  readonly startsOnSignal?: (config: Config) => string | undefined;
  /** A start event that starts a new instance of its process when its timer is due: the timer. */
  readonly startsOnTimer?: (config: Config) => Extract<AwaitedEvent, { type: 'timer' }> | undefined;
  /** An event an event-based gateway can wait for. */
  readonly waitsForEvent?: boolean;
  /**
   * The timer, message or signal it waits for, as drawn: a catch event's, a receive task's, a
   * boundary event's (undefined for an error boundary, which a failure triggers).
   */
  readonly awaitsEvent?: (config: Config) => AwaitedEvent | undefined;
  /** Boundary events may be attached to it. */
  readonly catchesEvents?: boolean;
  /** Sits on another node and continues the flow when that node's event happens (a boundary event). */
  readonly catches?: (config: Config) => BoundaryCatch;
  /** Ends its whole process, or the sub-process it is in, when it runs (a terminate end event): other branches stop. */
  readonly terminates?: (config: Config) => boolean;
  /** Throws an escalation (an escalation throw or end event): its code, caught by an escalation boundary event on a sub-process around it. */
  readonly escalates?: (config: Config) => { readonly escalationCode?: string | undefined } | undefined;
  /**
   * Runs another stored flow. `path` is where the config names it, so that a copy of the flow
   * together with the flow it runs (a template and its sub-flow) can point it at the copy.
   */
  readonly invokesFlow?: (config: Config) => { readonly flowId: string; readonly version?: number | undefined; readonly path: ConfigPath } | undefined;
  /** Runs a node of the flow once per item of a list (the node is its worker, not a successor). */
  readonly fansOut?: (config: Config) => FanOutSpec;
  /**
   * The state channels its config reads, so a fan-out worker is handed only those; undefined when
   * it may read anything (code, models).
   */
  readonly reads?: (config: Config) => readonly string[] | undefined;
  /** The server-held credentials (model providers) it needs by name. */
  readonly credentials?: (config: Config) => readonly string[];
}

export type AwaitedEvent =
  | { readonly type: 'timer'; readonly timerType: 'date' | 'duration' | 'cycle'; readonly value: string }
  | { readonly type: 'message'; readonly messageName: string; readonly correlationKey?: string | undefined }
  | { readonly type: 'signal'; readonly signalName: string };

export interface BoundaryCatch {
  /** The node it sits on. */
  readonly attachedTo: string;
  readonly event: 'error' | 'timer' | 'message' | 'signal' | 'escalation';
  /** For errors: the code it catches; every error when absent. */
  readonly errorCode?: string | undefined;
  /** For escalations: the code it catches; every escalation when absent. */
  readonly escalationCode?: string | undefined;
  /** Whether the node it sits on is cancelled when the event happens. */
  readonly interrupting: boolean;
}

export interface FanOutSpec {
  /** FEEL expression giving the list. */
  readonly items: string;
  /** The channel each run of the worker finds its item in. */
  readonly as: string;
  /** The node that runs once per item. */
  readonly worker: string;
  /** The channel the results are written to, in item order. */
  readonly collect: string;
  readonly maxConcurrency?: number | undefined;
}

/** Traits as the registry stores them: config-taking functions called only with parsed configs. */
export type ErasedNodeTraits = NodeTraits<unknown>;

export interface BpmnMapping {
  /** The bpmn-moddle type the node becomes, e.g. `bpmn:UserTask`. */
  readonly element: string;
}

/**
 * Upgrades a node's config by one version of its type. Pure: it returns a new config and never
 * touches the one it is given, so `migrateFlow` can return a new document beside the old one.
 */
export type ConfigMigration = (config: Readonly<Record<string, unknown>>) => Record<string, unknown>;

interface NodeTypeShape {
  readonly type: string;
  readonly kind: FlowKind;
  /** Palette group; its title comes from `categoryTitles`. */
  readonly category: string;
  readonly title: LocalizedText;
  readonly description: LocalizedText;
  readonly role: NodeRole;
  /** `scope` holds its own start and end (sub-process, pool); `partition` only groups (lane). */
  readonly container?: 'scope' | 'partition';
  readonly branching: Branching;
  readonly inputs: readonly PortSpec[];
  readonly bpmn?: BpmnMapping;
  /**
   * Whether `loomflow codegen` writes nodes of this type out as standalone LangGraph code, or why
   * it refuses (packages/codegen holds the generators, keyed by type id). Absent: refused as a
   * type the generator does not know, like a host's own type.
   */
  readonly codegen?: CodegenSupport;
}

/** A type's standing in code generation: generated, or refused with a reason in every locale. */
export type CodegenSupport = { readonly generates: true } | { readonly refused: LocalizedText };

export const GENERATES_CODE: CodegenSupport = { generates: true };

export function refusedInCode(reason: LocalizedText): CodegenSupport {
  return { refused: reason };
}

export interface NodeTypeSpec<Schema extends z.ZodType> extends NodeTypeShape {
  /**
   * Bumped when the config's meaning or shape changes, so stored flows can be migrated; 1 when
   * left out. A node records the version its config was written for as `typeVersion`.
   */
  readonly version?: number;
  /**
   * `migrations[n]` turns a config of version n into one of version n + 1. Every step from 1 up to
   * `version` needs one, so a stored flow of any older version can be brought up to date.
   */
  readonly migrations?: Readonly<Record<number, ConfigMigration>>;
  readonly configSchema: Schema;
  /** The config a freshly dropped node gets; must satisfy `configSchema`. */
  readonly defaults: z.input<Schema>;
  /** Output ports, fixed or derived from the config (a router has one per intent). */
  readonly outputs: readonly PortSpec[] | ((config: z.output<Schema>) => readonly PortSpec[]);
  readonly references?: (config: z.output<Schema>) => readonly ConfigReference[];
  readonly traits?: NodeTraits<z.output<Schema>>;
}

/** A registered node type with its config type erased, as the registry stores it. */
export interface NodeType extends NodeTypeShape {
  /** The current version of the type: what new nodes record as `typeVersion`. */
  readonly version: number;
  readonly migrations: Readonly<Record<number, ConfigMigration>>;
  readonly configSchema: z.ZodType;
  readonly defaults: unknown;
  /** Call only with a config that `configSchema` produced. */
  outputPorts(config: unknown): readonly PortSpec[];
  /** Call only with a config that `configSchema` produced. */
  references(config: unknown): readonly ConfigReference[];
  /** Its functions take only configs that `configSchema` produced. */
  readonly traits: ErasedNodeTraits;
}

export function defineNodeType<Schema extends z.ZodType>(spec: NodeTypeSpec<Schema>): NodeType {
  const { outputs, references, traits, version = 1, migrations = {}, ...shape } = spec;
  if (!Number.isInteger(version) || version < 1) throw new Error(`node type "${spec.type}" has version ${version}; versions are whole numbers from 1`);
  // A missing step would strand every stored node of an older version, so it fails at startup.
  for (let from = 1; from < version; from += 1) {
    if (!migrations[from]) throw new Error(`node type "${spec.type}" is at version ${version} but has no migration from version ${from}`);
  }
  // The erased signatures are sound because the validator passes only configs parsed by this
  // very schema.
  return {
    ...shape,
    version,
    migrations,
    traits: (traits ?? {}) as ErasedNodeTraits,
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
