// What the canvas's floating menus (the context menu, quick-add) share: shown at a point of the
// canvas but kept inside it, closed by a pointer press elsewhere or Escape, and walked with the
// arrow keys. The menu's own content and its other keys stay with the menu.
import { nextTick, onBeforeUnmount, ref, watch, type Ref } from 'vue';

export interface MenuPoint {
  /** Relative to the canvas element, the menu's offset parent. */
  readonly x: number;
  readonly y: number;
}

export interface FloatingMenuOptions {
  /** The menu's element, once shown. */
  readonly menu: Readonly<Ref<HTMLElement | null>>;
  /** Where it opens; undefined while it is closed. */
  readonly request: () => MenuPoint | undefined;
  readonly close: () => void;
  /** Called when the menu is placed, to put the keyboard focus in it. */
  readonly focus: () => void;
  /** The entries the arrow keys walk, in order. */
  readonly entries: () => HTMLElement[];
}

export function useFloatingMenu(options: FloatingMenuOptions) {
  const position = ref({ left: 0, top: 0 });

  async function place(point: MenuPoint): Promise<void> {
    position.value = { left: point.x, top: point.y };
    await nextTick();
    const element = options.menu.value;
    const area = element?.parentElement;
    if (!element || !area) return;
    position.value = {
      left: Math.max(0, Math.min(point.x, area.clientWidth - element.offsetWidth - 4)),
      top: Math.max(0, Math.min(point.y, area.clientHeight - element.offsetHeight - 4)),
    };
    options.focus();
  }

  function onPointerDownAnywhere(event: PointerEvent): void {
    if (!(event.target instanceof Node && options.menu.value?.contains(event.target))) options.close();
  }

  watch(
    options.request,
    (point) => {
      window.removeEventListener('pointerdown', onPointerDownAnywhere, true);
      if (!point) return;
      window.addEventListener('pointerdown', onPointerDownAnywhere, true);
      void place(point);
    },
    { immediate: true },
  );
  onBeforeUnmount(() => window.removeEventListener('pointerdown', onPointerDownAnywhere, true));

  /** Escape and the arrow keys; true when the key was the menu's, so the caller stops there. */
  function onMenuKey(event: KeyboardEvent): boolean {
    // The editor's shortcuts listen on the window; keys pressed in the menu are the menu's.
    event.stopPropagation();
    if (event.key === 'Escape') {
      options.close();
      return true;
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return false;
    event.preventDefault();
    const all = options.entries();
    if (all.length === 0) return true;
    const current = all.findIndex((entry) => entry === document.activeElement);
    const next = event.key === 'ArrowDown' ? current + 1 : current < 0 ? all.length - 1 : current - 1 + all.length;
    all[next % all.length]?.focus();
    return true;
  }

  return { position, onMenuKey };
}
