// Which run the editor shows for a flow, kept in the tab's session storage: a reload in the
// middle of a run opens the run panel again and follows the same run from its first event, so
// that nothing it did is missed. Per tab, as the run was started there.
export interface ShownRun {
  readonly runId: string;
  readonly threadId: string;
  /** The run that started the thread (what Replay runs again). */
  readonly originRunId: string;
}

const keyOf = (flowId: string) => `loomflow.run.${flowId}`;

export function rememberShownRun(storage: Storage, flowId: string, run: ShownRun): void {
  storage.setItem(keyOf(flowId), JSON.stringify(run));
}

export function shownRunOf(storage: Storage, flowId: string): ShownRun | undefined {
  const text = storage.getItem(keyOf(flowId));
  if (text === null) return undefined;
  try {
    const value = JSON.parse(text) as Partial<ShownRun>;
    if (typeof value.runId === 'string' && typeof value.threadId === 'string' && typeof value.originRunId === 'string') {
      return { runId: value.runId, threadId: value.threadId, originRunId: value.originRunId };
    }
  } catch {
    // Not ours, or from an older version: as if nothing were kept.
  }
  return undefined;
}
