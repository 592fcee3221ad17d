import { describe, expect, it } from 'vitest';
import { isTextEntry, shortcutFor } from './keyboard-shortcuts';

const press = (key: string, modifiers: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...modifiers,
});

describe('shortcutFor', () => {
  it.each([
    [press('z', { ctrlKey: true }), 'undo'],
    [press('z', { metaKey: true }), 'undo'],
    [press('Z', { ctrlKey: true, shiftKey: true }), 'redo'],
    [press('y', { ctrlKey: true }), 'redo'],
    [press('c', { metaKey: true }), 'copy'],
    [press('v', { ctrlKey: true }), 'paste'],
    [press('a', { ctrlKey: true }), 'selectAll'],
    [press('s', { ctrlKey: true }), 'save'],
    [press('Delete'), 'delete'],
    [press('Backspace'), 'delete'],
    [press('?', { shiftKey: true }), 'help'],
  ] as const)('maps %o to %s', (keyPress, action) => {
    expect(shortcutFor(keyPress)).toBe(action);
  });

  it.each([press('z'), press('s', { ctrlKey: true, altKey: true }), press('q', { ctrlKey: true }), press('c', { ctrlKey: true, shiftKey: true })])(
    'ignores %o',
    (keyPress) => expect(shortcutFor(keyPress)).toBeUndefined(),
  );
});

describe('isTextEntry', () => {
  it('recognises fields where keys edit text', () => {
    expect(isTextEntry(document.createElement('input'))).toBe(true);
    expect(isTextEntry(document.createElement('textarea'))).toBe(true);
    expect(isTextEntry(document.createElement('div'))).toBe(false);
    expect(isTextEntry(null)).toBe(false);
  });
});
