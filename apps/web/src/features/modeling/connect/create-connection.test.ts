import type { FlowDocument } from '@loomflow/graph-schema';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkExecuteUndoRedo } from '../../../testing/check-command';
import { testModelingContext } from '../../../testing/modeling-context';
import { createConnection } from './create-connection';

const context = testModelingContext();
beforeEach(() => setActivePinia(createPinia()));

function agentFlow(): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'triage',
    name: 'Triage',
    kind: 'agent',
    state: { channels: [] },
    nodes: [
      { id: 'start', type: 'agent.start', position: { x: 0, y: 0 }, config: {} },
      { id: 'end', type: 'agent.end', name: 'End', position: { x: 400, y: 0 }, config: {} },
    ],
    edges: [],
  };
}

describe('connection.create', () => {
  it('adds the edge with the ports graph-schema resolved', () => {
    const changes = checkExecuteUndoRedo(agentFlow(), createConnection(context, 'flow_1', { source: 'start', target: 'end' }), (flow) =>
      expect(flow.edges).toEqual([{ id: 'flow_1', source: 'start', target: 'end', sourcePort: 'out', targetPort: 'in' }]),
    );
    expect(changes.map((batch) => batch.map((change) => change.type))).toEqual([['edge.added'], ['edge.removed'], ['edge.added']]);
  });

  it("is refused with checkConnection's own reason, and for a taken id", () => {
    const backwards = createConnection(context, 'flow_1', { source: 'end', target: 'start' }).canExecute(agentFlow());
    expect(backwards).toMatchObject({ allowed: false, refusal: { code: 'connection', reason: { code: 'leaves-end', params: { node: 'end' } } } });
    expect(createConnection(context, 'start', { source: 'start', target: 'end' }).canExecute(agentFlow())).toEqual({ allowed: false, refusal: { code: 'id-taken' } });
  });
});
