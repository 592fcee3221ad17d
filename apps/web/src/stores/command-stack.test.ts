import type { FlowDocument } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { CommandStack } from './command-stack';
import { renameNode } from './flow-commands';

const flow = (): FlowDocument => ({
  schemaVersion: 1,
  id: 'f',
  name: 'F',
  kind: 'agent',
  state: { channels: [] },
  nodes: [{ id: 'n', type: 'agent.template', position: { x: 0, y: 0 }, config: {} }],
  edges: [],
});

describe('CommandStack', () => {
  it('keeps at most `limit` steps, dropping the oldest', () => {
    const document = flow();
    const stack = new CommandStack(3);
    for (const name of ['a', 'b', 'c', 'd', 'e']) stack.execute(document, [renameNode('n', name)]);
    expect(stack.undoDepth).toBe(3);
    while (stack.canUndo) stack.undo(document);
    expect(document.nodes[0]?.name).toBe('b');
    // The opened state fell off the stack, so no amount of undo makes the document clean again.
    expect(stack.dirty).toBe(true);
  });

  it('a new command after undo discards the redo steps', () => {
    const document = flow();
    const stack = new CommandStack();
    stack.execute(document, [renameNode('n', 'a')]);
    stack.undo(document);
    stack.execute(document, [renameNode('n', 'b')]);
    expect(stack.canRedo).toBe(false);
    expect(stack.redo(document)).toEqual([]);
  });

  it('a document opened as unsaved stays dirty until saved, even after undoing every edit', () => {
    const document = flow();
    const stack = new CommandStack();
    stack.reset({ unsaved: true });
    expect(stack.dirty).toBe(true);
    stack.execute(document, [renameNode('n', 'a')]);
    stack.undo(document);
    expect(stack.dirty).toBe(true);
    stack.markSaved();
    expect(stack.dirty).toBe(false);
    stack.reset();
    expect(stack.dirty).toBe(false);
  });
});
