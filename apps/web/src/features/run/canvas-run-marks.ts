// The run on the canvas: each node's run state (run-state.ts) reaches LogicFlow as two text
// properties, `runState` and `runNote` (its duration, error or pause), set only on the nodes whose
// state changed; the node view (editor/canvas/notation-elements.ts) draws them with drawRunMark.
// Two more marks come from debugging: `breakpoint` ('before', 'after' or 'both': red gutter dots
// left and right of the node) and `runHere` (where the run stood at the checkpoint picked in the
// timeline: drawn with drawDebugMarks). The edges the run took carry `runTaken` (takenEdges) and
// are drawn in the completed colour (editor/canvas-elements.ts).
import type { LogicFlow } from '@logicflow/core';
import { useI18n } from 'vue-i18n';
import type { Box } from '../../editor/canvas/node-drawing';
import { svg, type SvgElement } from '../../editor/canvas/svg-element';
import type { NodeExecution, NodeRunState, NodeRunStatus } from './run-state';

/** Element Plus's primary, success, danger and warning colours (SVG attributes cannot read CSS variables). */
const RUN_COLORS: Record<NodeRunStatus, string> = {
  running: '#409EFF',
  completed: '#67C23A',
  failed: '#F56C6C',
  waiting: '#E6A23C',
};
/** Room between a node and its run halo. */
const HALO_GAP = 5;
/** Longer notes are cut on the canvas; the whole note is the mark's tooltip. */
const NOTE_LENGTH = 48;

/** The note shown beside a node in a state, in the reader's language. */
export type DescribeRunState = (state: NodeRunState) => string;

/** A duration in the reader's language: milliseconds under a second, seconds under a minute, else minutes and seconds. */
export function useFormatDuration(): (ms: number) => string {
  const { t } = useI18n();
  return (ms) => {
    if (ms < 1000) return t('run.duration.ms', { value: Math.round(ms) });
    if (ms < 60_000) return t('run.duration.s', { value: (ms / 1000).toFixed(1) });
    return t('run.duration.min', { minutes: Math.floor(ms / 60_000), seconds: Math.round((ms % 60_000) / 1000) });
  };
}

/** Notes in the reader's language: a finished node's duration, a failed one's error, a pause. */
export function useDescribeRunState(): DescribeRunState {
  const { t } = useI18n();
  const duration = useFormatDuration();
  return (state) => {
    switch (state.status) {
      case 'running':
        return t('run.node.running');
      case 'waiting':
        return t(state.paused ? 'run.node.paused' : 'run.node.waiting');
      case 'completed':
        return state.durationMs === undefined ? '' : duration(state.durationMs);
      case 'failed':
        return state.error?.message ?? '';
    }
  };
}

/** The LogicFlow properties of a node's run mark; empty strings take a mark away. */
export function runMarkProperties(state: NodeRunState | undefined, describe: DescribeRunState): { runState: string; runNote: string } {
  return state ? { runState: state.status, runNote: describe(state) } : { runState: '', runNote: '' };
}

/** The nodes whose run state differs between two snapshots (states are replaced, never changed in place). */
export function nodesWithChangedRunState(now: ReadonlyMap<string, NodeRunState>, before: ReadonlyMap<string, NodeRunState>): string[] {
  const changed = [...now.keys()].filter((nodeId) => now.get(nodeId) !== before.get(nodeId));
  return [...changed, ...[...before.keys()].filter((nodeId) => !now.has(nodeId))];
}

/** Marks the changed nodes LogicFlow holds; the others get their mark when drawn (runMarkProperties). */
export function showRunStates(lf: LogicFlow, now: ReadonlyMap<string, NodeRunState>, before: ReadonlyMap<string, NodeRunState>, describe: DescribeRunState): void {
  for (const nodeId of nodesWithChangedRunState(now, before)) {
    lf.getNodeModelById(nodeId)?.setProperties(runMarkProperties(now.get(nodeId), describe));
  }
}

export function isNodeRunStatus(value: unknown): value is NodeRunStatus {
  return typeof value === 'string' && value in RUN_COLORS;
}

/** A halo around the node in its state's colour (dashed while it runs) and its note above it. */
export function drawRunMark(status: NodeRunStatus, note: string, box: Box): SvgElement {
  const color = RUN_COLORS[status];
  const left = box.x - box.width / 2 - HALO_GAP;
  const top = box.y - box.height / 2 - HALO_GAP;
  const halo = svg.rect(left, top, box.width + 2 * HALO_GAP, box.height + 2 * HALO_GAP, {
    rx: 12,
    fill: 'none',
    stroke: color,
    'stroke-width': 3,
    ...(status === 'running' ? { 'stroke-dasharray': '6 4', class: 'run-mark__halo--running' } : {}),
    'pointer-events': 'none',
  });
  const shown = note.length > NOTE_LENGTH ? `${note.slice(0, NOTE_LENGTH - 1)}…` : note;
  const label: SvgElement = {
    tag: 'text',
    attrs: { x: left, y: top - 5, fill: color, 'font-size': 11, 'font-weight': 600, 'data-run-note': '' },
    children: [{ tag: 'title', attrs: {}, text: note }],
    text: shown,
  };
  return svg.g({ class: 'run-mark' }, note === '' ? [halo] : [halo, label]);
}

/** The colour of an edge the run took (Element Plus's success green, as a completed node's halo). */
export const TAKEN_EDGE_COLOR = RUN_COLORS.completed;

/**
 * The edges the run took: those whose target ran after their source had started. A branch the
 * run left untaken has a target that never ran; a loop's edge back is taken once the loop ran
 * again. By edge id, from the node executions of run-state.
 */
export function takenEdges(edges: readonly { readonly id: string; readonly source: string; readonly target: string }[], executions: ReadonlyMap<string, readonly NodeExecution[]>): Set<string> {
  const taken = new Set<string>();
  for (const edge of edges) {
    const firstOfSource = executions.get(edge.source)?.[0]?.startedAt;
    if (firstOfSource === undefined) continue;
    if (executions.get(edge.target)?.some((execution) => execution.startedAt >= firstOfSource)) taken.add(edge.id);
  }
  return taken;
}

/** Redraws only the edges whose taken mark changed from `before` to `now` (sets of edge ids). */
export function showTakenEdges(lf: LogicFlow, now: ReadonlySet<string>, before: ReadonlySet<string>): void {
  for (const id of new Set([...now, ...before])) if (now.has(id) !== before.has(id)) lf.getEdgeModelById(id)?.setProperties({ runTaken: now.has(id) });
}

/** An edge drawn (or drawn again as the view moves) while a run is shown carries whether it was taken. */
export function withTakenMark(config: LogicFlow.EdgeConfig, taken: ReadonlySet<string>): LogicFlow.EdgeConfig {
  return config.id !== undefined && taken.has(config.id) ? { ...config, properties: { ...config.properties, runTaken: true } } : config;
}

/** Where a node's breakpoints are, as the `breakpoint` property carries them. */
export type BreakpointMark = 'before' | 'after' | 'both' | '';

export function breakpointMark(before: boolean, after: boolean): BreakpointMark {
  if (before && after) return 'both';
  return before ? 'before' : after ? 'after' : '';
}

const BREAKPOINT_COLOR = '#F56C6C';
const HERE_COLOR = '#8E44AD';
const DOT_RADIUS = 6;

/**
 * The gutter dots of a node's breakpoints, like an IDE's: left of the node for "pause before",
 * right of it for "pause after"; and a dashed outline where the picked checkpoint stood.
 * `data-breakpoint` lets a click on a dot remove it (FlowCanvas).
 */
export function drawDebugMarks(breakpoint: BreakpointMark, here: boolean, box: Box): SvgElement[] {
  const marks: SvgElement[] = [];
  const dot = (side: 'before' | 'after', cx: number) =>
    svg.circle(cx, box.y, DOT_RADIUS, { fill: BREAKPOINT_COLOR, stroke: '#FFFFFF', 'stroke-width': 2, 'data-breakpoint': side, cursor: 'pointer' });
  if (breakpoint === 'before' || breakpoint === 'both') marks.push(dot('before', box.x - box.width / 2 - DOT_RADIUS - HALO_GAP - 2));
  if (breakpoint === 'after' || breakpoint === 'both') marks.push(dot('after', box.x + box.width / 2 + DOT_RADIUS + HALO_GAP + 2));
  if (here) {
    const gap = HALO_GAP * 2;
    marks.push(
      svg.rect(box.x - box.width / 2 - gap, box.y - box.height / 2 - gap, box.width + 2 * gap, box.height + 2 * gap, {
        rx: 14,
        fill: 'none',
        stroke: HERE_COLOR,
        'stroke-width': 2,
        'stroke-dasharray': '3 3',
        'pointer-events': 'none',
        'data-run-here': '',
      }),
    );
  }
  return marks;
}

export function isBreakpointMark(value: unknown): value is BreakpointMark {
  return value === 'before' || value === 'after' || value === 'both' || value === '';
}
