import { describe, expect, it } from 'vitest';
import { humanRequestSchema, readHumanRequest, type HumanRequest } from './index';

describe('human request', () => {
  const request: HumanRequest = { kind: 'human', nodeId: 'approve', prompt: 'Approve 40?', schema: { type: 'object' }, assignee: 'ann', candidateGroups: ['finance'] };

  it('reads back what the agent.human executor writes, a refusal included', () => {
    expect(readHumanRequest(request)).toEqual(request);
    expect(readHumanRequest({ ...request, rejected: 'approved: must be boolean' })).toEqual({ ...request, rejected: 'approved: must be boolean' });
  });

  it('takes a request without candidate groups as having none', () => {
    expect(humanRequestSchema.parse({ kind: 'human', nodeId: 'n', prompt: 'p', schema: { type: 'object' } }).candidateGroups).toEqual([]);
  });

  it('finds none in a breakpoint payload or anything else', () => {
    expect(readHumanRequest({ next: ['a'] })).toBeUndefined();
    expect(readHumanRequest(undefined)).toBeUndefined();
    expect(readHumanRequest({ ...request, prompt: 7 })).toBeUndefined();
  });
});
