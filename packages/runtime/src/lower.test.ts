import type { FlowDocumentInput } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { lowerFlow } from './lower';

const box = { width: 100, height: 80 };
const node = (id: string, type: string, parent?: string) => ({ id, type, name: id, position: { x: 0, y: 0 }, size: box, ...(parent ? { parent } : {}), config: {} });

/** One process in a pool with a lane; the work is a sub-process with a start of its own. */
function pooledProcess(pools: number): FlowDocumentInput {
  const nodes = [];
  const edges = [];
  for (let index = 1; index <= pools; index += 1) {
    const [pool, lane, start, work, inner, innerEnd, end] = ['pool', 'lane', 'start', 'work', 'inner', 'inner-end', 'end'].map((name) => `${name}${index}`) as [string, string, string, string, string, string, string];
    nodes.push(node(pool, 'bpmn.pool'), node(lane, 'bpmn.lane', pool), node(start, 'bpmn.startEvent', lane), node(work, 'bpmn.subProcess', lane));
    nodes.push(node(inner, 'bpmn.startEvent', work), node(innerEnd, 'bpmn.endEvent', work), node(end, 'bpmn.endEvent', lane));
    edges.push({ id: `to-work${index}`, source: start, target: work }, { id: `inside${index}`, source: inner, target: innerEnd }, { id: `to-end${index}`, source: work, target: end });
  }
  return { schemaVersion: 1, id: 'pooled', name: 'Pooled', kind: 'bpmn', nodes, edges };
}

describe('the entry of a lowered flow', () => {
  it("is the process's start in its pool's lane, not a sub-process's start", () => {
    expect(lowerFlow(pooledProcess(1)).entry).toBe('start1');
  });

  it('is none for a collaboration of several processes, each with its own start', () => {
    expect(lowerFlow(pooledProcess(2)).entry).toBeUndefined();
  });
});
