// Executors of the BPMN node types. A process runs on the same machinery as an agent flow: a user
// task is a human interrupt (the same request, so the server's task list and the CLI answer it
// alike), a script is FEEL or the code sandbox, a call activity is a sub-flow. Gateways route by
// their outgoing edges (lowering made routes and joins of them), so they change no state.
import { interrupt } from '@langchain/langgraph';
import { answerSchemaOfFormFields, type FormField, type HumanRequest, type McpServerConfig } from '@loomflow/graph-schema';
import { validateAnswer } from '../answer-schema';
import { BpmnError, DETERMINISTIC, EscalationThrown, NodeExecutionError } from '../errors';
import { evaluateFeel } from '../feel-eval';
import type { NodeIR } from '../ir';
import { SandboxError } from '../sandbox/code-sandbox';
import { answerOrEvent, withBoundaryEvents } from './bpmn-events';
import type { ExecutionContext, ExecutionResult, Executor, State } from './executor';
import { runHttp, type HttpExchange } from './http';
import { callMcpTool } from './mcp';
import { runSubflow } from './subflow';

type EventDefinition =
  | { type: 'none' | 'terminate' }
  | { type: 'message'; messageName: string; correlationKey?: string }
  | { type: 'timer'; timerType: string; value: string }
  | { type: 'error'; errorCode?: string }
  | { type: 'signal'; signalName: string }
  | { type: 'escalation'; escalationCode?: string };

const eventOf = (node: NodeIR) => node.config.eventDefinition as EventDefinition;

/**
 * A message or signal a process throws, kept in the node's output (and so in its `node.completed`
 * event, which hosts store): Loomflow delivers no message to another process by itself.
 */
function thrown(node: NodeIR, state: State, definition: EventDefinition): ExecutionResult {
  if (definition.type === 'message') {
    const key = definition.correlationKey ? evaluateFeel(definition.correlationKey, state, node.id) : undefined;
    // A key is matched as text, as a receiver's is (a FEEL number 17 finds the instance waiting with "17").
    return { update: {}, output: { message: { name: definition.messageName, ...(key === undefined || key === null ? {} : { correlationKey: String(key) }) } } };
  }
  if (definition.type === 'signal') return { update: {}, output: { signal: { name: definition.signalName } } };
  if (definition.type === 'escalation') return escalate(node, definition.escalationCode);
  return { update: {} };
}

/**
 * An escalation goes to the interrupting boundary event lowering found for it on a sub-process
 * around the node (`EscalationThrown` passes out of the sub-processes in between); caught by none,
 * it is recorded in the node's output and the process goes on, as BPMN has it.
 */
function escalate(node: NodeIR, code: string | undefined): ExecutionResult {
  const target = node.escalation?.interrupting ? node.escalation.caughtBy : undefined;
  const named = code ? `escalation "${code}"` : 'an escalation';
  if (target) throw new EscalationThrown(node.id, code, target, `threw ${named} to the boundary event "${target}"`);
  return { update: {}, output: { escalation: code ? { code } : {} } };
}

/** A non-interrupting escalation boundary would start its path while the sub-process goes on, which this runtime does not do yet. */
function escalationRefusal(node: NodeIR): string | undefined {
  const { escalation } = node;
  if (!escalation?.caughtBy || escalation.interrupting) return undefined;
  return `its escalation goes to the non-interrupting escalation boundary event "${escalation.caughtBy}", which does not run yet; make that boundary event interrupting`;
}

/**
 * An error end throws the BPMN error to the nearest error boundary event around it (the
 * sub-process running it, and outwards); with none, the run fails naming this node.
 */
export const runEndEvent: Executor = ({ node, state }) => {
  const definition = eventOf(node);
  if (definition.type === 'error') {
    const code = definition.errorCode;
    throw new BpmnError(node.id, code, code ? `ended with BPMN error "${code}", which no error boundary event catches` : 'ended with a BPMN error, which no error boundary event catches');
  }
  if (definition.type === 'terminate') return { update: {}, terminates: true };
  return thrown(node, state, definition);
};

export const runThrowEvent: Executor = ({ node, state }) => thrown(node, state, eventOf(node));

/** A person or group as drawn; one starting with `=` is a FEEL expression giving it (Camunda 8's form), e.g. each approver of a multi-instance task. */
function who(node: NodeIR, state: State, value: string): string {
  if (!value.startsWith('=')) return value;
  const result = evaluateFeel(value.slice(1), state, node.id);
  if (typeof result !== 'string' && typeof result !== 'number') throw new NodeExecutionError(node.id, 'bpmn.assignee', `"${value}" must give a text, not ${JSON.stringify(result)}`, DETERMINISTIC);
  return String(result);
}

/** The request of a user task, as an agent.human step asks its question. */
export function userTaskRequest(node: NodeIR, state: State): HumanRequest {
  const config = node.config as { assignee: string; candidateGroups: string[]; formFields: FormField[]; documentation?: string };
  const title = node.name ?? node.id;
  // Camunda's lanes are drawing only; here the lane names who does the work unless the task says.
  const candidateGroups = config.candidateGroups.length > 0 ? config.candidateGroups.map((group) => who(node, state, group)) : node.lane ? [node.lane] : [];
  const assignee = config.assignee ? who(node, state, config.assignee) : '';
  return {
    kind: 'human',
    nodeId: node.id,
    prompt: config.documentation ? `${title}\n\n${config.documentation}` : title,
    schema: answerSchemaOfFormFields(config.formFields),
    fields: config.formFields,
    ...(assignee ? { assignee } : {}),
    candidateGroups,
  };
}

/**
 * Waits for a person to complete the task; the variables they complete it with are written to the
 * channels of the same names (others stay in the node's output). A refused answer keeps it waiting.
 */
export const runUserTask: Executor = (context) => {
  const { node, channels } = context;
  // Its boundary events answer the same interrupt (a timer, a message): the first answer wins.
  const request = withBoundaryEvents(context, userTaskRequest(node, context.state));
  let answer: unknown = answerOrEvent(node, interrupt(request));
  for (let problem = validateAnswer(request.schema, answer); problem !== undefined; problem = validateAnswer(request.schema, answer)) {
    answer = answerOrEvent(node, interrupt({ ...request, rejected: problem }));
  }
  const update = Object.fromEntries(Object.entries(answer as Record<string, unknown>).filter(([key]) => channels.has(key)));
  return { update, output: answer };
};

type ServiceImplementation =
  | { kind: 'external'; topic: string }
  | { kind: 'http'; method: string; url: string; headers: Record<string, string>; body?: string }
  | { kind: 'expression'; expression: string }
  | { kind: 'code'; source: string; timeoutMs: number; memoryMb: number }
  | { kind: 'mcp'; server: McpServerConfig; tool: string; arguments: Record<string, string> }
  | { kind: 'flow'; flowId: string; inputs: Record<string, string>; outputs: Record<string, string> };

/** Writes a result to the task's result variable, or its variables to channels of the same names. */
function resultUpdate(node: NodeIR, result: unknown, asVariables: boolean): ExecutionResult {
  const resultVariable = node.config.resultVariable as string | undefined;
  if (resultVariable) return { update: { [resultVariable]: result }, output: result };
  if (!asVariables || result === undefined || result === null) return { update: {}, output: result };
  if (typeof result !== 'object' || Array.isArray(result)) {
    throw new NodeExecutionError(node.id, 'bpmn.result', `its result must be an object of variables when it has no resultVariable, not ${Array.isArray(result) ? 'a list' : typeof result}`, DETERMINISTIC);
  }
  return { update: result as Record<string, unknown>, output: result };
}

/** A service task draws no time limit of its own; a payment or mail API may take longer than agent.http's default 10 s. */
const SERVICE_HTTP_TIMEOUT_MS = 30_000;

async function runServiceHttp(context: ExecutionContext, implementation: Extract<ServiceImplementation, { kind: 'http' }>): Promise<ExecutionResult> {
  const { node, state } = context;
  const body = implementation.body === undefined ? undefined : JSON.stringify(evaluateFeel(implementation.body, state, node.id));
  // The request itself is agent.http's: the same network guard, size limit, retries and recording.
  const { update } = await runHttp({
    ...context,
    node: {
      ...node,
      config: {
        method: implementation.method,
        url: implementation.url,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...implementation.headers },
        ...(body === undefined ? {} : { body }),
        output: 'response',
        timeoutMs: SERVICE_HTTP_TIMEOUT_MS,
        retries: Number(node.config.retries ?? 0),
        allowHosts: [],
      },
    },
  });
  const response = update.response as HttpExchange;
  if (response.status >= 400) {
    throw new NodeExecutionError(node.id, 'http.status', `${implementation.method} ${implementation.url} answered HTTP ${response.status}`, { retryable: response.status >= 500 || response.status === 429 });
  }
  return resultUpdate(node, response.body, false);
}

export const runServiceTask: Executor = async (context) => {
  const { node, state, services, config } = context;
  const implementation = node.config.implementation as ServiceImplementation;
  switch (implementation.kind) {
    case 'expression':
      return resultUpdate(node, evaluateFeel(implementation.expression, state, node.id), false);
    case 'http':
      return runServiceHttp(context, implementation);
    case 'code':
      return resultUpdate(node, await inSandbox(context, implementation.source, implementation), true);
    case 'mcp':
      return resultUpdate(node, await callMcpTool(context, implementation.server, implementation.tool, implementation.arguments), false);
    case 'flow': {
      // The sub-flow machinery of agent.subflow and the call activity: depth limit, events, its own thread.
      const { flowId, inputs, outputs } = implementation;
      return runSubflow({ ...context, node: { ...node, config: { flowId, inputs, outputs } } });
    }
    case 'external': {
      const handler = services.serviceTasks?.[implementation.topic];
      if (!handler) {
        const known = Object.keys(services.serviceTasks ?? {});
        throw new NodeExecutionError(
          node.id,
          'bpmn.no_handler',
          `no handler is registered for job type "${implementation.topic}" (FlowRuntimeOptions.serviceTasks; registered: ${known.length > 0 ? known.map((name) => `"${name}"`).join(', ') : 'none'})`,
          DETERMINISTIC,
        );
      }
      return resultUpdate(node, await handler({ nodeId: node.id, type: implementation.topic, variables: state, signal: config.signal }), true);
    }
  }
};

/**
 * FEEL gives a value for the result variable; JavaScript runs in the code sandbox (as agent.code)
 * and returns the result variable's value, or else an object of variables to write.
 */
export const runScriptTask: Executor = async (context) => {
  const { node, state } = context;
  const { scriptFormat, script, timeoutMs, memoryMb } = node.config as { scriptFormat: 'javascript' | 'feel'; script: string; timeoutMs: number; memoryMb: number };
  if (scriptFormat === 'feel') {
    if (!node.config.resultVariable) throw new NodeExecutionError(node.id, 'bpmn.result', 'a FEEL script needs a resultVariable to write its value to', DETERMINISTIC);
    return resultUpdate(node, evaluateFeel(script, state, node.id), false);
  }
  return resultUpdate(node, await inSandbox(context, script, { timeoutMs, memoryMb }), true);
};

/** Runs JavaScript in the host's code sandbox (agent.code's), its failures named as the node's. */
async function inSandbox({ node, state, services }: ExecutionContext, source: string, limits: { timeoutMs: number; memoryMb: number }): Promise<unknown> {
  try {
    return await services.sandbox.run(source, state, { timeoutMs: limits.timeoutMs, memoryMb: limits.memoryMb });
  } catch (error) {
    if (error instanceof SandboxError) throw new NodeExecutionError(node.id, `sandbox.${error.reason}`, error.message);
    throw error;
  }
}

/**
 * A send task throws its message like a message throw event, with its correlation key and
 * payload; a host delivers it (the server, as `POST /api/messages` does).
 */
export const runSendTask: Executor = ({ node, state }) => {
  const { messageName, payload, correlationKey } = node.config as { messageName: string; payload?: string; correlationKey?: string };
  const value = payload === undefined ? undefined : evaluateFeel(payload, state, node.id);
  const key = correlationKey === undefined ? undefined : evaluateFeel(correlationKey, state, node.id);
  return { update: {}, output: { message: { name: messageName, ...(key === undefined || key === null ? {} : { correlationKey: String(key) }), ...(value === undefined ? {} : { payload: value }) } } };
};

/** Runs another stored process as a sub-flow, its variables mapped in and out as the activity says. */
export const runCallActivity: Executor = (context) => {
  const { calledElement, inputs, outputs } = context.node.config as { calledElement: string; inputs: Record<string, string>; outputs: Record<string, string> };
  return runSubflow({ ...context, node: { ...context.node, config: { flowId: calledElement, inputs, outputs } } });
};

/**
 * BPMN drawings this runtime cannot run, and why: refused when the flow is compiled, naming the
 * node, rather than left waiting forever or skipped.
 */
export const bpmnRefusals: Readonly<Record<string, (node: NodeIR) => string | undefined>> = {
  'bpmn.startEvent': (node) => {
    const { type } = eventOf(node);
    if (type === 'timer' && (node.config.eventDefinition as { value: string }).value.startsWith('=')) return 'a timer start event needs a literal ISO 8601 value: no variables exist before the process starts';
    return type === 'error' ? 'an error start event starts an event sub-process, which does not run yet; use a none, message, signal or timer start event' : undefined;
  },
  'bpmn.endEvent': escalationRefusal,
  'bpmn.intermediateThrowEvent': escalationRefusal,
  'bpmn.intermediateCatchEvent': (node) => {
    const definition = eventOf(node);
    return definition.type === 'timer' && definition.timerType === 'cycle' ? 'a cycle timer repeats, and an intermediate catch event waits once; use a duration or a date' : undefined;
  },
  'bpmn.businessRuleTask': (node) =>
    node.config.decision
      ? undefined
      : `it evaluates the DMN decision "${String(node.config.decisionRef)}", and Loomflow has no DMN engine; give the task its own decision rules (FEEL conditions and outputs) instead`,
  'bpmn.subProcess': (node) => (node.config.triggeredByEvent ? 'event sub-processes are not supported by this runtime yet' : undefined),
};
