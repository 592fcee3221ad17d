// Flows the runtime's tests share: the agent examples of examples/agent, and generated chains.
import type { FlowDocumentInput } from '@loomflow/graph-schema';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const at = { x: 0, y: 0 };

/** examples/agent/<name>.json, as stored. */
export function agentExample(name: string): FlowDocumentInput {
  return JSON.parse(readFileSync(join(import.meta.dirname, '../../../../examples/agent', `${name}.json`), 'utf8')) as FlowDocumentInput;
}

/** start → step0 … stepN-1 → end, each step adding 1 to `count`; all pure, so a normal run fuses them into one LangGraph step. */
export function chainFlow(length: number): FlowDocumentInput {
  const steps = Array.from({ length }, (_, index) => ({ id: `step${index}`, type: 'agent.assign', position: at, config: { assignments: [{ key: 'count', value: 'count + 1' }] } }));
  const ids = ['start', ...steps.map((step) => step.id), 'end'];
  return {
    schemaVersion: 1,
    id: 'chain',
    name: 'Chain',
    kind: 'agent',
    state: { channels: [{ name: 'count', type: 'number' }] },
    nodes: [{ id: 'start', type: 'agent.start', position: at }, ...steps, { id: 'end', type: 'agent.end', position: at }],
    edges: ids.slice(1).map((id, index) => ({ id: `e${index}`, source: ids[index] as string, target: id })),
  };
}
