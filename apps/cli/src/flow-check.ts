import { flowDocumentSchema, hasErrors, validateFlow, type ValidationIssue } from '@loomflow/graph-schema';
import { formatIssueLine, formatSummary } from './format-issues';
import type { CliIo } from './io';

/**
 * Prints why a flow cannot run on stderr: the same issue lines as `validate` (each naming its node
 * or edge) and the summary. stdout is left for the run's result.
 */
export function reportInvalidFlow(io: CliIo, source: string, issues: readonly ValidationIssue[]): void {
  io.stderr(`loomflow: ${source} is not a valid flow:\n`);
  for (const issue of issues) io.stderr(`${formatIssueLine(issue)}\n`);
  io.stderr(`${formatSummary(issues, 'en')}\n`);
}

/** Validates a flow document; prints its issues and returns false when it has errors. */
export function checkFlow(io: CliIo, source: string, document: unknown): boolean {
  const issues = validateFlow(document);
  if (!hasErrors(issues)) return true;
  reportInvalidFlow(io, source, issues);
  return false;
}

/** The node ids of a flow that passed validation. */
export function flowNodeIds(document: unknown): ReadonlySet<string> {
  return new Set(flowDocumentSchema.parse(document).nodes.map((node) => node.id));
}
