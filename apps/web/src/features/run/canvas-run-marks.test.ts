// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { walkSvg } from '../../editor/canvas/svg-element';
import { drawRunMark, nodesWithChangedRunState, runMarkProperties, takenEdges } from './canvas-run-marks';
import type { NodeExecution, NodeRunState } from './run-state';

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

describe('taken edges', () => {
  const ran = (...startedAt: number[]): NodeExecution[] => startedAt.map((at) => ({ runId: 'r', attempt: 1, startedAt: at, status: 'completed', input: {} }));
  it('are the edges whose target ran after their source started: a loop back once it looped, never an untaken branch', () => {
    const edges = [
      { id: 'in', source: 'start', target: 'check' },
      { id: 'loop', source: 'check', target: 'add' },
      { id: 'back', source: 'add', target: 'check' },
      { id: 'out', source: 'check', target: 'end' },
      { id: 'other', source: 'check', target: 'reject' },
    ];
    const executions = new Map([
      ['start', ran(1)],
      ['check', ran(2, 4)],
      ['add', ran(3)],
      ['end', ran(5)],
    ]);
    expect([...takenEdges(edges, executions)].sort()).toEqual(['back', 'in', 'loop', 'out']);
    expect(takenEdges(edges, new Map([['start', ran(1)]])).size).toBe(0);
  });
});
