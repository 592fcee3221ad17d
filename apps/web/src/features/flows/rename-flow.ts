// Renaming the open flow from the editor's header: a plain command like any other edit, so it is
// undone with Ctrl+Z, marks the flow unsaved and is stored by the next save with the revision the
// editor is based on (use-flow-persistence.ts), which reports a conflict rather than overwriting.
import type { FlowDocument } from '@loomflow/graph-schema';
import type { FlowCommand } from '../../stores/flow-commands';

/** The document's own limits on a flow's name (graph-schema's `flowDocumentSchema`). */
export const FLOW_NAME_MAX_LENGTH = 200;

/** The name a typed text gives the flow, or undefined when it cannot be one (empty or too long). */
export function flowNameFrom(text: string): string | undefined {
  const name = text.trim();
  return name !== '' && name.length <= FLOW_NAME_MAX_LENGTH ? name : undefined;
}

/** `flow.rename`: sets the flow's name. The canvas draws nothing of it; the header reads the store. */
export function renameFlow(name: string): FlowCommand {
  let previous: string | undefined;
  const apply = (flow: FlowDocument, value: string) => {
    flow.name = value;
    // No element changed: the document's own fields did, as with a channel edit.
    return [{ type: 'state.changed' as const }];
  };
  return {
    name: 'flow.rename',
    execute(flow) {
      previous = flow.name;
      return apply(flow, name);
    },
    revert(flow) {
      return previous === undefined ? [] : apply(flow, previous);
    },
  };
}
