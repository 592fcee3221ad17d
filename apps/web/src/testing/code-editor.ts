// Drives the CodeMirror editors of the properties panel (templates, FEEL) in component tests:
// waits for the lazily loaded editor, types as a user would (through the view, so completion and
// lint run) and leaves the field, which commits.
import { EditorView } from '@codemirror/view';
import type { VueWrapper } from '@vue/test-utils';
import { nextTick } from 'vue';
import { vi } from 'vitest';

/** The first load of an editor chunk transforms CodeMirror, which takes seconds on a loaded machine. */
const LOAD_TIMEOUT_MS = 20_000;

/** The editor view inside `selector`, once its lazy chunk has loaded and it has mounted. */
export async function codeEditorIn(wrapper: VueWrapper, selector: string): Promise<EditorView> {
  return vi.waitFor(() => {
    const content = wrapper.find(`${selector} .cm-content`);
    if (!content.exists()) throw new Error(`no code editor in ${selector} yet`);
    const view = EditorView.findFromDOM(content.element as HTMLElement);
    if (!view) throw new Error(`no editor view in ${selector}`);
    return view;
  }, { timeout: LOAD_TIMEOUT_MS, interval: 20 });
}

export function textOf(view: EditorView): string {
  return view.state.doc.toString();
}

/** Replaces the whole text as typing would (a user input event), leaving the cursor at the end. */
export function typeInto(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: text.length }, userEvent: 'input.type' });
}

/** Leaves the field: the editor commits what it holds. */
export async function leave(view: EditorView): Promise<void> {
  view.contentDOM.dispatchEvent(new FocusEvent('blur'));
  await nextTick();
}

/**
 * Loads the editor chunks once, before the tests that show them: the first load transforms
 * CodeMirror and the FEEL editor, which alone can take longer than a test may on a loaded machine.
 */
export async function loadCodeEditors(): Promise<void> {
  await Promise.all([import('../features/properties/editors/TemplateEditor.vue'), import('../features/properties/editors/FeelExpressionEditor.vue')]);
}

export const CODE_EDITOR_LOAD_TIMEOUT_MS = 60_000;
