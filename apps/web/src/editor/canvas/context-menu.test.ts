import { describe, expect, it } from 'vitest';
import { canvasMenuItems, canvasMenuKeys, selectionForMenu } from './context-menu';

describe('the canvas context menu', () => {
  it('offers copy, paste, delete and breakpoints on nodes, delete on edges, and canvas-wide actions on the blank canvas', () => {
    expect(canvasMenuItems('node')).toEqual(['copy', 'paste', 'delete', 'pauseBefore', 'pauseAfter']);
    expect(canvasMenuItems('edge')).toEqual(['delete']);
    expect(canvasMenuItems('blank')).toEqual(['paste', 'selectAll', 'fit']);
  });

  it('shows the keyboard shortcut of each action that has one', () => {
    expect(canvasMenuKeys('copy')).toBe('Mod+C');
    expect(canvasMenuKeys('delete')).toBe('Delete');
    expect(canvasMenuKeys('selectAll')).toBe('Mod+A');
    expect(canvasMenuKeys('fit')).toBeUndefined();
    expect(canvasMenuKeys('pauseBefore')).toBeUndefined();
  });

  it('acts on the whole selection when the right-clicked element is part of it, else on that element alone', () => {
    const selection = { nodeIds: ['a', 'b'], edgeIds: ['e1'] };
    expect(selectionForMenu(selection, { kind: 'node', id: 'b' })).toBe(selection);
    expect(selectionForMenu(selection, { kind: 'edge', id: 'e1' })).toBe(selection);
    expect(selectionForMenu(selection, { kind: 'node', id: 'c' })).toEqual({ nodeIds: ['c'], edgeIds: [] });
    expect(selectionForMenu(selection, { kind: 'edge', id: 'e2' })).toEqual({ nodeIds: [], edgeIds: ['e2'] });
  });
});
