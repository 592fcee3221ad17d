import { describe, expect, it } from 'vitest';
import { runCli } from '../cli';
import { memoryIo } from '../memory-io';

const at = { x: 0, y: 0 };
const node = (id: string, type: string, config: Record<string, unknown> = {}) => ({ id, type, position: at, config });
const edge = (id: string, source: string, target: string, extra: Record<string, unknown> = {}) => ({ id, source, target, ...extra });
const flow = (nodes: unknown[], edges: unknown[]) =>
  JSON.stringify({ schemaVersion: 1, id: 'test', name: 'Test', kind: 'agent', nodes, edges }, null, 2);

const bpmn = (body: string) =>
  `<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="urn:t"><process id="p" isExecutable="true">${body}</process></definitions>`;
const files = {
  'process.bpmn': bpmn('<startEvent id="start"/><sequenceFlow id="f" sourceRef="start" targetRef="end"/><endEvent id="end"/>'),
  // A message catch that names no message: drawn, but not yet something that runs.
  'waiting.bpmn': bpmn(
    '<startEvent id="start"/><sequenceFlow id="f1" sourceRef="start" targetRef="wait"/><intermediateCatchEvent id="wait"><messageEventDefinition/></intermediateCatchEvent><sequenceFlow id="f2" sourceRef="wait" targetRef="end"/><endEvent id="end"/>',
  ),
  'broken.bpmn': bpmn('<startEvent id="start">'),
  'valid.json': flow([node('start', 'agent.start'), node('end', 'agent.end')], [edge('e1', 'start', 'end')]),
  'broken.json': flow(
    [node('start', 'agent.start'), node('end', 'agent.end'), node('n7', 'agent.condition')],
    [edge('e1', 'start', 'end'), edge('e2', 'n7', 'end'), edge('e3', 'start', 'ghost')],
  ),
  'warning.json': flow(
    [node('start', 'agent.start'), node('check', 'agent.condition'), node('stuck', 'agent.condition'), node('end', 'agent.end')],
    [edge('e1', 'start', 'check'), edge('e2', 'check', 'end', { isDefault: true }), edge('e3', 'check', 'stuck', { condition: 'true' })],
  ),
  'not-json.json': '{\n  "schemaVersion": 1\n  "id": "x"\n}\n',
  'bom.json': `\uFEFF${flow([node('start', 'agent.start'), node('end', 'agent.end')], [edge('e1', 'start', 'end')])}`,
};

async function validate(...args: string[]) {
  const { io, output } = memoryIo(files);
  const exitCode = await runCli(['validate', ...args], io);
  return { exitCode, ...output };
}

describe('loomflow validate', () => {
  it('prints nothing but the summary for a valid flow and exits with 0', async () => {
    expect(await validate('valid.json')).toEqual({ exitCode: 0, stdout: '', stderr: 'no issues\n' });
  });

  it('prints one line per issue naming the node or edge, and exits with 1 on errors', async () => {
    const { exitCode, stdout, stderr } = await validate('broken.json');
    expect(exitCode).toBe(1);
    expect(stdout.split('\n').filter(Boolean)).toEqual([
      'error  edge-missing-node  edge e3  edges[2].target  Edge "e3" has its target at node "ghost", which does not exist',
      'error  unreachable-node  node n7  nodes[2]  Node "n7" cannot be reached from the start',
    ]);
    expect(stderr).toBe('2 errors, 0 warnings\n');
  });

  it('exits with 0 when there are warnings only', async () => {
    const { exitCode, stdout, stderr } = await validate('warning.json');
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^warning {2}dead-end {2}node stuck {2}/);
    expect(stderr).toBe('0 errors, 1 warning\n');
  });

  it('prints { ok, issues } as JSON with --format json', async () => {
    const { exitCode, stdout } = await validate('broken.json', '--format', 'json');
    expect(exitCode).toBe(1);
    const result = JSON.parse(stdout) as { ok: boolean; issues: { code: string; nodeId?: string; edgeId?: string }[] };
    expect(result.ok).toBe(false);
    expect(result.issues).toMatchObject([{ code: 'edge-missing-node', edgeId: 'e3' }, { code: 'unreachable-node', nodeId: 'n7' }]);
    expect(JSON.parse((await validate('warning.json', '--format=json')).stdout)).toMatchObject({ ok: true });
  });

  it('speaks Chinese with --locale zh-CN', async () => {
    const { stdout, stderr } = await validate('broken.json', '--locale', 'zh-CN');
    expect(stdout).toContain('从开始节点无法到达节点 "n7"');
    expect(stderr).toBe('2 个错误，0 个警告\n');
  });

  it('reports a file that is not JSON with the line and column, and exits with 1', async () => {
    const { exitCode, stdout, stderr } = await validate('not-json.json');
    expect(exitCode).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      "loomflow: not-json.json is not valid JSON: Expected ',' or '}' after property value at line 3, column 3\n",
    );
  });

  it('accepts a file that starts with a byte-order mark', async () => {
    expect((await validate('bom.json')).exitCode).toBe(0);
  });

  it('reports a missing file and exits with 1', async () => {
    expect(await validate('nowhere.json')).toEqual({ exitCode: 1, stdout: '', stderr: 'loomflow: cannot read nowhere.json: no such file\n' });
  });

  it('imports a .bpmn file first and validates the flow it gives', async () => {
    const { exitCode, stdout, stderr } = await validate('process.bpmn');
    expect(exitCode).toBe(0);
    expect(stdout).toBe('');
    // 5 elements: the definitions, the process, two events and the flow; none of them drawn.
    expect(stderr).toBe(
      'imported process.bpmn: 5 elements, 5 modelled, 0 kept without being modelled\n' +
        'warning  start: no DI shape; placed at 0,0\nwarning  end: no DI shape; placed at 0,0\nwarning  f: no DI edge; drawn straight\nno issues\n',
    );
  });

  it('names the node of an imported flow that would not run, and reports malformed XML with its position', async () => {
    const waiting = await validate('waiting.bpmn');
    expect(waiting.exitCode).toBe(1);
    expect(waiting.stdout).toMatch(/error {2}invalid-config {2}node wait/);
    const broken = await validate('broken.bpmn');
    expect(broken.exitCode).toBe(1);
    expect(broken.stderr).toMatch(/^loomflow: broken\.bpmn: not a readable BPMN 2\.0 document: .*line \d+, column \d+/);
  });

  it.each([
    [[], /missing the flow file/],
    [['valid.json', 'broken.json'], /expected one flow file, got 2/],
    [['valid.json', '--strict'], /Unknown option '--strict'/],
    [['valid.json', '--locale', 'fr'], /--locale must be one of en, zh-CN, not "fr"/],
    [['valid.json', '--format', 'xml'], /--format must be one of text, json, not "xml"/],
    [['valid.json', '--format'], /--format/],
  ])('rejects the arguments %j as a usage error with exit code 2', async (args, problem) => {
    const { exitCode, stdout, stderr } = await validate(...args);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(problem);
    expect(stderr).toContain('Usage: loomflow validate <flow.json|file.bpmn>');
  });

  it('prints its help on stdout with --help', async () => {
    const { exitCode, stdout, stderr } = await validate('--help');
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Usage: loomflow validate <flow.json|file.bpmn> [--locale en|zh-CN] [--format text|json]');
    expect(stderr).toBe('');
  });
});
