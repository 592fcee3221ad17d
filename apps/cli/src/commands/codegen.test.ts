import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli';
import { memoryIo } from '../memory-io';

const examples = join(import.meta.dirname, '../../../../examples');
/** countersign with its approvers asked again and again (a standard loop), which code generation does not write out. */
const looping = JSON.parse(readFileSync(join(examples, 'bpmn/countersign.json'), 'utf8')) as { nodes: { id: string; config: Record<string, unknown> }[] };
for (const node of looping.nodes) if (node.id === 'countersign') node.config.loop = { type: 'standard', condition: 'approved = false', maxIterations: 3 };
const files = {
  'loop.json': readFileSync(join(examples, 'agent/loop-counter.json'), 'utf8'),
  'looping.json': JSON.stringify(looping),
  'invalid.json': readFileSync(join(examples, 'invalid/missing-start.json'), 'utf8'),
  'out/src/graph.ts': '// mine',
  '/flows/checkout.json': readFileSync(join(examples, 'agent/checkout-with-subflow.json'), 'utf8'),
  '/flows/code-and-template.json': readFileSync(join(examples, 'agent/code-and-template.json'), 'utf8'),
  '/alone/checkout.json': readFileSync(join(examples, 'agent/checkout-with-subflow.json'), 'utf8'),
};

async function codegen(...args: string[]) {
  const { io, output, written } = memoryIo(files);
  const exitCode = await runCli(['codegen', ...args], io);
  return { exitCode, ...output, written };
}

describe('loomflow codegen', () => {
  it('writes the project into the -o folder and lists each file on stderr', async () => {
    const { exitCode, stdout, stderr, written } = await codegen('loop.json', '-o', 'project');
    expect(exitCode).toBe(0);
    expect(stdout).toBe('');
    expect(Object.keys(written).sort()).toEqual(
      ['.env.example', '.gitignore', 'README.md', 'langgraph.json', 'package.json', 'src/graph.ts', 'src/helpers.ts', 'src/main.ts', 'src/nodes.ts', 'src/state.ts', 'tsconfig.json'].map((name) => join('project', name)),
    );
    expect(stderr).toContain(`wrote ${join('project', 'src/graph.ts')}\n`);
    expect(written[join('project', 'src/graph.ts')]).toContain('export const graph = builder.compile()');
    expect(written[join('project', 'src/graph.ts')]).not.toContain('@loomflow/');
    expect(JSON.parse(written[join('project', 'langgraph.json')] as string)).toMatchObject({ graphs: { 'loop-counter': './src/graph.ts:graph' } });
  });

  it('refuses a flow with a node it cannot write out, naming the node and why, and writes nothing', async () => {
    const { exitCode, stderr, written } = await codegen('looping.json', '-o', 'project');
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/^loomflow: looping\.json: node "countersign" cannot be written out as code: its standard loop marker .{20,}\n$/);
    expect(written).toEqual({});
  });

  it('writes the flow a sub-flow node runs, read from the flow file’s folder, as a graph of the project', async () => {
    const { exitCode, stderr, written } = await codegen('/flows/checkout.json', '-o', '/out/checkout');
    expect(stderr).not.toContain('loomflow:');
    expect(exitCode).toBe(0);
    expect(written['/out/checkout/src/flows/code-and-template/graph.ts']).toContain('export const graph = builder.compile()');
    expect(written['/out/checkout/src/nodes.ts']).toContain("import { graph as codeAndTemplateGraph } from './flows/code-and-template/graph.js';");
  });

  it('says where it looked for a sub-flow it cannot find, and writes nothing', async () => {
    const { exitCode, stderr, written } = await codegen('/alone/checkout.json', '-o', '/out/checkout');
    expect(exitCode).toBe(1);
    expect(stderr).toContain('loomflow: node "price-order" runs sub-flow "code-and-template": cannot read /alone/code-and-template.json: no such file');
    expect(written).toEqual({});
  });

  it('reports an invalid flow as validate does', async () => {
    const { exitCode, stderr } = await codegen('invalid.json', '-o', 'project');
    expect(exitCode).toBe(1);
    expect(stderr).toContain('invalid.json is not a valid flow');
    expect(stderr).toContain('missing-start');
  });

  it('replaces files already in the folder only with --force', async () => {
    const refused = await codegen('loop.json', '-o', 'out');
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toBe(`loomflow: ${join('out', 'src/graph.ts')} already exists; pass --force to replace it\n`);
    expect(refused.written).toEqual({});
    const forced = await codegen('loop.json', '-o', 'out', '--force');
    expect(forced.exitCode).toBe(0);
    expect(forced.written[join('out', 'src/graph.ts')]).toContain('StateGraph');
  });

  it('needs a flow file and -o', async () => {
    expect(await codegen()).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('missing the flow file') });
    expect(await codegen('loop.json')).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('missing -o <dir>') });
  });
});
