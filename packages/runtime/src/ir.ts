// The intermediate representation: what a flow means to run, as plain JSON. The LangGraph builder
// and the code generator both consume it, so it holds no functions and no LangGraph objects.
import type { AwaitedEvent, ChannelType, FlowKind, Reducer, RetryPolicy, ToolConfig } from '@loomflow/graph-schema';

/**
 * 2: nodes say whether they are pure. 3: BPMN: lanes, error boundaries, sub-process bodies, joins
 * of taken branches. 4: BPMN events: boundary timers, messages and signals, event-based gateways.
 */
export const IR_VERSION = 4;

/**
 * The executor of a catch event or receive task after an event-based gateway: the gateway waited
 * for its event and delivered it, so the node itself only passes on.
 */
export const CAUGHT_EVENT_EXECUTOR = 'bpmn.caughtEvent';

export interface ChannelIR {
  readonly name: string;
  readonly type: ChannelType;
  readonly reducer: Reducer;
  /** Absent means the type's empty value (0, '', false, [], {}, null). */
  readonly default?: unknown;
}

export interface NodeIR {
  readonly id: string;
  readonly type: string;
  readonly name?: string;
  /** The executor that runs the node: its node type id. */
  readonly executor: string;
  /** The node's config as its schema parsed it, defaults filled in. */
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * `all`: run once after every incoming branch has arrived. Through waiting edges where every
   * incoming edge is unconditional, else as a deferred node (run when nothing else is left).
   * `taken`: run once after the branches that were taken arrived (BPMN's inclusive join): always
   * a deferred node, since a waiting edge would wait for branches that never come.
   */
  readonly join: 'any' | 'all' | 'taken';
  /**
   * Computes its update from the state alone, with no side effects (its type's `pure` trait):
   * it may be fused into a chain, and its events repeat identically when it runs again.
   */
  readonly pure: boolean;
  /**
   * Has side effects but may be the one such node of a fused chain (its type's `headsChain`
   * trait): the chain's step takes this node's retries and timeout.
   */
  readonly headsChain?: true;
  readonly retry?: Readonly<RetryPolicy>;
  readonly timeoutMs?: number;
  /** Node ids to continue at when the node fails after its retries (its `error` port). */
  readonly onErrorGoto?: readonly string[];
  /**
   * Error boundary events on the node, in drawing order: a failure continues at the first whose
   * code matches the BPMN error's (one without a code catches every failure).
   */
  readonly errorBoundaries?: readonly ErrorBoundaryIR[];
  /**
   * The timers, messages and signals it waits for: the boundary events on it (beside its own
   * work), or the events after it when it is an event-based gateway (instead of any work).
   */
  readonly events?: readonly EventIR[];
  /** The escalation the node throws (an escalation throw or end event). */
  readonly escalation?: EscalationIR;
  /** The name of the lane (partition) the node is drawn in: a user task's default candidate group. */
  readonly lane?: string;
  /** What a sub-process runs: its own nodes, from its own start to its ends, over the same channels. */
  readonly body?: FlowIR;
  /** The tools its model may call: those of the tool runners its `tools` port leads to. */
  readonly tools?: readonly ToolConfig[];
}

export interface ErrorBoundaryIR {
  /** The boundary event node, where the flow continues. */
  readonly target: string;
  readonly errorCode?: string;
  /** An escalation boundary event (interrupting), which catches only an escalation of its code (every one when it names none). */
  readonly escalation?: { readonly escalationCode?: string };
}

/** Where an escalation a throw or end event raises goes: the boundary event of the nearest sub-process around it that catches its code. */
export interface EscalationIR {
  readonly escalationCode?: string;
  /** The catching boundary event, or undefined when no sub-process around the node catches it (then nothing happens, as BPMN has it). */
  readonly caughtBy?: string;
  readonly interrupting: boolean;
}

export interface EventIR {
  /** The node that catches the event (a boundary event, a catch event), where the flow continues. */
  readonly target: string;
  readonly event: AwaitedEvent;
  /** Whether the event ends the node's work (a non-interrupting boundary event lets it go on). */
  readonly interrupting: boolean;
}

/** An unconditional edge; `sources` has several entries for a waiting join. */
export interface EdgeIR {
  readonly sources: readonly string[];
  readonly target: string;
}

export interface BranchIR {
  readonly edgeId: string;
  readonly target: string;
  /** FEEL over the state; absent for edges that are always taken. */
  readonly condition?: string;
}

/**
 * How a node chooses among its outgoing edges after it ran.
 * - `conditions`: edges with a condition are tried in order (`first` takes the first that holds,
 *   `all` every one), unconditional ones are always taken, `fallback` when nothing was taken.
 * - `port`: the node wrote the chosen port's id to `channel` (an intent router); the edges of
 *   that port are taken, else those of `fallbackPort`.
 */
export type RouteIR =
  | {
      readonly kind: 'conditions';
      readonly source: string;
      readonly match: 'first' | 'all';
      readonly branches: readonly BranchIR[];
      readonly fallback?: BranchIR;
    }
  | {
      readonly kind: 'port';
      readonly source: string;
      readonly channel: string;
      /** `tool-calls`: the port is `tools` when the last message of `channel` calls tools, else `out`. */
      readonly select?: 'tool-calls';
      readonly ports: Readonly<Record<string, readonly string[]>>;
      readonly fallbackPort: string;
    };

/** Every node a route may lead to, in its order. */
export function routeTargets(route: RouteIR): string[] {
  return route.kind === 'port' ? Object.values(route.ports).flat() : [...route.branches, ...(route.fallback ? [route.fallback] : [])].map((branch) => branch.target);
}

/** A fork a fused chain runs inside it: the lines of pure nodes after the node that forks, and the join they end in. */
export interface ForkIR {
  readonly lines: readonly (readonly string[])[];
  readonly join: string;
}

/** A map node: runs `worker` once per item (LangGraph Send) and collects the results in order. */
export interface FanOutIR {
  readonly mapNode: string;
  readonly worker: string;
  readonly items: string;
  readonly as: string;
  readonly collect: string;
  readonly maxConcurrency?: number;
  /**
   * The channels the worker reads, when its config says (assignments, templates): each Send then
   * carries only those instead of a copy of the whole state per item. Absent means all.
   */
  readonly reads?: readonly string[];
}

export interface FlowIR {
  readonly irVersion: typeof IR_VERSION;
  readonly flowId: string;
  readonly kind: FlowKind;
  readonly channels: readonly ChannelIR[];
  /** Channels a run accepts as input and returns as output; absent means all. */
  readonly input?: readonly string[];
  readonly output?: readonly string[];
  /** The node the run starts at. */
  readonly entry: string;
  /** The message whose arrival starts a new run (a BPMN message start event), when the entry waits for one. */
  readonly startMessage?: string;
  /** The signal whose broadcast starts a new run (a BPMN signal start event), when the entry waits for one. */
  readonly startSignal?: string;
  /** The timer whose due times start new runs (a BPMN timer start event), when the entry has one. */
  readonly startTimer?: Extract<AwaitedEvent, { type: 'timer' }>;
  readonly nodes: readonly NodeIR[];
  readonly edges: readonly EdgeIR[];
  readonly routes: readonly RouteIR[];
  readonly fanOuts: readonly FanOutIR[];
  /** Nodes after which the run ends. */
  readonly finishes: readonly string[];
  /**
   * Maximal chains of pure, deterministic steps (two or more node ids, in order) that a normal run
   * executes as one LangGraph node: one superstep and one checkpoint instead of one per node. A
   * debug run keeps every node separate so it can stop and step between any two.
   */
  readonly chains: readonly (readonly string[])[];
  /**
   * The chains of a normal run that also go on through forks of pure branches that meet again
   * (lower.ts findChains), and those forks by the member that forks: its lines, whose nodes the
   * chain lists after it, then their join. The chain runs the lines' nodes stage by stage, as
   * LangGraph would run them step by step. Absent when no chain forks, and in a scope a terminate
   * end event may end; threads started before these existed keep `chains` (their mode says which,
   * build-graph.ts RunMode).
   */
  readonly forkedChains?: {
    readonly chains: readonly (readonly string[])[];
    readonly forks: Readonly<Record<string, ForkIR>>;
  };
  /**
   * Routes a normal run takes inside the fused chain that ends at their source (lower.ts
   * findChainTails), when it takes a target listed here: that target and the pure nodes after it,
   * up to the end of the run, run in the same step. By route source, then target; absent when none.
   */
  readonly chainTails?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  readonly recursionLimit: number;
  /** The flow's own wall-clock limit for one run; a host may lower it. */
  readonly runTimeoutMs?: number;
}
