import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { RunEventBody } from '@loomflow/graph-schema';
import type { CallCodec, CallKind } from '../call-log';
import type { ServiceLookup } from '../host-services';
import type { ChannelIR, NodeIR } from '../ir';
import type { CodeSandbox } from '../sandbox/code-sandbox';

export type State = Readonly<Record<string, unknown>>;

/**
 * A service task whose job a host application does (`FlowRuntimeOptions.serviceTasks`), named by
 * the task's job type (Camunda's task definition type). It gets the process variables and returns
 * variables to write; a `BpmnError` it throws goes to the task's error boundary events.
 */
export type ServiceTaskHandler = (job: {
  readonly nodeId: string;
  readonly type: string;
  readonly variables: State;
  readonly signal?: AbortSignal | undefined;
}) => Promise<Record<string, unknown> | undefined> | Record<string, unknown> | undefined;

/** What the host lends the runtime; tests and the server pass their own. */
export interface RuntimeServices {
  /** Runs `agent.code` and script sources; defaults to a QuickJS sandbox. */
  readonly sandbox: CodeSandbox;
  /**
   * Resolves a host name to IP addresses; defaults to the system resolver. `agent.http` calls it
   * once per connection, checks every address, and connects only to the addresses it returned.
   */
  readonly lookupHost: (hostname: string) => Promise<readonly string[]>;
  /** The largest response body `agent.http` reads, in bytes; defaults to 10 MiB. */
  readonly maxResponseBytes: number;
  /** Loads the flow an `agent.subflow` node or a call activity runs. */
  readonly loadFlow?: (flowId: string, version?: number) => Promise<unknown>;
  /** The jobs of BPMN service tasks a host does, by job type (FlowRuntimeOptions.serviceTasks). */
  readonly serviceTasks?: Readonly<Record<string, ServiceTaskHandler>>;
}

/** A compiled sub-flow, as the runtime provides it. */
export interface SubflowRunner {
  invoke(input: Record<string, unknown>, config: LangGraphRunnableConfig): Promise<Record<string, unknown>>;
  /** What the flow returns of its final values: its declared outputs, else every channel. */
  finalOutput(values: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

/** Compiles the flow a node runs as its sub-flow, refusing one that would run inside itself. */
export type SubflowLoader = (flowId: string, version: number | undefined, nodeId: string) => Promise<SubflowRunner>;

/** Event types an executor streams while it runs; the runtime sends the node's start and end itself. */
export type NodeStreamEventType = 'llm.token' | 'tool.call' | 'tool.result';

/** An event an executor streams, without `nodeId`: the runtime names the node emitting it. */
export type NodeStreamEvent = RunEventBody extends infer Event ? (Event extends { readonly type: NodeStreamEventType } ? Omit<Event, 'nodeId'> : never) : never;

export interface ExecutionContext {
  readonly node: NodeIR;
  readonly state: State;
  /** The flow's state channels by name. */
  readonly channels: ReadonlyMap<string, ChannelIR>;
  readonly services: RuntimeServices;
  readonly config: LangGraphRunnableConfig;
  /** Compiles a flow this node runs as a sub-flow; absent where the host lends no flow store. */
  readonly loadSubflow?: SubflowLoader | undefined;
  /** A service the host lends by name; throws `service.unavailable` naming the node when there is none. */
  readonly service: ServiceLookup;
  /**
   * Streams an event of this node into the run's event stream (the server stores and relays it
   * like the runtime's own). Only while the executor runs: later calls are dropped, since the
   * node's step may already be committed and its `node.completed` sent.
   */
  readonly emit: (event: NodeStreamEvent) => void;
  /**
   * Makes a call whose answer comes from outside the run (a model, an HTTP server, an MCP tool, a
   * search) through the run's call log: recorded when the run records, answered from the record
   * when it replays, when the request is one the recorded run made (else `replay.diverged`).
   */
  readonly fromOutside: <T>(kind: CallKind, request: unknown, call: () => Promise<T>, codec?: CallCodec<T>) => Promise<T>;
}

export interface ExecutionResult {
  /** Channel updates, applied through each channel's reducer. */
  readonly update: Record<string, unknown>;
  /** What the node produced, when it differs from the update (a reply, a response). */
  readonly output?: unknown;
  /** The run (or the sub-process it runs in) ends here: nothing else of it runs (BPMN terminate end). */
  readonly terminates?: boolean;
}

export type Executor = (context: ExecutionContext) => Promise<ExecutionResult> | ExecutionResult;
