import type { FlowDocument } from '@loomflow/graph-schema';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkExecuteUndoRedo } from '../../testing/check-command';
import { flowNameFrom, renameFlow } from './rename-flow';

beforeEach(() => setActivePinia(createPinia()));

const flow = (): FlowDocument => ({ schemaVersion: 1, id: 'greeter', name: 'Greeter', kind: 'agent', state: { channels: [] }, nodes: [], edges: [] });

describe('flow.rename', () => {
  it('sets the name, and undo and redo take it back and forth', () => {
    const changes = checkExecuteUndoRedo(flow(), renameFlow('Welcome desk'), (after) => expect(after).toEqual({ ...flow(), name: 'Welcome desk' }));
    expect(changes).toEqual([[{ type: 'state.changed' }], [{ type: 'state.changed' }], [{ type: 'state.changed' }]]);
  });
});

describe('flowNameFrom', () => {
  it('trims, and refuses an empty name or one over 200 characters', () => {
    expect(flowNameFrom('  Welcome desk ')).toBe('Welcome desk');
    expect(flowNameFrom('   ')).toBeUndefined();
    expect(flowNameFrom('x'.repeat(200))).toHaveLength(200);
    expect(flowNameFrom('x'.repeat(201))).toBeUndefined();
  });
});
