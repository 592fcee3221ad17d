// Everything `run` checks before it opens a database, run in memory. Running flows is tested on the
// built CLI with a real database in src/run.int.test.ts.
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli';
import { memoryIo } from '../memory-io';

const at = { x: 0, y: 0 };
const node = (id: string, type: string, config: Record<string, unknown> = {}) => ({ id, type, position: at, config });
const edge = (id: string, source: string, target: string) => ({ id, source, target });
const flow = (id: string, nodes: unknown[], edges: unknown[]) =>
  JSON.stringify({ schemaVersion: 1, id, name: id, kind: 'agent', state: { channels: [{ name: 'count', type: 'number' }] }, nodes, edges });
const chain = (id: string, middle: ReturnType<typeof node>) =>
  flow(id, [node('start', 'agent.start'), middle, node('end', 'agent.end')], [edge('e1', 'start', middle.id), edge('e2', middle.id, 'end')]);
const subflowNode = (flowId: string) => node('call', 'agent.subflow', { flowId, inputs: { count: 'count' }, outputs: { count: 'count' } });

const files = {
  '/flows/count.json': chain('count', node('add', 'agent.assign', { assignments: [{ key: 'count', value: 'count + 1' }] })),
  '/flows/broken.json': flow('broken', [node('start', 'agent.start'), node('end', 'agent.end'), node('n7', 'agent.condition')], [edge('e1', 'start', 'end')]),
  '/flows/array-input.json': '[1, 2]',
  '/flows/broken.bpmn': '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p">',
  '/flows/parent.json': chain('parent', subflowNode('child')),
  '/flows/calls-broken.json': chain('calls-broken', subflowNode('broken')),
  '/flows/calls-misnamed.json': chain('calls-misnamed', subflowNode('misnamed')),
  '/flows/misnamed.json': chain('count', node('pass', 'agent.condition')),
  '/flows/calls-outside.json': chain('calls-outside', subflowNode('../count')),
  '/flows/deep.json': `{"schemaVersion": 1,\n"nodes": [{"config": ${'['.repeat(5000)}${']'.repeat(5000)}}]}`,
};

async function run(...args: string[]) {
  const { io, output } = memoryIo(files);
  const exitCode = await runCli(['run', ...args], io);
  return { exitCode, ...output };
}

describe('loomflow run, before anything runs', () => {
  it('prints its help on stdout with --help', async () => {
    const { exitCode, stdout, stderr } = await run('--help');
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Usage: loomflow run <flow.json|file.bpmn>');
    expect(stdout).toContain('--flows-dir DIR');
    expect(stderr).toBe('');
  });

  it.each([
    [[], /missing the flow file to run/],
    [['/flows/count.json', '/flows/parent.json'], /expected one flow file, got 2/],
    [['/flows/count.json', '--input', '{}', '--input-file', 'input.json'], /--input or --input-file, not both/],
    [['/flows/count.json', '--thread', ''], /--thread must not be empty/],
    [['/flows/count.json', '--watch'], /Unknown option '--watch'/],
    [['/flows/count.json', '--input'], /--input/],
    [['/flows/count.json', '--breakpoint-before', 'add,nowhere'], /--breakpoint-before names "nowhere", which the flow has no node for/],
  ])('treats %j as a usage error with exit code 2', async (args, problem) => {
    const { exitCode, stdout, stderr } = await run(...args);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(problem);
    expect(stderr).toContain('Usage: loomflow run <flow.json|file.bpmn>');
  });

  it('refuses JSON nested deeper than 64 levels before parsing it, in a file or in --input', async () => {
    expect(await run('/flows/deep.json')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'loomflow: /flows/deep.json nests objects and arrays more than 64 levels deep, at line 2, column 83\n',
    });
    const deepInput = await run('/flows/count.json', '--input', `{"a":${'{"a":'.repeat(5000)}1${'}'.repeat(5001)}`);
    expect(deepInput).toEqual({ exitCode: 1, stdout: '', stderr: 'loomflow: --input nests objects and arrays more than 64 levels deep (at column 321)\n' });
  });

  it('reports a missing flow file with exit code 1', async () => {
    expect(await run('/flows/none.json')).toEqual({ exitCode: 1, stdout: '', stderr: 'loomflow: cannot read /flows/none.json: no such file\n' });
  });

  it('imports a .bpmn file first, and refuses one that is not BPMN XML with exit code 1', async () => {
    const { exitCode, stdout, stderr } = await run('/flows/broken.bpmn');
    expect(exitCode).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^loomflow: \/flows\/broken\.bpmn: not a readable BPMN 2\.0 document: .*line \d+, column \d+/);
  });

  it('prints every issue of an invalid flow on stderr, naming the node, with exit code 1', async () => {
    const { exitCode, stdout, stderr } = await run('/flows/broken.json');
    expect(exitCode).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('loomflow: /flows/broken.json is not a valid flow:\n');
    expect(stderr).toContain('error  unreachable-node  node n7  nodes[2]  Node "n7" cannot be reached from the start\n');
    expect(stderr).toMatch(/1 error, 1 warning\n$/);
  });

  it.each([
    [['--input', '{count: 1}'], "loomflow: --input is not valid JSON: Expected property name or '}' at column 2\n"],
    [['--input', '[1]'], 'loomflow: --input must be a JSON object of channel values, not an array\n'],
    [['--input', '"one"'], 'loomflow: --input must be a JSON object of channel values, not a string\n'],
    [['--input-file', '/flows/none.json'], 'loomflow: cannot read /flows/none.json: no such file\n'],
    [['--input-file', '/flows/array-input.json'], 'loomflow: /flows/array-input.json must be a JSON object of channel values, not an array\n'],
  ])('refuses the input %j with exit code 1', async (args, message) => {
    expect(await run('/flows/count.json', ...args)).toEqual({ exitCode: 1, stdout: '', stderr: message });
  });

  it('looks for sub-flows next to the flow file, and says where it looked', async () => {
    const { exitCode, stderr } = await run('/flows/parent.json');
    expect(exitCode).toBe(1);
    expect(stderr).toBe(
      'loomflow: node "call" runs sub-flow "child": cannot read /flows/child.json: no such file (sub-flows are read from --flows-dir, by default the flow file\'s folder)\n',
    );
  });

  it('refuses a sub-flow that is invalid, that holds another flow, or whose id is not a file name', async () => {
    const broken = await run('/flows/calls-broken.json');
    expect(broken.exitCode).toBe(1);
    expect(broken.stderr).toContain('loomflow: sub-flow /flows/broken.json is not a valid flow:\nerror  unreachable-node  node n7');

    expect(await run('/flows/calls-misnamed.json')).toMatchObject({
      exitCode: 1,
      stderr: 'loomflow: node "call" runs sub-flow "misnamed", but /flows/misnamed.json holds the flow "count"\n',
    });
    expect((await run('/flows/calls-outside.json')).stderr).toMatch(/sub-flow "..\/count", which is not a file name/);
  });
});

describe('loomflow resume and state, before anything runs', () => {
  it.each([
    [['resume'], /missing --thread/, 'Usage: loomflow resume --thread ID'],
    [['resume', 'thread-1'], /Unexpected argument 'thread-1'/, 'Usage: loomflow resume --thread ID'],
    [['resume', '--thread', 't', '--value'], /--value/, 'Usage: loomflow resume --thread ID'],
    [['state'], /missing --thread/, 'Usage: loomflow state --thread ID'],
    [['state', '--thread', 't', '--all'], /Unknown option '--all'/, 'Usage: loomflow state --thread ID'],
  ])('treats %j as a usage error with exit code 2', async (argv, problem, usage) => {
    const { io, output } = memoryIo();
    expect(await runCli(argv, io)).toBe(2);
    expect(output.stderr).toMatch(problem);
    expect(output.stderr).toContain(usage);
  });

  it('refuses a --value that is not JSON with exit code 1', async () => {
    const { io, output } = memoryIo();
    expect(await runCli(['resume', '--thread', 't', '--value', '{"approved": yes}'], io)).toBe(1);
    expect(output.stderr).toBe("loomflow: --value is not valid JSON: Unexpected token 'y' at column 14\n");
  });

  it.each([['resume'], ['state']])('prints the help of %s on stdout', async (name) => {
    const { io, output } = memoryIo();
    expect(await runCli([name, '--help'], io)).toBe(0);
    expect(output.stdout).toContain(`Usage: loomflow ${name} --thread ID`);
  });
});
