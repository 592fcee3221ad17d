// Where a debug run of the open flow pauses: "pause before" and "pause after" per node. They are
// debug settings, kept by the server apart from the flow's document (its revision never changes
// for them), so toggling one is not an edit of the drawing and is not undone with it.
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { Breakpoints } from './run-api';

export type BreakpointSide = 'before' | 'after';

export const useBreakpointStore = defineStore('breakpoints', () => {
  const before = shallowRef<ReadonlySet<string>>(new Set());
  const after = shallowRef<ReadonlySet<string>>(new Set());
  const side = (where: BreakpointSide) => (where === 'before' ? before : after);

  return {
    before,
    after,
    any: computed(() => before.value.size > 0 || after.value.size > 0),
    has(nodeId: string, where: BreakpointSide): boolean {
      return side(where).value.has(nodeId);
    },
    toggle(nodeId: string, where: BreakpointSide): void {
      const set = new Set(side(where).value);
      if (!set.delete(nodeId)) set.add(nodeId);
      side(where).value = set;
    },
    replace(breakpoints: Breakpoints): void {
      before.value = new Set(breakpoints.before);
      after.value = new Set(breakpoints.after);
    },
    /** The breakpoints on nodes that exist: a deleted node's breakpoint pauses nothing. */
    of(nodeIds: ReadonlySet<string>): Breakpoints {
      return { before: [...before.value].filter((id) => nodeIds.has(id)), after: [...after.value].filter((id) => nodeIds.has(id)) };
    },
  };
});
