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
  constructor(
    readonly nodeId: string,
    readonly code: string,
    message: string,
  ) {
    super(`node "${nodeId}": ${message}`);
  }
}
