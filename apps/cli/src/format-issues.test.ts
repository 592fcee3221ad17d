import { validateFlow, type ValidationIssue } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { formatIssueLine, formatSummary, issueSubject } from './format-issues';

const at = { x: 0, y: 0 };
const orphanFlow = {
  schemaVersion: 1,
  id: 'orphan',
  name: 'Orphan',
  kind: 'agent',
  nodes: [
    { id: 'start', type: 'agent.start', position: at },
    { id: 'end', type: 'agent.end', position: at },
    { id: 'n7', type: 'agent.condition', position: at },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'end' },
    { id: 'e2', source: 'n7', target: 'end' },
  ],
};

function issue(overrides: Partial<ValidationIssue>): ValidationIssue {
  return { severity: 'error', code: 'schema', message: 'broken', path: [], params: {}, ...overrides };
}

describe('formatIssueLine', () => {
  it('names severity, code, node, path and message, two spaces apart', () => {
    const [unreachable] = validateFlow(orphanFlow);
    expect(formatIssueLine(unreachable as ValidationIssue)).toBe(
      'error  unreachable-node  node n7  nodes[2]  Node "n7" cannot be reached from the start',
    );
  });

  it('keeps each issue on one line even when the message quotes several lines', () => {
    const line = formatIssueLine(issue({ code: 'feel-syntax', edgeId: 'e1', message: 'does not parse: amount >\n  5000 and' }));
    expect(line).toBe('error  feel-syntax  edge e1  (document)  does not parse: amount > 5000 and');
  });
});

describe('issueSubject', () => {
  it('is the node, the edge, or the whole flow', () => {
    expect(issueSubject(issue({ nodeId: 'n1' }))).toBe('node n1');
    expect(issueSubject(issue({ edgeId: 'e1' }))).toBe('edge e1');
    expect(issueSubject(issue({}))).toBe('flow');
  });
});

describe('formatSummary', () => {
  const error = issue({});
  const warning = issue({ severity: 'warning', code: 'dead-end' });

  it('counts errors and warnings in English', () => {
    expect(formatSummary([error, error, warning], 'en')).toBe('2 errors, 1 warning');
    expect(formatSummary([error], 'en')).toBe('1 error, 0 warnings');
    expect(formatSummary([], 'en')).toBe('no issues');
  });

  it('counts errors and warnings in Chinese', () => {
    expect(formatSummary([error, warning, warning], 'zh-CN')).toBe('1 个错误，2 个警告');
    expect(formatSummary([], 'zh-CN')).toBe('没有问题');
  });
});
