import { describe, expect, it } from 'vitest';
import { createDefaultRegistry, formFieldsOfSchema, humanRequestSchema, readHumanRequest, type HumanRequest } from './index';

describe('human request', () => {
  const request: HumanRequest = { kind: 'human', nodeId: 'approve', prompt: 'Approve 40?', schema: { type: 'object' }, fields: [], assignee: 'ann', candidateGroups: ['finance'] };

  it('reads back what the agent.human executor writes, a refusal included', () => {
    expect(readHumanRequest(request)).toEqual(request);
    expect(readHumanRequest({ ...request, rejected: 'approved: must be boolean' })).toEqual({ ...request, rejected: 'approved: must be boolean' });
  });

  it('takes a request without candidate groups or a form (written before forms existed) as having none', () => {
    const parsed = humanRequestSchema.parse({ kind: 'human', nodeId: 'n', prompt: 'p', schema: { type: 'object' } });
    expect(parsed.candidateGroups).toEqual([]);
    expect(parsed.fields).toEqual([]);
  });

  it('finds none in a breakpoint payload or anything else', () => {
    expect(readHumanRequest({ next: ['a'] })).toBeUndefined();
    expect(readHumanRequest(undefined)).toBeUndefined();
    expect(readHumanRequest({ ...request, prompt: 7 })).toBeUndefined();
  });
});

describe('the form of an answer schema', () => {
  it('makes a labelled field of each property a form can hold, in order, marking the required ones', () => {
    const schema = {
      type: 'object',
      properties: {
        approved: { type: 'boolean', title: 'Approve the claim?' },
        amount: { type: 'integer', minimum: 0 },
        level: { type: 'string', enum: ['low', 'high'] },
        due: { type: 'string', format: 'date', title: ' ' },
        comment: { type: 'string' },
        lines: { type: 'array', items: { type: 'object' } },
        'not a channel': { type: 'string' },
      },
      required: ['approved', 'level'],
    };
    expect(formFieldsOfSchema(schema)).toEqual([
      { key: 'approved', label: 'Approve the claim?', type: 'boolean', required: true },
      { key: 'amount', label: 'amount', type: 'number', required: false },
      { key: 'level', label: 'level', type: 'enum', required: true, options: [{ value: 'low', label: 'low' }, { value: 'high', label: 'high' }] },
      { key: 'due', label: 'due', type: 'date', required: false },
      { key: 'comment', label: 'comment', type: 'string', required: false },
    ]);
  });

  it('is a form a BPMN user task takes as its own', () => {
    const fields = formFieldsOfSchema({ type: 'object', properties: { approved: { type: 'boolean' }, level: { enum: ['a', 'b'] } }, required: ['approved'] });
    const userTask = createDefaultRegistry().get('bpmn.userTask');
    expect(userTask?.configSchema.safeParse({ formFields: fields }).success).toBe(true);
  });

  it('has no fields for a schema without properties or for something else', () => {
    expect(formFieldsOfSchema({ type: 'object' })).toEqual([]);
    expect(formFieldsOfSchema(null)).toEqual([]);
    expect(formFieldsOfSchema({ type: 'object', properties: [] })).toEqual([]);
  });
});
