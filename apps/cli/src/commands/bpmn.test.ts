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
    expect(await bpmn('import', 'x.bpmn')).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('unknown action "import"') });
    expect(await bpmn('export')).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('missing the flow file') });
  });

  it('prints its help', async () => {
    expect(await bpmn('--help')).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/^Usage: loomflow bpmn export <flow.json> \[-o file.bpmn\]/) });
  });
});
