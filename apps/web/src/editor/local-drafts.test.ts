import type { FlowDocument } from '@loomflow/graph-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalDrafts } from './local-drafts';

const flow: FlowDocument = {
  schemaVersion: 1,
  id: 'draft-me',
  name: 'Draft',
  kind: 'agent',
  state: { channels: [] },
  nodes: [{ id: 'start', type: 'agent.start', position: { x: 0, y: 0 }, config: {} }],
  edges: [],
};

afterEach(() => localStorage.clear());

describe('local drafts', () => {
  it('keeps a draft with its base revision until it is removed', () => {
    const drafts = createLocalDrafts(localStorage);
    drafts.write({ flow, baseRevision: 3, savedAt: 42 });
    expect(drafts.read('draft-me')).toEqual({ flow, baseRevision: 3, savedAt: 42 });
    drafts.remove('draft-me');
    expect(drafts.read('draft-me')).toBeUndefined();
  });

  it('ignores drafts that are not flow documents or belong to another id', () => {
    const drafts = createLocalDrafts(localStorage);
    localStorage.setItem('loomflow.draft.broken', '{not json');
    localStorage.setItem('loomflow.draft.other', JSON.stringify({ flow: { ...flow, id: 'someone-else' }, savedAt: 1 }));
    localStorage.setItem('loomflow.draft.shapeless', JSON.stringify({ flow: { nodes: 'no' } }));
    expect(drafts.read('broken')).toBeUndefined();
    expect(drafts.read('other')).toBeUndefined();
    expect(drafts.read('shapeless')).toBeUndefined();
  });

  it('keeps editing going when the storage is full', () => {
    const full = { ...localStorage, setItem: () => { throw new DOMException('quota', 'QuotaExceededError'); } } as unknown as Storage;
    expect(() => createLocalDrafts(full).write({ flow, baseRevision: undefined, savedAt: 1 })).not.toThrow();
  });
});
