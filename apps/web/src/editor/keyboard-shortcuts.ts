// The editor's keyboard shortcuts, as a pure mapping from a key event to an action, so that the
// page, the help dialog and the tests agree on one table.

export type ShortcutAction = 'undo' | 'redo' | 'copy' | 'paste' | 'selectAll' | 'save' | 'delete' | 'help';

export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/** The keys as the help dialog shows them; `Mod` is Ctrl, or ⌘ on a Mac. */
export const shortcutTable: readonly { readonly action: ShortcutAction; readonly keys: readonly string[] }[] = [
  { action: 'undo', keys: ['Mod+Z'] },
  { action: 'redo', keys: ['Mod+Y', 'Mod+Shift+Z'] },
  { action: 'copy', keys: ['Mod+C'] },
  { action: 'paste', keys: ['Mod+V'] },
  { action: 'selectAll', keys: ['Mod+A'] },
  { action: 'save', keys: ['Mod+S'] },
  { action: 'delete', keys: ['Delete', 'Backspace'] },
  { action: 'help', keys: ['?'] },
];

export function shortcutFor(press: KeyPress): ShortcutAction | undefined {
  const key = press.key.toLowerCase();
  if (press.altKey) return undefined;
  if (press.ctrlKey || press.metaKey) {
    if (key === 'z') return press.shiftKey ? 'redo' : 'undo';
    if (press.shiftKey) return undefined;
    return ({ y: 'redo', c: 'copy', v: 'paste', a: 'selectAll', s: 'save' } as const)[key as 'y' | 'c' | 'v' | 'a' | 's'];
  }
  if (key === 'delete' || key === 'backspace') return 'delete';
  if (press.key === '?') return 'help';
  return undefined;
}

/** Typing in a field must edit the text, not the drawing. */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
