// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { walkSvg } from '../../editor/canvas/svg-element';
import { drawRunMark, nodesWithChangedRunState, runMarkProperties } from './canvas-run-marks';
import type { NodeRunState } from './run-state';

describe('run marks on the canvas', () => {
  it('touches only the nodes whose state object changed, and those that lost theirs', () => {
    const running: NodeRunState = { status: 'running' };
    const done: NodeRunState = { status: 'completed', durationMs: 4 };
    const before = new Map([
      ['a', running],
      ['b', done],
      ['c', done],
    ]);
    const now = new Map([
      ['a', { status: 'completed', durationMs: 2 } as NodeRunState],
      ['b', done],
      ['d', running],
    ]);
    expect(nodesWithChangedRunState(now, before).sort()).toEqual(['a', 'c', 'd']);
  });

  it('gives LogicFlow text properties, empty to take a mark away', () => {
    const describe = (state: NodeRunState) => state.error?.message ?? state.status;
    expect(runMarkProperties({ status: 'failed', error: { code: 'x', message: 'Boom' } }, describe)).toEqual({ runState: 'failed', runNote: 'Boom' });
    expect(runMarkProperties(undefined, describe)).toEqual({ runState: '', runNote: '' });
  });

  it('draws a halo in the state colour and the note above, cut short with the whole note as its tooltip', () => {
    const note = 'x'.repeat(80);
    const mark = drawRunMark('failed', note, { x: 100, y: 100, width: 160, height: 60 });
    const parts = [...walkSvg(mark)];
    expect(parts.find((part) => part.tag === 'rect')?.attrs.stroke).toBe('#F56C6C');
    const text = parts.find((part) => part.tag === 'text');
    expect(text?.text).toHaveLength(48);
    expect(parts.find((part) => part.tag === 'title')?.text).toBe(note);
    expect(drawRunMark('running', '', { x: 0, y: 0, width: 10, height: 10 }).children).toHaveLength(1);
  });
});
