// Filling forms against the real server app: finding a control by the `data-field` the settings
// forms give it (Element Plus passes an input's attributes to the native <input>/<textarea>, but
// a group's to its wrapper), confirming a message box, waiting for the server's answers.
import { DOMWrapper } from '@vue/test-utils';
import { vi } from 'vitest';

export function fieldOf(scope: { readonly element: Element }, name: string): DOMWrapper<HTMLInputElement> {
  const selector = `[data-field="${name}"]`;
  const input = scope.element.querySelector<HTMLInputElement>(`input${selector}, textarea${selector}, ${selector} input, ${selector} textarea`);
  if (!input) throw new Error(`No field "${name}" here.`);
  return new DOMWrapper(input);
}

/** Clicks the Element Plus message box's confirm button (it is mounted on document.body). */
export function confirmMessageBox(): void {
  const button = document.querySelector<HTMLButtonElement>('.el-message-box .el-button--primary');
  if (!button) throw new Error('No message box is asking for confirmation.');
  button.click();
}

/** Waits for what the server's answers (and lazily loaded pages) bring about: seconds on a loaded machine. */
export const settled = (check: () => void) => vi.waitFor(check, { timeout: 20_000 });
