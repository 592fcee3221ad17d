// Which config field a validation issue belongs to: the key its path names right after the node's
// `config`, so the message shows on the field that causes it rather than only in the problems list.
import type { ValidationIssue } from '@loomflow/graph-schema';

/** The first error (else warning) of each top-level config key of a node, already in the reader's language. */
export function configErrorsOf(issues: readonly ValidationIssue[], nodeId: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const ranked = [...issues].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  for (const issue of ranked) {
    if (issue.nodeId !== nodeId) continue;
    const at = issue.path.indexOf('config');
    const key = at >= 0 ? issue.path[at + 1] : undefined;
    if (typeof key === 'string' && errors[key] === undefined) errors[key] = issue.message;
  }
  return errors;
}
