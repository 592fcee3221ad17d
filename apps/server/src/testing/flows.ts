// Flow documents for tests and the benchmark, built in code so that sizes and delays can vary.
import type { FlowDocumentInput } from '@loomflow/graph-schema';

/**
 * start → step1 … stepN → end over one number channel `count`; each step adds 1. With `delayMs`,
 * the steps are code nodes that keep the sandbox busy that long (QuickJS has no timers), so a test
 * can act while a run is in the middle.
 */
export function chainFlow(id: string, steps: number, options: { delayMs?: number } = {}): FlowDocumentInput {
  const stepIds = Array.from({ length: steps }, (_, index) => `step${index + 1}`);
  const stepNode = (stepId: string, index: number) =>
    options.delayMs === undefined
      ? { id: stepId, type: 'agent.assign', name: `Step ${index + 1}`, position: { x: 200 + index * 150, y: 100 }, config: { assignments: [{ key: 'count', value: 'count + 1' }] } }
      : {
          id: stepId,
          type: 'agent.code',
          name: `Step ${index + 1}`,
          position: { x: 200 + index * 150, y: 100 },
          config: {
            language: 'javascript',
            source: `const until = Date.now() + ${options.delayMs}; while (Date.now() < until) {} return { count: state.count + 1 };`,
            timeoutMs: options.delayMs + 5000,
            memoryMb: 16,
          },
        };
  const nodeIds = ['start', ...stepIds, 'end'];
  return {
    schemaVersion: 1,
    id,
    name: `Chain of ${steps}`,
    kind: 'agent',
    state: { channels: [{ name: 'count', type: 'number', reducer: 'replace', default: 0 }], input: ['count'], output: ['count'] },
    nodes: [
      { id: 'start', type: 'agent.start', name: 'Start', position: { x: 50, y: 100 }, config: {} },
      ...stepIds.map(stepNode),
      { id: 'end', type: 'agent.end', name: 'End', position: { x: 200 + steps * 150, y: 100 }, config: {} },
    ],
    edges: nodeIds.slice(1).map((target, index) => ({ id: `e${index}`, source: nodeIds[index] as string, target })),
  };
}

/**
 * start → each (agent.map over `items`) → end: one worker run per item, `double` writing
 * `item * 2`, collected into `results`. Its one step is as wide as the list.
 */
export function mapFlow(id: string): FlowDocumentInput {
  const at = { x: 0, y: 0 };
  return {
    schemaVersion: 1,
    id,
    name: 'Map',
    kind: 'agent',
    state: {
      channels: [
        { name: 'items', type: 'array' },
        { name: 'item', type: 'number' },
        { name: 'doubled', type: 'number' },
        { name: 'results', type: 'array' },
      ],
      input: ['items'],
    },
    nodes: [
      { id: 'start', type: 'agent.start', position: at },
      { id: 'each', type: 'agent.map', position: at, config: { items: 'items', as: 'item', node: 'double', collect: 'results' } },
      { id: 'double', type: 'agent.assign', position: at, config: { assignments: [{ key: 'doubled', value: 'item * 2' }] } },
      { id: 'end', type: 'agent.end', position: at },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'each' },
      { id: 'e2', source: 'each', target: 'end' },
    ],
  };
}

/** start → ask (agent.human, group `reviewers`) → end; the answer `{ approved }` is written to state. */
export function approvalFlow(id: string): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id,
    name: 'Approval',
    kind: 'agent',
    state: { channels: [{ name: 'approved', type: 'boolean', reducer: 'replace', default: false }], output: ['approved'] },
    nodes: [
      { id: 'start', type: 'agent.start', name: 'Start', position: { x: 50, y: 100 }, config: {} },
      {
        id: 'ask',
        type: 'agent.human',
        name: 'Ask',
        position: { x: 200, y: 100 },
        config: {
          prompt: 'Approve?',
          schema: { type: 'object', properties: { approved: { type: 'boolean' } }, required: ['approved'] },
          assignee: 'ada',
          candidateGroups: ['reviewers'],
        },
      },
      { id: 'end', type: 'agent.end', name: 'End', position: { x: 350, y: 100 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'ask' },
      { id: 'e2', source: 'ask', target: 'end' },
    ],
  };
}

/** start → increment → check, looping back for ever (its condition always holds): a run without end. */
export function endlessLoopFlow(id: string): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id,
    name: 'Endless loop',
    kind: 'agent',
    state: { channels: [{ name: 'count', type: 'number', reducer: 'replace', default: 0 }] },
    // Far above any step limit a run reaches in a test: only the time limit can end it.
    recursionLimit: 1_000_000_000,
    nodes: [
      { id: 'start', type: 'agent.start', position: { x: 50, y: 100 }, config: {} },
      { id: 'increment', type: 'agent.assign', position: { x: 200, y: 100 }, config: { assignments: [{ key: 'count', value: 'count + 1' }] } },
      { id: 'check', type: 'agent.condition', position: { x: 350, y: 100 }, config: {} },
      { id: 'end', type: 'agent.end', position: { x: 500, y: 100 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'increment' },
      { id: 'e2', source: 'increment', target: 'check' },
      { id: 'e3', source: 'check', target: 'increment', condition: 'count > -1' },
      { id: 'e4', source: 'check', target: 'end', isDefault: true },
    ],
  };
}

/** start → produce (a code node returning `text` of `length` characters) → end. */
export function largeOutputFlow(id: string, length: number): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id,
    name: 'Large output',
    kind: 'agent',
    state: { channels: [{ name: 'text', type: 'string', reducer: 'replace', default: '' }] },
    nodes: [
      { id: 'start', type: 'agent.start', position: { x: 50, y: 100 }, config: {} },
      {
        id: 'produce',
        type: 'agent.code',
        position: { x: 200, y: 100 },
        config: { language: 'javascript', source: `return { text: 'x'.repeat(${length}) };`, timeoutMs: 10_000, memoryMb: 256 },
      },
      { id: 'end', type: 'agent.end', position: { x: 350, y: 100 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'produce' },
      { id: 'e2', source: 'produce', target: 'end' },
    ],
  };
}

/**
 * start → ask (agent.llm: `question` in, `answer` out) → end, the model given by the provider
 * named `credential` in the settings, with `model` (id `ask-<credential>`).
 */
export function askFlow(credential: string, model: Record<string, unknown> = { model: 'local-model' }): FlowDocumentInput {
  const at = { x: 0, y: 0 };
  return {
    schemaVersion: 1,
    id: `ask-${credential}`,
    name: 'Ask',
    kind: 'agent',
    state: { channels: [{ name: 'question', type: 'string' }, { name: 'answer', type: 'string' }], output: ['answer'] },
    nodes: [
      { id: 'start', type: 'agent.start', position: at },
      { id: 'ask', type: 'agent.llm', position: at, config: { model: { ...model, credential }, prompt: '{{question}}', output: 'answer' } },
      { id: 'end', type: 'agent.end', position: at },
    ],
    edges: [
      { id: 'e0', source: 'start', target: 'ask' },
      { id: 'e1', source: 'ask', target: 'end' },
    ],
  };
}
