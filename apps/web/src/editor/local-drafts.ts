// A copy of the flow being edited, kept in this browser while it has unsaved changes, so that a
// closed tab or a crashed browser loses nothing. The server stays the only store of saved flows;
// a draft is offered back when the same flow is opened again, and dropped once saved.
import { flowDocumentSchema, type FlowDocument } from '@loomflow/graph-schema';

export interface LocalDraft {
  readonly flow: FlowDocument;
  /** The server revision the edits started from; undefined for a flow never saved. */
  readonly baseRevision: number | undefined;
  /** When the draft was written, in ms since the epoch. */
  readonly savedAt: number;
}

const KEY_PREFIX = 'loomflow.draft.';

export interface LocalDrafts {
  read(flowId: string): LocalDraft | undefined;
  write(draft: LocalDraft): void;
  remove(flowId: string): void;
}

export function createLocalDrafts(storage: Storage): LocalDrafts {
  return {
    read(flowId) {
      const text = storage.getItem(KEY_PREFIX + flowId);
      if (text === null) return undefined;
      try {
        const { flow, baseRevision, savedAt } = JSON.parse(text) as { flow: unknown; baseRevision?: unknown; savedAt?: unknown };
        // Written by an older build or edited by hand: parse, so that defaults are filled in.
        const parsed = flowDocumentSchema.safeParse(flow);
        if (!parsed.success || parsed.data.id !== flowId) return undefined;
        return {
          flow: parsed.data,
          baseRevision: typeof baseRevision === 'number' ? baseRevision : undefined,
          savedAt: typeof savedAt === 'number' ? savedAt : 0,
        };
      } catch {
        return undefined;
      }
    },
    write(draft) {
      try {
        storage.setItem(KEY_PREFIX + draft.flow.id, JSON.stringify(draft));
      } catch {
        // A full storage quota must not break editing; the flow can still be saved to the server.
      }
    },
    remove(flowId) {
      storage.removeItem(KEY_PREFIX + flowId);
    },
  };
}
