import { formatPath, type ValidationIssue } from '@loomflow/graph-schema';

/** The flow did not pass validateFlow; nothing was run. */
export class FlowInvalidError extends Error {
  override readonly name = 'FlowInvalidError';
  constructor(readonly issues: readonly ValidationIssue[]) {
    const errors = issues.filter((issue) => issue.severity === 'error');
    super(
      `the flow is invalid (${errors.length} error${errors.length === 1 ? '' : 's'}):\n` +
        errors.map((issue) => `  ${issue.nodeId ?? issue.edgeId ?? formatPath(issue.path)}: ${issue.message}`).join('\n'),
    );
  }
}

/**
 * A node failed while running. `code` is stable for programs (`feel`, `template`, `sandbox`,
 * `http`, `route`, `answer`, …); the message is for people and names the node.
 */
export class NodeExecutionError extends Error {
  override readonly name = 'NodeExecutionError';
  /** Whether trying again may succeed; a node's retry policy never retries a deterministic failure. */
  readonly retryable: boolean;
  constructor(
    readonly nodeId: string,
    readonly code: string,
    message: string,
    options: { readonly retryable?: boolean } = {},
  ) {
    super(`node "${nodeId}": ${message}`);
    this.retryable = options.retryable ?? true;
  }
}

/** For failures that the same input always causes again (a bad expression, a refused URL). */
export const DETERMINISTIC = { retryable: false } as const;

/**
 * A BPMN error: thrown by an error end event or a service task's handler, caught by an error
 * boundary event whose code matches (or that names none), else it fails the run. A business
 * outcome, so it is never retried.
 */
export class BpmnError extends NodeExecutionError {
  constructor(
    nodeId: string,
    readonly errorCode: string | undefined,
    message: string,
  ) {
    super(nodeId, 'bpmn.error', message, DETERMINISTIC);
  }
}

/**
 * An escalation thrown inside a sub-process towards the interrupting escalation boundary event
 * that catches it on a sub-process around (`boundary`). It passes every other node's error
 * handling (an error boundary catches errors, not escalations) and is never retried.
 */
export class EscalationThrown extends NodeExecutionError {
  constructor(
    nodeId: string,
    readonly escalationCode: string | undefined,
    readonly boundary: string,
    message: string,
  ) {
    super(nodeId, 'bpmn.escalation', message, DETERMINISTIC);
  }
}

/**
 * The same failure as a new error object, for an error handler that catches nothing: LangGraph
 * counts the very error it routed to a handler as handled, and would let the run complete.
 */
export function sameFailure(error: Error): Error {
  if (!(error instanceof NodeExecutionError)) return new Error(error.message, { cause: error });
  const detail = error.message.replace(`node "${error.nodeId}": `, '');
  if (error instanceof EscalationThrown) return new EscalationThrown(error.nodeId, error.escalationCode, error.boundary, detail);
  return error instanceof BpmnError ? new BpmnError(error.nodeId, error.errorCode, detail) : new NodeExecutionError(error.nodeId, error.code, detail, { retryable: error.retryable });
}

/** The first error of `type` in `error` or its causes: clients (undici, the model SDKs) wrap what failed inside them. */
export function causeOf<Found extends Error>(error: unknown, type: abstract new (...args: never[]) => Found): Found | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof type) return current;
  }
  return undefined;
}

/**
 * An error's message with those of its causes (up to three), each once: undici's "fetch failed"
 * says why (refused, not found) only in its cause, and a connection refused on every address of a
 * name is an AggregateError without a message, known by its code.
 */
export function messageWithCauses(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; current instanceof Error && parts.length < 3; current = current.cause) {
    const text = current.message || ((current as NodeJS.ErrnoException).code ?? '');
    if (text !== '' && !parts.some((part) => part.includes(text))) parts.push(text);
  }
  return parts.length > 0 ? parts.join(': ') : String(error);
}
