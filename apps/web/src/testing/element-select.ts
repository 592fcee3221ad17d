// Picking an option of an Element Plus select as a person does: open it by clicking, then click
// the option by its label in the dropdown (teleported to the document body).
import { flushPromises } from '@vue/test-utils';

export async function pickOption(scope: { readonly element: Element }, label: string): Promise<void> {
  const element = scope.element;
  const trigger: Element | null = element.matches('.el-select') ? element : (element.querySelector('.el-select') ?? element.closest('.el-select'));
  const wrapperElement = trigger?.querySelector<HTMLElement>('.el-select__wrapper');
  if (!wrapperElement) throw new Error('No Element Plus select here.');
  wrapperElement.click();
  await flushPromises();
  const options = [...document.body.querySelectorAll<HTMLElement>('.el-select-dropdown__item')];
  const option = options.find((candidate) => candidate.textContent?.trim() === label);
  if (!option) throw new Error(`No option "${label}" among: ${options.map((candidate) => candidate.textContent?.trim()).join(', ')}`);
  option.click();
  await flushPromises();
}
