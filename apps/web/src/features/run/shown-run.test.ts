import { describe, expect, it } from 'vitest';
import { rememberShownRun, shownRunOf } from './shown-run';

describe('the shown run', () => {
  it('is kept per flow in the session storage, and anything else there reads as none', () => {
    const run = { runId: 'r2', threadId: 't1', originRunId: 'r1' };
    rememberShownRun(sessionStorage, 'flow-a', run);
    expect(shownRunOf(sessionStorage, 'flow-a')).toEqual(run);
    expect(shownRunOf(sessionStorage, 'flow-b')).toBeUndefined();
    sessionStorage.setItem('loomflow.run.flow-c', '{"runId": 3}');
    expect(shownRunOf(sessionStorage, 'flow-c')).toBeUndefined();
    sessionStorage.setItem('loomflow.run.flow-d', 'not json');
    expect(shownRunOf(sessionStorage, 'flow-d')).toBeUndefined();
  });
});
