// Undo/redo over flow commands, as diagram-js's CommandStack does it: one entry per user action
// (an entry may hold several commands, e.g. deleting a selection of nodes and edges), a bounded
// history, and a marker for the state that was last saved.
import type { FlowDocument } from '@loomflow/graph-schema';
import type { DocumentChange, FlowCommand } from './flow-commands';

interface StackEntry {
  readonly commands: readonly FlowCommand[];
  /** The document states before and after the entry, for dirty tracking. */
  readonly stateBefore: number;
  readonly stateAfter: number;
}

export const DEFAULT_UNDO_LIMIT = 200;

export class CommandStack {
  readonly #undo: StackEntry[] = [];
  readonly #redo: StackEntry[] = [];
  readonly #limit: number;
  #nextStateId = 1;
  /** Names the state the document is in: 0 as opened, then a fresh number per executed entry. */
  #stateId = 0;
  #savedStateId = 0;

  constructor(limit = DEFAULT_UNDO_LIMIT) {
    this.#limit = limit;
  }

  get canUndo(): boolean {
    return this.#undo.length > 0;
  }

  get canRedo(): boolean {
    return this.#redo.length > 0;
  }

  get undoDepth(): number {
    return this.#undo.length;
  }

  /** True when the document differs from the state last marked saved (or opened). */
  get dirty(): boolean {
    return this.#stateId !== this.#savedStateId;
  }

  markSaved(): void {
    this.#savedStateId = this.#stateId;
  }

  /** Runs the commands as one undoable step; if one throws, the ones before it are reverted. */
  execute(flow: FlowDocument, commands: readonly FlowCommand[]): DocumentChange[] {
    const changes = applyAll(flow, commands);
    const entry = { commands, stateBefore: this.#stateId, stateAfter: this.#nextStateId++ };
    this.#undo.push(entry);
    if (this.#undo.length > this.#limit) this.#undo.shift();
    this.#redo.length = 0;
    this.#stateId = entry.stateAfter;
    return changes;
  }

  undo(flow: FlowDocument): DocumentChange[] {
    const entry = this.#undo.pop();
    if (!entry) return [];
    const changes = [...entry.commands].reverse().flatMap((command) => command.revert(flow));
    this.#redo.push(entry);
    this.#stateId = entry.stateBefore;
    return changes;
  }

  redo(flow: FlowDocument): DocumentChange[] {
    const entry = this.#redo.pop();
    if (!entry) return [];
    const changes = applyAll(flow, entry.commands);
    this.#undo.push(entry);
    this.#stateId = entry.stateAfter;
    return changes;
  }

  /**
   * Forgets all history, for a freshly opened document. `unsaved` opens it as not matching what
   * is stored (a flow never saved, or a restored local draft): dirty until the next save.
   */
  reset({ unsaved = false }: { unsaved?: boolean } = {}): void {
    this.#undo.length = 0;
    this.#redo.length = 0;
    this.#stateId = 0;
    this.#savedStateId = unsaved ? -1 : 0;
  }
}

function applyAll(flow: FlowDocument, commands: readonly FlowCommand[]): DocumentChange[] {
  const changes: DocumentChange[] = [];
  const done: FlowCommand[] = [];
  try {
    for (const command of commands) {
      changes.push(...command.execute(flow));
      done.push(command);
    }
  } catch (error) {
    for (const command of done.reverse()) command.revert(flow);
    throw error;
  }
  return changes;
}
