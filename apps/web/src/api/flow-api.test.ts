import type { FlowDocument } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { createLocalFlowApi } from './flow-api';

const flow: FlowDocument = {
  schemaVersion: 1,
  id: 'greeter',
  name: 'Greeter',
  kind: 'agent',
  state: { channels: [] },
  nodes: [{ id: 'start', type: 'agent.start', position: { x: 1, y: 2 }, config: {} }],
  edges: [],
  annotations: [],
};

describe('the local flow API', () => {
  it('answers undefined for a flow it never saved', async () => {
    expect(await createLocalFlowApi(window.localStorage).load('nothing-here')).toBeUndefined();
  });

  it('saves a flow with increasing revisions and loads it back unchanged', async () => {
    const api = createLocalFlowApi(window.localStorage);
    expect(await api.save(flow)).toEqual({ revision: 1 });
    expect(await api.save(flow)).toEqual({ revision: 2 });
    const loaded = await api.load('greeter');
    expect(loaded).toMatchObject({ flow, revision: 2 });
  });
});
