// What the run panel and the canvas show of a run, folded from its events. Plain data and pure
// functions: the store (run-store.ts) holds one RunState, the canvas adapter
// (canvas-run-marks.ts) and the panel read it, and neither knows the other.
import { readHumanRequest, type HumanRequest, type RunEvent } from '@loomflow/graph-schema';

export type NodeRunStatus = 'running' | 'completed' | 'failed' | 'waiting';

export interface NodeRunState {
  readonly status: NodeRunStatus;
  /** A waiting node that waits at a breakpoint (or a fork), not for a person's answer. */
  readonly paused?: boolean;
  readonly durationMs?: number;
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * `starting`: the run is being requested; `queued`: the server took it but it waits for a free run
 * slot (its stream said `run.queued`); the rest follow the run's events.
 */
export type RunStatus = 'idle' | 'starting' | 'queued' | 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';

/** The server's word that a run waits for a slot: not a run event (it is not stored), a note on the stream. */
export interface QueuedNotice {
  readonly runId: string;
  /** How many runs the server executes at once (LOOMFLOW_MAX_CONCURRENT_RUNS). */
  readonly maxConcurrentRuns: number;
}

/** One model call's reply as its tokens arrive. */
export interface LlmOutput {
  readonly nodeId: string;
  readonly text: string;
  /** Tokens may still come: the node has not finished. */
  readonly open: boolean;
}

export interface ToolActivity {
  readonly toolCallId: string;
  readonly nodeId: string;
  readonly name: string;
  readonly args: unknown;
  readonly result?: unknown;
  readonly isError?: boolean;
}

/** One execution of a node (a node runs again in a loop, or on a retry): what the inspector shows. */
export interface NodeExecution {
  readonly runId: string;
  readonly attempt: number;
  /** When it started, in milliseconds since the epoch. */
  readonly startedAt: number;
  readonly status: 'running' | 'completed' | 'failed';
  /** The thread's superstep it ran in (the checkpoint it wrote has this step); absent from older servers. */
  readonly step?: number;
  /** The state the node read (values over the server's preview size come as previews). */
  readonly input: Record<string, unknown>;
  readonly output?: unknown;
  /** What it wrote to the state, before reducers. */
  readonly update?: Record<string, unknown>;
  readonly durationMs?: number;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface PendingInterrupt {
  readonly interruptId: string;
  readonly nodeId: string;
  /** A BPMN process may also wait for a timer or a message, which the server delivers. */
  readonly kind: Extract<RunEvent, { readonly type: 'interrupt' }>['kind'];
  /** What a person is asked, when the pause is a human step. */
  readonly request?: HumanRequest;
}

export interface RunFailure {
  readonly code: string;
  readonly message: string;
  readonly nodeId?: string;
}

export interface RunState {
  readonly status: RunStatus;
  readonly runId?: string;
  readonly threadId?: string;
  /** The run that started the thread: what Replay runs again. */
  readonly originRunId?: string;
  /** By node id; a node absent here has not run. */
  readonly nodes: ReadonlyMap<string, NodeRunState>;
  /** Every execution of each node, oldest first, across the runs of the thread. */
  readonly executions: ReadonlyMap<string, readonly NodeExecution[]>;
  readonly outputs: readonly LlmOutput[];
  readonly tools: readonly ToolActivity[];
  readonly interrupts: readonly PendingInterrupt[];
  readonly finalState?: Record<string, unknown>;
  readonly failure?: RunFailure;
  /** While `queued`: how many runs the server executes at once. */
  readonly maxConcurrentRuns?: number;
}

export const idleRunState: RunState = { status: 'idle', nodes: new Map(), executions: new Map(), outputs: [], tools: [], interrupts: [] };

/** A new run of a thread: what earlier runs of the thread showed stays, their pause is over. */
export function continueRun(state: RunState, runId: string, threadId: string): RunState {
  const nodes = new Map([...state.nodes].filter(([, node]) => node.status !== 'waiting'));
  return { ...state, status: 'running', runId, threadId, nodes, interrupts: [] };
}

/**
 * The run shown waits for a slot. Only a run that has not begun: the notice comes before any event
 * of the run, and one arriving late (a reconnection) must not undo what its events showed.
 */
export function queuedRun(state: RunState, notice: QueuedNotice): RunState {
  if (state.runId !== notice.runId || state.status !== 'running') return state;
  const begun = [...state.executions.values()].some((list) => list.some((execution) => execution.runId === notice.runId));
  return begun ? state : { ...state, status: 'queued', maxConcurrentRuns: notice.maxConcurrentRuns };
}

/** A checkpoint a thread goes on from as a new branch (a continuation, a replay or a fork). */
export interface BranchPoint {
  readonly checkpointId: string;
  /** The checkpoint's step: the executions of later steps belong to the branch left behind. */
  readonly step?: number | undefined;
}

/**
 * What a thread shows going on from `at`: the executions of the steps up to it, and the marks
 * their last executions leave on the canvas. Later executions happened on the branch left behind,
 * so they, their marks and the edges they took go; the model output and tool calls go with them.
 * Without a step (an older server) only the marks go.
 */
export function branchedAt(state: RunState, at: BranchPoint): Pick<RunState, 'nodes' | 'executions'> {
  const { step } = at;
  if (step === undefined) return { nodes: new Map(), executions: state.executions };
  const nodes = new Map<string, NodeRunState>();
  const executions = new Map<string, readonly NodeExecution[]>();
  for (const [nodeId, list] of state.executions) {
    const kept = list.filter((execution) => execution.step === undefined || execution.step <= step);
    const last = kept.at(-1);
    if (!last) continue;
    executions.set(nodeId, kept);
    // A node still 'running' there stopped for a person or a breakpoint: its wait shows again if it is still there.
    if (last.status !== 'running') nodes.set(nodeId, { status: last.status, ...(last.durationMs === undefined ? {} : { durationMs: last.durationMs }), ...(last.error ? { error: last.error } : {}) });
  }
  return { nodes, executions };
}

/** Folds a batch of events into the state; answers a new state, the old one is left as it was. */
export function applyRunEvents(state: RunState, events: readonly RunEvent[]): RunState {
  let next = { ...state, nodes: new Map(state.nodes), executions: new Map(state.executions), outputs: [...state.outputs], tools: [...state.tools], interrupts: [...state.interrupts] };
  for (const event of events) next = applyEvent(next, event);
  return next;
}

type Draft = RunState & {
  nodes: Map<string, NodeRunState>;
  executions: Map<string, readonly NodeExecution[]>;
  outputs: LlmOutput[];
  tools: ToolActivity[];
  interrupts: PendingInterrupt[];
};

/** Replaces the node's latest execution that is still running (the one an end event closes). */
function finishExecution(executions: Map<string, readonly NodeExecution[]>, nodeId: string, finish: (running: NodeExecution) => NodeExecution): void {
  const list = executions.get(nodeId) ?? [];
  const index = list.findLastIndex((execution) => execution.status === 'running');
  if (index < 0) return;
  executions.set(nodeId, list.with(index, finish(list[index] as NodeExecution)));
}

function closeOutputs(outputs: LlmOutput[], nodeId: string): void {
  outputs.forEach((output, index) => {
    if (output.nodeId === nodeId && output.open) outputs[index] = { ...output, open: false };
  });
}

/** A run that ended has no node running any more: their marks go. */
function stopRunningNodes(nodes: Map<string, NodeRunState>): void {
  for (const [nodeId, node] of nodes) if (node.status === 'running') nodes.delete(nodeId);
}

function applyEvent(state: Draft, event: RunEvent): Draft {
  switch (event.type) {
    case 'run.started':
      return { ...state, status: 'running', runId: event.runId, threadId: event.threadId };
    case 'node.started':
      // A run that was queued has its slot once a node starts, whether or not run.started was seen.
      if (state.status === 'queued') state = { ...state, status: 'running' };
      state.nodes.set(event.nodeId, { status: 'running' });
      state.executions.set(event.nodeId, [
        ...(state.executions.get(event.nodeId) ?? []),
        { runId: event.runId, attempt: event.attempt, startedAt: event.ts, status: 'running', input: event.input, ...(event.step === undefined ? {} : { step: event.step }) },
      ]);
      return state;
    case 'node.completed':
      state.nodes.set(event.nodeId, { status: 'completed', durationMs: event.durationMs });
      finishExecution(state.executions, event.nodeId, (running) => ({ ...running, status: 'completed', output: event.output, update: event.update, durationMs: event.durationMs }));
      closeOutputs(state.outputs, event.nodeId);
      return state;
    case 'node.failed':
      state.nodes.set(event.nodeId, { status: 'failed', durationMs: event.durationMs, error: event.error });
      finishExecution(state.executions, event.nodeId, (running) => ({ ...running, status: 'failed', error: event.error, durationMs: event.durationMs }));
      closeOutputs(state.outputs, event.nodeId);
      return state;
    case 'llm.token': {
      const index = state.outputs.findLastIndex((output) => output.nodeId === event.nodeId && output.open);
      const open = state.outputs[index];
      if (open) state.outputs[index] = { ...open, text: open.text + event.token };
      else state.outputs.push({ nodeId: event.nodeId, text: event.token, open: true });
      return state;
    }
    case 'tool.call':
      state.tools.push({ toolCallId: event.toolCallId, nodeId: event.nodeId, name: event.name, args: event.args });
      return state;
    case 'tool.result': {
      const index = state.tools.findLastIndex((tool) => tool.toolCallId === event.toolCallId);
      const call = state.tools[index];
      const result = { result: event.result, isError: event.isError };
      if (call) state.tools[index] = { ...call, ...result };
      else state.tools.push({ toolCallId: event.toolCallId, nodeId: event.nodeId, name: event.name, args: undefined, ...result });
      return state;
    }
    case 'interrupt': {
      state.nodes.set(event.nodeId, event.kind === 'breakpoint' ? { status: 'waiting', paused: true } : { status: 'waiting' });
      const request = event.kind === 'human' ? readHumanRequest(event.payload) : undefined;
      state.interrupts.push({ interruptId: event.interruptId, nodeId: event.nodeId, kind: event.kind, ...(request ? { request } : {}) });
      return { ...state, status: 'waiting' };
    }
    case 'checkpoint':
      return state;
    case 'run.completed':
      return { ...state, status: 'completed', finalState: event.state };
    case 'run.failed': {
      stopRunningNodes(state.nodes);
      // A failure the node did not report itself (its time limit, a loop over the step limit) is
      // still shown on the node it names.
      if (event.nodeId !== undefined && state.nodes.get(event.nodeId)?.status !== 'failed') {
        state.nodes.set(event.nodeId, { status: 'failed', error: event.error });
      }
      return { ...state, status: 'failed', failure: { ...event.error, ...(event.nodeId === undefined ? {} : { nodeId: event.nodeId }) } };
    }
    case 'run.cancelled':
      stopRunningNodes(state.nodes);
      return { ...state, status: 'cancelled' };
  }
}
