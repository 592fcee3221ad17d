// Box selection with Shift held, as in Dify and Camunda Modeler's lasso: a plain drag on the
// blank canvas keeps panning it. LogicFlow's SelectionSelect plugin draws the box and selects what
// it encloses; the canvas then reads the selection into the store like any other (and a dragged
// selection becomes one `node.move`).
import type { LogicFlow } from '@logicflow/core';
import { SelectionSelect } from '@logicflow/extension/es/components/selection-select';

export { SelectionSelect };

/**
 * Switches the plugin on for pointer presses made with Shift and off for the others. It listens
 * in the capture phase, so the switch happens before LogicFlow sees the press. Returns the undo.
 */
export function holdShiftToBoxSelect(logicFlow: LogicFlow, area: HTMLElement): () => void {
  const plugin = logicFlow.extension.selectionSelect;
  if (!(plugin instanceof SelectionSelect)) return () => undefined;
  let open = false;
  const onPointerDown = (event: PointerEvent) => {
    if (event.shiftKey === open) return;
    open = event.shiftKey;
    if (open) plugin.openSelectionSelect();
    else plugin.closeSelectionSelect();
  };
  // A new box replaces the selection rather than adding to it, as a lasso does.
  const onBlankPress = () => {
    if (open) logicFlow.clearSelectElements();
  };
  // The browser ends the box's drag with a click on the blank canvas, on which LogicFlow would
  // drop the selection just made: that one click is kept from it.
  const swallowClick = (event: MouseEvent) => event.stopPropagation();
  const onSelected = () => {
    area.addEventListener('click', swallowClick, { capture: true, once: true });
    setTimeout(() => area.removeEventListener('click', swallowClick, { capture: true }));
  };
  area.addEventListener('pointerdown', onPointerDown, { capture: true });
  logicFlow.on('selection:selected', onSelected);
  logicFlow.on('blank:mousedown', onBlankPress);
  return () => {
    area.removeEventListener('pointerdown', onPointerDown, { capture: true });
    logicFlow.off('selection:selected', onSelected);
    logicFlow.off('blank:mousedown', onBlankPress);
  };
}
