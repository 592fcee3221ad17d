// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { ThreadCheckpoint } from './run-api';
import { stateDiff, timelineOf } from './timeline';

const checkpoint = (checkpointId: string, parentCheckpointId: string | undefined, next: string[], values: Record<string, unknown> = {}): ThreadCheckpoint => ({
  checkpointId,
  ...(parentCheckpointId === undefined ? {} : { parentCheckpointId }),
  next,
  values,
});

describe('timelineOf', () => {
  it('orders checkpoints oldest first, names the node that wrote each, and numbers branches', () => {
    // As the server lists them: newest first. c3 and f1 both follow c2: f1 came later, a fork.
    const history = [
      checkpoint('f2', 'f1', []),
      checkpoint('f1', 'c2', ['end']),
      checkpoint('c4', 'c3', []),
      checkpoint('c3', 'c2', ['end']),
      checkpoint('c2', 'c1', ['double']),
      checkpoint('c1', undefined, ['start']),
    ];
    const timeline = timelineOf(history);
    expect(timeline.map((entry) => [entry.checkpoint.checkpointId, entry.branch, entry.writtenBy])).toEqual([
      ['c1', 0, undefined],
      ['c2', 0, 'start'],
      ['c3', 0, 'double'],
      ['c4', 0, 'end'],
      ['f1', 1, 'double'],
      ['f2', 1, 'end'],
    ]);
    expect(timeline[4]?.parent?.checkpointId).toBe('c2');
  });

  it('names the node of an edited checkpoint after the checkpoint it edits, and never LangGraph\'s own entry node', () => {
    const history = [
      { ...checkpoint('e1', 'c2', ['double']), source: 'update' },
      checkpoint('c2', 'c1', ['double']),
      checkpoint('c1', 'c0', ['start']),
      checkpoint('c0', undefined, ['__start__']),
    ];
    expect(timelineOf(history).map((entry) => [entry.checkpoint.checkpointId, entry.writtenBy, entry.edited])).toEqual([
      ['c0', undefined, false],
      ['c1', undefined, false],
      ['c2', 'start', false],
      ['e1', 'start', true],
    ]);
  });
});

describe('stateDiff', () => {
  it('says which channels a step added, changed, removed or left alone', () => {
    expect(stateDiff({ a: 1, b: [1], c: 'x' }, { a: 1, b: [1, 2], d: true })).toEqual([
      { channel: 'a', change: 'same', before: 1, after: 1 },
      { channel: 'b', change: 'changed', before: [1], after: [1, 2] },
      { channel: 'd', change: 'added', after: true },
      { channel: 'c', change: 'removed', before: 'x' },
    ]);
  });

  it('shows the first checkpoint as it is, with nothing to compare it to', () => {
    expect(stateDiff(undefined, { a: 1 })).toEqual([{ channel: 'a', change: 'same', after: 1 }]);
  });
});
