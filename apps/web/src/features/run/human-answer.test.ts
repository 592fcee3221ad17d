// @vitest-environment node
import { readHumanRequest, type HumanRequest } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { initialAnswerDraft, keysWithoutField, readAnswer } from './human-answer';

const request = readHumanRequest({
  kind: 'human',
  nodeId: 'review',
  prompt: 'Check the order',
  schema: {
    type: 'object',
    properties: { ok: { type: 'boolean' }, note: { type: 'string' }, due: { type: 'string', format: 'date' }, lines: { type: 'array' } },
  },
  fields: [
    { key: 'ok', label: 'OK', type: 'boolean', required: true },
    { key: 'note', label: 'Note', type: 'string' },
    { key: 'due', label: 'Due', type: 'date' },
  ],
}) as HumanRequest;

describe('the answer to a human step', () => {
  it('has a field per form field and a JSON box for the schema properties without one', () => {
    expect(initialAnswerDraft(request)).toEqual({ ok: false, note: '', due: '' });
    expect(keysWithoutField(request)).toEqual(['lines']);
  });

  it('starts from the defaults the schema gives, when they fit the field', () => {
    const withDefaults = readHumanRequest({
      ...request,
      schema: { type: 'object', properties: { ok: { type: 'boolean', default: true }, note: { type: 'string', default: 7 }, due: { type: 'string', default: '2030-01-01' } } },
    });
    expect(withDefaults && initialAnswerDraft(withDefaults)).toEqual({ ok: true, note: '', due: '2030-01-01' });
  });

  it('sends text even when empty, leaves out an empty date, and merges the JSON box', () => {
    expect(readAnswer(request, { ok: true, note: '', due: '' }, '{"lines": [1]}')).toEqual({ ok: true, value: { lines: [1], ok: true, note: '' } });
    expect(readAnswer(request, { ok: false, note: 'x', due: '2030-01-15' }, '')).toEqual({ ok: true, value: { ok: false, note: 'x', due: '2030-01-15' } });
  });

  it('refuses a JSON box that is not a JSON object', () => {
    expect(readAnswer(request, {}, '[1]')).toEqual({ ok: false, problem: { kind: 'notAnObject' } });
    expect(readAnswer(request, {}, '{"lines": ')).toMatchObject({ ok: false, problem: { kind: 'syntax', problem: { line: 1 } } });
  });
});
