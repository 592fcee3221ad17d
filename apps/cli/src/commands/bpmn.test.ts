import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli';
import { memoryIo } from '../memory-io';

const example = readFileSync(join(import.meta.dirname, '../../../../examples/bpmn/expense-approval.json'), 'utf8');
const agentFlow = JSON.stringify({ schemaVersion: 1, id: 'a', name: 'A', kind: 'agent', nodes: [], edges: [] });
const withAgentNode = JSON.stringify({
  schemaVersion: 1,
  id: 'mixed',
  name: 'Mixed',
  kind: 'bpmn',
  nodes: [
    { id: 'start', type: 'bpmn.startEvent', name: 'Start', position: { x: 100, y: 100 }, config: {} },
    { id: 'llm', type: 'agent.llm', position: { x: 300, y: 100 }, config: {} },
  ],
  edges: [],
});
const files = { 'expense.json': example, 'agent.json': agentFlow, 'mixed.json': withAgentNode, 'not-a-flow.json': '{"schemaVersion": 1}' };

async function bpmn(...args: string[]) {
  const { io, output, written } = memoryIo(files);
  const exitCode = await runCli(['bpmn', ...args], io);
  return { exitCode, ...output, written };
}

describe('loomflow bpmn export', () => {
  it('prints the XML on stdout and exits with 0', async () => {
    const { exitCode, stdout, stderr } = await bpmn('export', 'expense.json');
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<bpmn:definitions /);
    expect(stdout).toContain('<bpmn:participant id="pool" name="Expense approval" processRef="expense_approval" />');
    expect(stderr).toBe('');
  });

  it('writes the XML to the -o file', async () => {
    const { exitCode, stdout, stderr, written } = await bpmn('export', 'expense.json', '-o', 'out.bpmn');
    expect(exitCode).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toBe('wrote out.bpmn\n');
    expect(written['out.bpmn']).toContain('<bpmndi:BPMNDiagram');
  });

  it('names on stderr each node the XML cannot hold', async () => {
    const { exitCode, stderr } = await bpmn('export', 'mixed.json');
    expect(exitCode).toBe(0);
    expect(stderr).toBe('warning  node llm: type "agent.llm" has no BPMN element; it is not in the XML\n');
  });

  it('refuses agent flows, files that are not flow documents and missing files with 1', async () => {
    expect(await bpmn('export', 'agent.json')).toMatchObject({ exitCode: 1, stderr: 'loomflow: agent.json is an agent flow; only BPMN flows export to BPMN XML\n' });
    expect(await bpmn('export', 'not-a-flow.json')).toMatchObject({ exitCode: 1, stderr: expect.stringContaining('not-a-flow.json is not a valid flow') });
    expect(await bpmn('export', 'missing.json')).toMatchObject({ exitCode: 1, stderr: 'loomflow: cannot read missing.json: no such file\n' });
  });

  it('treats a missing or unknown action and a missing file as usage errors', async () => {
    expect((await bpmn()).exitCode).toBe(2);
    expect(await bpmn('frob', 'x.bpmn')).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('unknown action "frob"; expected import or export') });
    expect(await bpmn('import')).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('missing the BPMN file') });
    expect(await bpmn('export')).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('missing the flow file') });
  });

  it('prints its help', async () => {
    expect(await bpmn('--help')).toMatchObject({
      exitCode: 0,
      stdout: expect.stringMatching(/^Usage: loomflow bpmn import <file.bpmn> \[-o flow.json\]\n {7}loomflow bpmn export <flow.json> \[-o file.bpmn\]/),
    });
  });
});

describe('loomflow bpmn import', () => {
  const exported = async (): Promise<string> => (await bpmn('export', 'expense.json')).stdout;

  it('prints the flow document on stdout and the report on stderr', async () => {
    const { io, output } = memoryIo({ 'expense.bpmn': await exported() });
    expect(await runCli(['bpmn', 'import', 'expense.bpmn'], io)).toBe(0);
    const flow = JSON.parse(output.stdout) as { id: string; nodes: { id: string }[] };
    const original = JSON.parse(example) as { id: string; nodes: { id: string }[] };
    expect(flow.id).toBe(original.id);
    expect(flow.nodes.map((node) => node.id).sort()).toEqual(original.nodes.map((node) => node.id).sort());
    expect(output.stderr).toMatch(/^imported expense\.bpmn: \d+ elements, \d+ modelled, 0 kept without being modelled\n$/);
  });

  it('lists kept elements by id and writes the -o file', async () => {
    const xml =
      '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="urn:t"><process id="p"><startEvent id="start"/><complexGateway id="g"/><sequenceFlow id="f" sourceRef="start" targetRef="g"/></process></definitions>';
    const { io, output, written } = memoryIo({ 'odd.bpmn': xml });
    expect(await runCli(['bpmn', 'import', 'odd.bpmn', '-o', 'odd.json'], io)).toBe(0);
    expect(output.stdout).toBe('');
    expect(output.stderr).toContain('kept  g  bpmn:ComplexGateway  Loomflow has no bpmn:ComplexGateway; drawn as bpmn.inclusiveGateway, written back as it was\n');
    expect(output.stderr).toContain('warning  g: no DI shape; placed at 0,0\n');
    expect(output.stderr).toMatch(/wrote odd\.json\n$/);
    expect(JSON.parse(written['odd.json'] as string)).toMatchObject({ id: 'p', kind: 'bpmn' });
  });

  it('refuses a missing file and malformed XML with 1', async () => {
    const { io, output } = memoryIo({ 'bad.bpmn': '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p">' });
    expect(await runCli(['bpmn', 'import', 'bad.bpmn'], io)).toBe(1);
    expect(output.stderr).toMatch(/^loomflow: bad\.bpmn: not a readable BPMN 2\.0 document: .*line \d+, column \d+/);
    expect(await bpmn('import', 'missing.bpmn')).toMatchObject({ exitCode: 1, stderr: 'loomflow: cannot read missing.bpmn: no such file\n' });
  });
});
