import { formatPath, type Locale, type Severity, type ValidationIssue } from '@loomflow/graph-schema';

/** What an issue is about: `node <id>`, `edge <id>`, or `flow` when it concerns the document as a whole. */
export function issueSubject(issue: ValidationIssue): string {
  const parts = [
    ...(issue.nodeId === undefined ? [] : [`node ${issue.nodeId}`]),
    ...(issue.edgeId === undefined ? [] : [`edge ${issue.edgeId}`]),
  ];
  return parts.length > 0 ? parts.join(' ') : 'flow';
}

/**
 * One line per issue, fields separated by two spaces: severity, code, subject, path, message. The
 * message may quote a multi-line FEEL expression, so its line breaks are folded into spaces.
 */
export function formatIssueLine(issue: ValidationIssue): string {
  const message = issue.message.replace(/\s*[\r\n]+\s*/g, ' ');
  return [issue.severity, issue.code, issueSubject(issue), formatPath(issue.path), message].join('  ');
}

const summaryTerms: Record<Locale, { count: (count: number, severity: Severity) => string; separator: string; none: string }> = {
  en: {
    count: (count, severity) => `${count} ${severity}${count === 1 ? '' : 's'}`,
    separator: ', ',
    none: 'no issues',
  },
  'zh-CN': {
    count: (count, severity) => `${count} 个${severity === 'error' ? '错误' : '警告'}`,
    separator: '，',
    none: '没有问题',
  },
};

/** `2 errors, 1 warning`, in the locale of the messages. */
export function formatSummary(issues: readonly ValidationIssue[], locale: Locale): string {
  const terms = summaryTerms[locale];
  if (issues.length === 0) return terms.none;
  const errors = issues.filter((issue) => issue.severity === 'error').length;
  return [terms.count(errors, 'error'), terms.count(issues.length - errors, 'warning')].join(terms.separator);
}
