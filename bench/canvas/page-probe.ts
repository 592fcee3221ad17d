// Runs in every benchmarked page before the page's own scripts (bundled by esbuild and added as
// an init script, so that no transpiler helper leaks into it): notes the first animation frame in
// which the page shows the flow `benchFlowId` (an element with that `data-flow-id`), when the
// last long task ended (work after the first picture still keeps input waiting), and, while
// the harness drags a node, how long each frame that handled a mouse move took. Frames without a
// move are left out: while Playwright sends the next move the page idles, and those idle frames
// would pull the median down to the display's frame interval whatever a move costs.

export interface PageProbe {
  /** performance.now() of the first frame with the flow drawn; -1 until then. */
  openedAt: number;
  /** When the latest task of 50 ms or more ended (what keeps a page from answering input). */
  lastLongTaskEnd: number;
  /** Durations of the frames that handled at least one mouse move, while recording. */
  moveFrames: number[];
  recording: boolean;
  record(): void;
}

declare global {
  interface Window {
    benchFlowId: string;
    benchProbe: PageProbe;
  }
}

let movesSinceFrame = 0;
let previousFrame: number | undefined;

// Continuous input is dispatched at the start of a frame, before its animation frame callbacks.
// The clock is read here rather than taken from the callback's argument: after a long task that
// argument can be the start of a frame that was due before the task began.
function tick(): void {
  const now = performance.now();
  const probe = window.benchProbe;
  if (probe.openedAt < 0 && document.querySelector(`[data-flow-id="${window.benchFlowId}"]`)) probe.openedAt = now;
  if (probe.recording) {
    // The time since the previous frame's callbacks covers that frame's rendering and this
    // frame's input handling: a frame's worth of work, counted when this frame handled a move.
    if (previousFrame !== undefined && movesSinceFrame > 0) probe.moveFrames.push(now - previousFrame);
    previousFrame = now;
    movesSinceFrame = 0;
  }
  if (probe.openedAt < 0 || probe.recording) requestAnimationFrame(tick);
}

window.addEventListener('mousemove', () => (movesSinceFrame += 1), { capture: true, passive: true });

window.benchProbe = {
  openedAt: -1,
  lastLongTaskEnd: 0,
  moveFrames: [],
  recording: false,
  record() {
    this.moveFrames = [];
    this.recording = true;
    previousFrame = undefined;
    movesSinceFrame = 0;
    requestAnimationFrame(tick);
  },
};
requestAnimationFrame(tick);
new PerformanceObserver((list) => {
  for (const task of list.getEntries()) window.benchProbe.lastLongTaskEnd = Math.max(window.benchProbe.lastLongTaskEnd, task.startTime + task.duration);
}).observe({ type: 'longtask', buffered: true });
