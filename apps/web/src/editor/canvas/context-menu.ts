// What the canvas's context menu offers, depending on what was right-clicked. Each entry runs an
// editor action (use-editor-actions.ts), so that it is one undoable command like its shortcut.
import type { Selection } from '../../stores/flow-document-store';
import { shortcutTable, type ShortcutAction } from '../keyboard-shortcuts';

export type CanvasMenuTarget = 'node' | 'edge' | 'blank';
export type CanvasMenuAction = 'copy' | 'paste' | 'delete' | 'selectAll' | 'fit' | 'pauseBefore' | 'pauseAfter';

const ITEMS: Readonly<Record<CanvasMenuTarget, readonly CanvasMenuAction[]>> = {
  // Breakpoints toggle for debug runs (features/run); they are not edits of the drawing.
  node: ['copy', 'paste', 'delete', 'pauseBefore', 'pauseAfter'],
  edge: ['delete'],
  blank: ['paste', 'selectAll', 'fit'],
};

export function canvasMenuItems(target: CanvasMenuTarget): readonly CanvasMenuAction[] {
  return ITEMS[target];
}

/** The keys of the same action, as the shortcuts dialog shows them (`Mod` is Ctrl or ⌘). */
export function canvasMenuKeys(action: CanvasMenuAction): string | undefined {
  if (action === 'fit' || action === 'pauseBefore' || action === 'pauseAfter') return undefined;
  const shortcut: ShortcutAction = action;
  return shortcutTable.find((entry) => entry.action === shortcut)?.keys[0];
}

/**
 * What a right-click selects, as in file managers and BPMN tools: an element that is part of the
 * selection keeps the whole selection (so the menu acts on all of it), any other element becomes
 * the only selected one.
 */
export function selectionForMenu(selection: Selection, target: { readonly kind: 'node' | 'edge'; readonly id: string }): Selection {
  const selected = target.kind === 'node' ? selection.nodeIds : selection.edgeIds;
  if (selected.includes(target.id)) return selection;
  return target.kind === 'node' ? { nodeIds: [target.id], edgeIds: [] } : { nodeIds: [], edgeIds: [target.id] };
}
