import type { FlowDocument } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { flowTemplates } from '../features/templates/flow-templates';
import { flowToJson, isJsonFile, parseFlowFile } from './flow-file-io';
import { createSampleFlow } from './sample-flow';

function smallFlow(): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'triage',
    name: 'Triage',
    kind: 'agent',
    state: { channels: [{ name: 'question', type: 'string', reducer: 'replace' }] },
    nodes: [
      { id: 'start', type: 'agent.start', position: { x: 0, y: 0 }, config: {} },
      { id: 'end', type: 'agent.end', position: { x: 200, y: 0 }, config: {} },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'end' }],
  };
}

describe('exporting flow JSON', () => {
  const flows = [...flowTemplates.map((template) => template.flow), createSampleFlow((key) => key), smallFlow()];

  it.each(flows.map((flow) => [flow.id, flow] as const))('%s reads back as an equal document', (_id, flow) => {
    const text = flowToJson(flow);
    expect(JSON.parse(text)).toEqual(flow);
    const read = parseFlowFile(text, 'en');
    expect(read).toEqual({ ok: true, flow });
  });

  it('writes the document exactly, pretty-printed, ending with a newline', () => {
    expect(flowToJson(smallFlow())).toBe(`${JSON.stringify(smallFlow(), null, 2)}\n`);
  });
});

describe('reading a flow file', () => {
  it('fills in defaults of fields a hand-written file leaves out', () => {
    const read = parseFlowFile(JSON.stringify({ schemaVersion: 1, id: 'tiny', name: 'Tiny', kind: 'bpmn', nodes: [] }), 'en');
    expect(read).toEqual({ ok: true, flow: { schemaVersion: 1, id: 'tiny', name: 'Tiny', kind: 'bpmn', state: { channels: [] }, nodes: [], edges: [] } });
  });

  it('names the line and column where the JSON breaks, and what is found there', () => {
    const text = '{\n  "schemaVersion": 1,\n  "name": "Broken",\n}\n';
    expect(parseFlowFile(text, 'en')).toEqual({ ok: false, problem: { kind: 'syntax', line: 4, column: 1, found: '}' } });
    expect(parseFlowFile('{"nodes": [,]}', 'en')).toEqual({ ok: false, problem: { kind: 'syntax', line: 1, column: 12, found: ',' } });
  });

  it('says so when the text ends too early', () => {
    expect(parseFlowFile('', 'en')).toEqual({ ok: false, problem: { kind: 'syntax', line: 1, column: 1 } });
    expect(parseFlowFile('{\n  "name": "Cut', 'en')).toEqual({ ok: false, problem: { kind: 'syntax', line: 2, column: 15 } });
  });

  it('reads a file that starts with a byte-order mark', () => {
    expect(parseFlowFile(`\uFEFF${flowToJson(smallFlow())}`, 'en')).toEqual({ ok: true, flow: smallFlow() });
  });

  it('names each wrong field by its path, in the reader language', () => {
    const broken = { ...smallFlow(), kind: 'workflow', nodes: [{ id: 'start', type: 'agent.start', position: { x: 'left', y: 0 } }] };
    const english = parseFlowFile(JSON.stringify(broken), 'en');
    const chinese = parseFlowFile(JSON.stringify(broken), 'zh-CN');
    if (english.ok || chinese.ok || english.problem.kind !== 'schema' || chinese.problem.kind !== 'schema') throw new Error('the file was accepted');
    expect(english.problem.messages).toHaveLength(2);
    expect(english.problem.messages[0]).toMatch(/^kind: .*"agent"/);
    expect(english.problem.messages[1]).toMatch(/^nodes\[0\]\.position\.x: .*number/);
    expect(chinese.problem.messages[0]).toMatch(/^kind：/);
    expect(chinese.problem.messages[1]).toMatch(/^nodes\[0\]\.position\.x：.*(数字|number)/);
    expect(chinese.problem.messages[1]).not.toBe(english.problem.messages[1]);
  });

  it('words graph-schema’s own rules in the reader language too, as zod cannot', () => {
    const text = JSON.stringify({ ...smallFlow(), id: '_triage' });
    expect(parseFlowFile(text, 'en')).toEqual({
      ok: false,
      problem: { kind: 'schema', messages: ['id: must be URL-safe: letters, digits, "_" or "-", not starting with "_" or "-"'] },
    });
    expect(parseFlowFile(text, 'zh-CN')).toEqual({
      ok: false,
      problem: { kind: 'schema', messages: ['id：必须可用于 URL：只能包含字母、数字、"_" 或 "-"，且不能以 "_" 或 "-" 开头'] },
    });
  });

  it('refuses JSON that is not an object of the flow shape at all', () => {
    expect(parseFlowFile('[1, 2, 3]', 'en')).toEqual({ ok: false, problem: { kind: 'schema', messages: [expect.stringMatching(/^\(document\): /) as unknown] } });
  });

  it('refuses ids used twice, which no edit could cope with', () => {
    const flow = smallFlow();
    const read = parseFlowFile(JSON.stringify({ ...flow, edges: [{ id: 'end', source: 'start', target: 'end' }] }), 'en');
    expect(read).toEqual({ ok: false, problem: { kind: 'schema', messages: [expect.stringContaining('Id "end" is used by more than one element') as unknown] } });
  });
});

describe('isJsonFile', () => {
  it('knows JSON by its type or its name', () => {
    expect(isJsonFile(new File(['{}'], 'flow.json'))).toBe(true);
    expect(isJsonFile(new File(['{}'], 'FLOW.JSON'))).toBe(true);
    expect(isJsonFile(new File(['{}'], 'download', { type: 'application/json' }))).toBe(true);
    expect(isJsonFile(new File(['<definitions/>'], 'process.bpmn', { type: 'application/xml' }))).toBe(false);
  });
});
