// Flows the runtime's tests share: the agent examples of examples/agent, generated chains, and a
// flow around one LLM step.
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

type Channel = { name: string; type: 'string' | 'object' | 'array' | 'messages'; reducer?: 'messages' };

/** start → the one `step` → end, over `channels`. */
export function stepFlow(step: { id: string; type: string; config: Record<string, unknown> }, channels: Channel[]): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id: step.id,
    name: step.id,
    kind: 'agent',
    state: { channels },
    nodes: [{ id: 'start', type: 'agent.start', position: at }, { ...step, position: at }, { id: 'end', type: 'agent.end', position: at }],
    edges: [
      { id: 'e0', source: 'start', target: step.id },
      { id: 'e1', source: step.id, target: 'end' },
    ],
  };
}

/**
 * start → ask → end, where ask is an agent.llm with `llm` as its config (a model, a prompt of
 * `{{question}}` unless it gives one), over a question, a conversation and an answer channel.
 */
export function askFlow(llm: Record<string, unknown>, extraChannels: Channel[] = []): FlowDocumentInput {
  const channels: Channel[] = [{ name: 'question', type: 'string' }, { name: 'messages', type: 'messages', reducer: 'messages' }, { name: 'answer', type: 'string' }];
  return stepFlow({ id: 'ask', type: 'agent.llm', config: { prompt: '{{question}}', ...llm } }, [...channels, ...extraChannels]);
}
