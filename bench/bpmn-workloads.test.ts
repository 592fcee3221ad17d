// The benchmark's workloads do what they claim, so `pnpm bench:bpmn` cannot measure processes that
// fail early or round trips that lose the diagram: both engines finish each order at the end event
// its score leads to, and both round trips keep every element of a generated diagram.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LibsqlSaver } from '@loomflow/checkpoint-libsql';
import { FlowRuntime } from '@loomflow/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bigOrder,
  countFlowElements,
  generatedDiagramXml,
  loomflowProcess,
  loomflowRoundTrip,
  loomflowServiceTasks,
  moddleRoundTrip,
  runBpmnEngine,
  runLoomflow,
  scoreOrder,
  smallOrder,
} from './bpmn-workloads';

let dir: string;
let saver: LibsqlSaver;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loomflow-bench-bpmn-test-'));
  saver = await LibsqlSaver.open(`file:${join(dir, 'runs.db')}`);
});
afterAll(async () => {
  await saver.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the process both engines run', () => {
  it('sends a big order to review and a small one to shipping', () => {
    expect(scoreOrder(bigOrder).score).toBeGreaterThan(1000);
    expect(scoreOrder(smallOrder).score).toBeLessThanOrEqual(1000);
  });

  it('finishes at the right end event in Loomflow, on LibsqlSaver, one after another and at once', async () => {
    const compiled = await loomflowProcess(new FlowRuntime({ checkpointer: saver, serviceTasks: loomflowServiceTasks }));
    expect(await runLoomflow(compiled, bigOrder, 'sync')).toBe('end_big');
    expect(await runLoomflow(compiled, smallOrder)).toBe('end_small');
    const together = await Promise.all(Array.from({ length: 10 }, (_, index) => runLoomflow(compiled, index % 2 === 0 ? bigOrder : smallOrder)));
    expect(together).toEqual(Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? 'end_big' : 'end_small')));
  });

  it('finishes at the right end event in bpmn-engine, one after another and at once', async () => {
    expect(await runBpmnEngine(bigOrder)).toBe('end_big');
    expect(await runBpmnEngine(smallOrder)).toBe('end_small');
    const together = await Promise.all(Array.from({ length: 10 }, (_, index) => runBpmnEngine(index % 2 === 0 ? bigOrder : smallOrder)));
    expect(together).toEqual(Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? 'end_big' : 'end_small')));
  });
});

describe('the generated diagrams', () => {
  it('keep every element through both round trips', async () => {
    const xml = generatedDiagramXml(200);
    // 200 nodes and the 199 sequence flows between them.
    expect(countFlowElements(xml)).toBe(399);
    expect(countFlowElements(await loomflowRoundTrip(xml))).toBe(399);
    expect(countFlowElements(await moddleRoundTrip(xml))).toBe(399);
    // Every element drawn: one DI shape or edge each.
    expect((await loomflowRoundTrip(xml)).match(/<bpmndi:BPMN(Shape|Edge)\b/g)).toHaveLength(399);
  });
});
