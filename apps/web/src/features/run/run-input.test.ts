// @vitest-environment node
import type { FlowDocument } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { draftOfInput, initialDraft, readRawInput, readRunInput, runInputFields } from './run-input';

function flow(state: FlowDocument['state']): FlowDocument {
  return { schemaVersion: 1, id: 'f', name: 'F', kind: 'agent', state, nodes: [], edges: [] };
}

const typed = flow({
  channels: [
    { name: 'question', type: 'string', reducer: 'replace', default: '', description: 'What to ask' },
    { name: 'days', type: 'number', reducer: 'replace', default: 3 },
    { name: 'urgent', type: 'boolean', reducer: 'replace' },
    { name: 'order', type: 'object', reducer: 'replace', default: { lines: [] } },
    { name: 'answer', type: 'string', reducer: 'replace', default: '' },
  ],
  input: ['question', 'days', 'urgent', 'order'],
});

describe('the run input form', () => {
  it('has a field per input channel, by type, starting from the defaults', () => {
    expect(runInputFields(typed)).toEqual([
      { name: 'question', kind: 'text', description: 'What to ask' },
      { name: 'days', kind: 'number' },
      { name: 'urgent', kind: 'boolean' },
      { name: 'order', kind: 'json' },
    ]);
    expect(initialDraft(typed)).toEqual({ question: '', days: 3, urgent: false, order: '{\n  "lines": []\n}' });
  });

  it('without state.input, asks for the channels that have no default', () => {
    const open = flow({
      channels: [
        { name: 'messages', type: 'messages', reducer: 'messages' },
        { name: 'count', type: 'number', reducer: 'replace', default: 0 },
      ],
    });
    expect(runInputFields(open)).toEqual([{ name: 'messages', kind: 'json' }]);
  });

  it('reads the form into the input, leaving empty numbers and JSON to the defaults', () => {
    const fields = runInputFields(typed);
    expect(readRunInput(fields, { question: 'Why?', days: undefined, urgent: true, order: '  ' })).toEqual({ ok: true, input: { question: 'Why?', urgent: true } });
    expect(readRunInput(fields, { question: '', days: 2, urgent: false, order: '{"lines": [1]}' })).toEqual({
      ok: true,
      input: { question: '', days: 2, urgent: false, order: { lines: [1] } },
    });
  });

  it('says where a JSON field stops being JSON', () => {
    const read = readRunInput(runInputFields(typed), { order: '{\n  "lines": [1,,]\n}' });
    expect(read).toEqual({ ok: false, problems: { order: { kind: 'syntax', problem: { line: 2, column: 15, found: ',' } } } });
  });

  it('takes raw JSON only as an object, and carries it back into the form', () => {
    expect(readRawInput('[1]')).toEqual({ ok: false, problems: { raw: { kind: 'notAnObject' } } });
    expect(readRawInput('{"question": ')).toMatchObject({ ok: false, problems: { raw: { kind: 'syntax' } } });
    expect(readRawInput('')).toEqual({ ok: true, input: {} });
    expect(draftOfInput(runInputFields(typed), { question: 'Hi', days: 5, order: { lines: [] }, extra: 1 })).toEqual({
      question: 'Hi',
      days: 5,
      urgent: false,
      order: '{\n  "lines": []\n}',
    });
  });
});
