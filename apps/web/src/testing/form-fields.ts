// Finding a form control by the `data-field` the settings forms give it. Element Plus passes an
// input's attributes to the native <input>/<textarea>, but a group's to its wrapper.
import type { DOMWrapper, VueWrapper } from '@vue/test-utils';

type Searchable = VueWrapper | DOMWrapper<Element>;

export function fieldOf(scope: Searchable, name: string): DOMWrapper<HTMLInputElement> {
  const selector = `[data-field="${name}"]`;
  return scope.get<HTMLInputElement>(`input${selector}, textarea${selector}, ${selector} input, ${selector} textarea`);
}

/** Clicks the Element Plus message box's confirm button (it is mounted on document.body). */
export function confirmMessageBox(): void {
  const button = document.querySelector<HTMLButtonElement>('.el-message-box .el-button--primary');
  if (!button) throw new Error('No message box is asking for confirmation.');
  button.click();
}
