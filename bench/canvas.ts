// The canvas at scale: Loomflow's real editor page (the built web app served by the built server,
// the flow created through POST /api/flows) against bpmn-js's Modeler opening the same drawing as
// BPMN 2.0 XML, in one Chromium, for grids of 500, 2,000 and 5,000 nodes. For each side it times
// opening (navigation to the first frame with the drawing on screen; the part of it after the
// drawing's data arrived; and the end of the last long task after it), the frames that handle the
// mouse moves of a drag of one node, and the JS heap after opening. Sides alternate, each in a
// fresh browser context; the medians of the rounds are compared. Progress and a table go to
// stderr, the JSON result to stdout. README.md says how to run it and how to read it.
// Options: --sizes 500,2000 (default 500,2000,5000), --rounds N (default 3).
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { freePort } from '@loomflow/server/testing/server-process';
import { gridFlow, toBpmnXml } from './canvas/grid-flow';

const { values: options } = parseArgs({ options: { sizes: { type: 'string', default: '500,2000,5000' }, rounds: { type: 'string', default: '3' } } });
const SIZES = options.sizes.split(',').map(Number);
const ROUNDS = Number(options.rounds);
/** Mouse moves in one drag; each is one input event, delivered at most once per frame. */
const DRAG_STEPS = 60;
/** One and a half grid cells at 100%: the pointer ends between tasks, where bpmn-js allows a drop. */
const DRAG_DISTANCE = { x: 225, y: 195 };
const VIEWPORT = { width: 1600, height: 1000 };
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const repoRoot = join(import.meta.dirname, '..');
const serverBundle = join(repoRoot, 'apps/server/dist/index.js');
const webDist = process.env.LOOMFLOW_WEB_DIST || join(repoRoot, 'apps/web/dist');
for (const artifact of [serverBundle, join(webDist, 'index.html')]) {
  if (!existsSync(artifact)) throw new Error(`bench:canvas: ${artifact} is missing; run "pnpm build" first (or set LOOMFLOW_WEB_DIST to a web build).`);
}

type Side = 'loomflow' | 'bpmnJs';

interface Sample {
  /** Navigation start to the first animation frame with the drawing rendered. */
  readonly openMs: number;
  /** The part of openMs after the drawing's data had arrived: parsing, building and rendering it. */
  readonly renderMs: number;
  /** Navigation start to the end of the last long task after opening: when input is answered again. */
  readonly settledMs: number;
  /** Frames that handled a mouse move of the drag (see canvas/page-probe.ts). */
  readonly dragFrameMs: { readonly median: number; readonly p95: number };
  readonly heapMb: number;
  readonly domNodes: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Bundles the bpmn-js page (bpmn-js, its CSS and font) into a folder served over HTTP. */
async function bundleBpmnJsPage(dir: string): Promise<void> {
  await build({
    entryPoints: [join(import.meta.dirname, 'canvas/bpmn-js-page.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    outfile: join(dir, 'page.js'),
    loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file' },
    logLevel: 'warning',
  });
  const html = '<!doctype html><html><head><meta charset="utf-8"><title>bpmn-js</title><link rel="stylesheet" href="/page.css"></head>'
    + '<body style="margin:0"><div id="canvas"></div><script type="module" src="/page.js"></script></body></html>';
  writeFileSync(join(dir, 'index.html'), html);
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.bpmn': 'application/xml; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.eot': 'application/vnd.ms-fontobject',
  '.svg': 'image/svg+xml',
};

/** A static server for the bpmn-js page and the diagrams, on a port of its own (its own origin). */
async function serveBpmnJsPage(dir: string, diagrams: ReadonlyMap<string, string>): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const diagram = /^\/diagrams\/(.+)\.bpmn$/.exec(path)?.[1];
    if (diagram !== undefined && diagrams.has(diagram)) {
      response.writeHead(200, { 'Content-Type': CONTENT_TYPES['.bpmn'] }).end(diagrams.get(diagram));
      return;
    }
    const file = join(dir, normalize(path === '/' ? '/index.html' : path));
    if (!file.startsWith(dir) || !existsSync(file)) {
      // Chromium asks for a favicon; an empty answer keeps a 404 out of the console.
      response.writeHead(path === '/favicon.ico' ? 204 : 404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, server };
}

/** The built server serving the built web app, on a fresh database. */
async function startLoomflow(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [serverBundle], {
    env: {
      ...process.env,
      LOOMFLOW_HOST: '127.0.0.1',
      LOOMFLOW_PORT: String(port),
      LOOMFLOW_DB_URL: pathToFileURL(join(dir, 'loomflow.db')).href,
      LOOMFLOW_WEB_DIST: webDist,
      LOOMFLOW_API_TOKEN: '',
      LOOMFLOW_CORS_ORIGINS: '',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 30_000; ; ) {
    if (child.exitCode !== null) throw new Error(`the Loomflow server exited with ${child.exitCode}`);
    const healthy = await fetch(`${url}/api/health`).then((response) => response.ok, () => false);
    if (healthy) return { url, child };
    if (Date.now() > deadline) throw new Error('the Loomflow server did not start within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The page probe as a classic script, for `addInitScript`. */
async function bundleProbe(): Promise<string> {
  const result = await build({ entryPoints: [join(import.meta.dirname, 'canvas/page-probe.ts')], bundle: true, format: 'iife', target: 'es2022', write: false, logLevel: 'warning' });
  return (result.outputFiles[0] as { text: string }).text;
}

/** Where a side draws its nodes: the canvas element, the nodes' elements and their id attribute. */
interface DragTarget {
  readonly canvas: string;
  readonly nodes: string;
  readonly idAttribute: string;
}

const DRAG_TARGETS: Readonly<Record<Side, DragTarget>> = {
  loomflow: { canvas: '[data-testid="flow-canvas"]', nodes: '[data-node-id^="task_"]', idAttribute: 'data-node-id' },
  bpmnJs: { canvas: '#canvas', nodes: 'g.djs-shape[data-element-id^="task_"]', idAttribute: 'data-element-id' },
};

async function measure(browser: Browser, probe: string, side: Side, url: string, flowId: string, dataPath: string): Promise<Sample> {
  const target = DRAG_TARGETS[side];
  const context: BrowserContext = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page: Page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.addInitScript({ content: `window.benchFlowId = ${JSON.stringify(flowId)};\n${probe}` });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.benchProbe.openedAt >= 0, undefined, { timeout: 300_000 });
    // Settled: no long task for a second, so that what the page does after its first picture
    // (validation, the minimap…) counts, and does not run into the drag.
    const settledAt = await page.waitForFunction(
      () => {
        const { openedAt, lastLongTaskEnd } = window.benchProbe;
        const settled = Math.max(openedAt, lastLongTaskEnd);
        return performance.now() - settled > 1000 ? settled : undefined;
      },
      undefined,
      { timeout: 300_000, polling: 250 },
    );
    const opened = await page.evaluate((path) => {
      const { openedAt } = window.benchProbe;
      const data = performance.getEntriesByType('resource').find((entry) => new URL(entry.name).pathname === path) as PerformanceResourceTiming | undefined;
      return { openMs: openedAt, renderMs: data ? openedAt - data.responseEnd : Number.NaN };
    }, dataPath);
    const settledMs = (await settledAt.jsonValue()) as number;
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    const metric = (name: string) => metrics.find((entry) => entry.name === name)?.value ?? Number.NaN;

    // The node nearest the middle of the canvas: both editors show the same part of the drawing.
    const picked = await page.evaluate(
      ({ nodes, canvas, idAttribute }) => {
        const area = (document.querySelector(canvas) as Element).getBoundingClientRect();
        const middle = { x: area.x + area.width / 2, y: area.y + area.height / 2 };
        let best: { id: string; x: number; y: number; distance: number } | undefined;
        for (const element of document.querySelectorAll(nodes)) {
          const box = element.getBoundingClientRect();
          const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
          const distance = Math.hypot(centre.x - middle.x, centre.y - middle.y);
          if (!best || distance < best.distance) best = { id: element.getAttribute(idAttribute) ?? '', ...centre, distance };
        }
        return best;
      },
      target,
    );
    if (!picked) throw new Error(`${side}: no node to drag (${target.nodes})`);
    const dragged = page.locator(`[${target.idAttribute}="${picked.id}"]`).first();
    const before = await dragged.boundingBox();
    await page.mouse.move(picked.x, picked.y);
    await page.mouse.down();
    await page.evaluate(() => window.benchProbe.record());
    await page.mouse.move(picked.x + DRAG_DISTANCE.x, picked.y + DRAG_DISTANCE.y, { steps: DRAG_STEPS });
    const deltas = await page.evaluate(() => {
      window.benchProbe.recording = false;
      return window.benchProbe.moveFrames;
    });
    await page.mouse.up();
    // The drop is committed (Loomflow: a node.move command) before the node is looked at again.
    await page.waitForTimeout(300);
    const after = await dragged.boundingBox();
    if (!before || !after || Math.abs(after.x - before.x) < DRAG_DISTANCE.x / 2) {
      throw new Error(`${side}: the dragged node ${picked.id} did not follow the mouse (${JSON.stringify(before)} → ${JSON.stringify(after)})`);
    }
    if (errors.length > 0) throw new Error(`${side}: the page logged errors:\n${errors.join('\n')}`);
    if (deltas.length === 0) throw new Error(`${side}: no frame handled a mouse move of the drag`);
    return {
      ...opened,
      settledMs,
      dragFrameMs: { median: median(deltas), p95: percentile(deltas, 0.95) },
      heapMb: metric('JSHeapUsedSize') / 2 ** 20,
      domNodes: metric('Nodes'),
    };
  } finally {
    await context.close();
  }
}

function summarize(samples: readonly Sample[]) {
  return {
    openMs: Math.round(median(samples.map((sample) => sample.openMs))),
    renderMs: Math.round(median(samples.map((sample) => sample.renderMs))),
    settledMs: Math.round(median(samples.map((sample) => sample.settledMs))),
    dragFrameMs: {
      median: round1(median(samples.map((sample) => sample.dragFrameMs.median))),
      p95: round1(median(samples.map((sample) => sample.dragFrameMs.p95))),
    },
    heapMb: round1(median(samples.map((sample) => sample.heapMb))),
    domNodes: Math.round(median(samples.map((sample) => sample.domNodes))),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'loomflow-bench-canvas-'));
const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
try {
  const flows = SIZES.map((size) => ({ size, flow: gridFlow(size) }));
  await bundleBpmnJsPage(dir);
  const probe = await bundleProbe();
  const peer = await serveBpmnJsPage(dir, new Map(flows.map(({ flow }) => [flow.id, toBpmnXml(flow)])));
  cleanups.unshift(() => new Promise((resolve) => peer.server.close(() => resolve())));
  const loomflow = await startLoomflow(dir);
  cleanups.unshift(() => {
    loomflow.child.kill();
  });
  for (const { flow } of flows) {
    const created = await fetch(`${loomflow.url}/api/flows`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(flow) });
    if (created.status !== 201) throw new Error(`creating ${flow.id} failed: ${created.status} ${await created.text()}`);
  }
  const browser = await chromium.launch({ executablePath: process.env.LOOMFLOW_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  cleanups.unshift(() => browser.close());

  // The bpmn-js container gets the size of Loomflow's canvas (the editor page around it takes the
  // rest of the viewport), so that both show the same part of the drawing. Opening the first flow
  // once also warms the server and the browser up for both sides.
  const first = flows[0];
  if (!first) throw new Error('no sizes to measure');
  const layoutContext = await browser.newContext({ viewport: VIEWPORT });
  const layoutPage = await layoutContext.newPage();
  await layoutPage.goto(`${loomflow.url}/flows/${first.flow.id}`);
  const canvasBox = await layoutPage.getByTestId('flow-canvas').boundingBox();
  await layoutContext.close();
  if (!canvasBox) throw new Error('the Loomflow canvas is not visible');
  const canvasSize = { width: Math.round(canvasBox.width), height: Math.round(canvasBox.height) };

  const samples = new Map<string, Sample[]>();
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const { size, flow } of flows) {
      const sides: Side[] = round % 2 === 0 ? ['loomflow', 'bpmnJs'] : ['bpmnJs', 'loomflow'];
      for (const side of sides) {
        const sample =
          side === 'loomflow'
            ? await measure(browser, probe, side, `${loomflow.url}/flows/${flow.id}`, flow.id, `/api/flows/${flow.id}`)
            : await measure(
                browser,
                probe,
                side,
                `${peer.url}/?flow=${flow.id}&width=${canvasSize.width}&height=${canvasSize.height}`,
                flow.id,
                `/diagrams/${flow.id}.bpmn`,
              );
        samples.set(`${side}:${size}`, [...(samples.get(`${side}:${size}`) ?? []), sample]);
        console.error(`round ${round + 1}/${ROUNDS} ${size} nodes ${side}: open ${Math.round(sample.openMs)} ms, settled ${Math.round(sample.settledMs)} ms, drag frame median ${round1(sample.dragFrameMs.median)} ms, heap ${round1(sample.heapMb)} MB`);
      }
    }
  }

  const results = SIZES.map((size) => {
    const ours = summarize(samples.get(`loomflow:${size}`) ?? []);
    const theirs = summarize(samples.get(`bpmnJs:${size}`) ?? []);
    return {
      nodes: size,
      loomflow: ours,
      bpmnJs: theirs,
      ratio: {
        open: Number((ours.openMs / theirs.openMs).toFixed(2)),
        render: Number((ours.renderMs / theirs.renderMs).toFixed(2)),
        settled: Number((ours.settledMs / theirs.settledMs).toFixed(2)),
        dragFrame: Number((ours.dragFrameMs.median / theirs.dragFrameMs.median).toFixed(2)),
        heap: Number((ours.heapMb / theirs.heapMb).toFixed(2)),
      },
    };
  });

  const rows = results.map(({ nodes, loomflow: ours, bpmnJs: theirs, ratio }) =>
    [
      String(nodes),
      `${ours.openMs} / ${theirs.openMs}`,
      ratio.open.toFixed(2),
      `${ours.renderMs} / ${theirs.renderMs}`,
      ratio.render.toFixed(2),
      `${ours.settledMs} / ${theirs.settledMs}`,
      ratio.settled.toFixed(2),
      `${ours.dragFrameMs.median} / ${theirs.dragFrameMs.median}`,
      ratio.dragFrame.toFixed(2),
      `${ours.dragFrameMs.p95} / ${theirs.dragFrameMs.p95}`,
      `${ours.heapMb} / ${theirs.heapMb}`,
      ratio.heap.toFixed(2),
    ].join(' | '),
  );
  console.error(
    [
      '',
      'nodes | open ms Loomflow / bpmn-js | ratio | render ms | ratio | settled ms | ratio | drag frame median ms | ratio | drag frame p95 ms | JS heap MB | ratio',
      ...rows,
      '',
      `Targets (issue 5): open ratio ≤ 1.0; Loomflow's drag frames within one 60 Hz frame (16.7 ms) at 2,000 nodes. Canvas ${canvasSize.width}×${canvasSize.height}, ${ROUNDS} rounds, medians.`,
    ].join('\n'),
  );
  console.log(
    JSON.stringify(
      {
        benchmark: 'canvas',
        peer: 'bpmn-js 18.31.1 Modeler',
        rounds: ROUNDS,
        canvas: canvasSize,
        drag: { steps: DRAG_STEPS, distance: DRAG_DISTANCE },
        results,
        chromium: browser.version(),
      },
      null,
      2,
    ),
  );
} finally {
  for (const cleanup of cleanups) await cleanup();
}
