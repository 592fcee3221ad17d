// The editor's way in and out of files, and its templates: auto-layout, JSON export and import
// (file picker and drop), SVG and PNG pictures of the drawing, and "use template" on the list page.
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { moreAction } from './toolbar';

interface FlowFile {
  id: string;
  name: string;
  nodes: { id: string; type: string; name?: string; parent?: string; position: { x: number; y: number } }[];
  edges: { id: string; source: string; target: string }[];
}

const example = (path: string) => JSON.parse(readFileSync(new URL(`../../examples/${path}`, import.meta.url), 'utf8')) as FlowFile;

/** The e2e database outlives one run: every test stores its own copy under a fresh id. */
const freshId = (base: string) => `${base}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

async function storeFlow(request: APIRequestContext, flow: FlowFile): Promise<string> {
  const response = await request.post('/api/flows', { data: flow });
  expect(response.status()).toBe(201);
  return flow.id;
}

/** Opens the stored flow; the canvas draws the nodes near the view (all of a small flow). */
async function openEditor(page: Page, flow: FlowFile): Promise<Locator> {
  await page.goto(`/flows/${flow.id}`);
  const canvas = page.getByTestId('flow-canvas');
  await expect(canvas.locator(`[data-flow-id="${flow.id}"]`)).toBeAttached();
  await expect(canvas.locator(`[data-node-id="${flow.nodes[0]?.id ?? ''}"]`)).toBeAttached();
  return canvas;
}

/** Clicks a toolbar action (in the "More" menu) that downloads a file, and answers the file's name and bytes. */
async function download(page: Page, action: string): Promise<{ name: string; bytes: Buffer }> {
  const item = await moreAction(page, action);
  const [file] = await Promise.all([page.waitForEvent('download'), item.click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}

async function exportedDocument(page: Page): Promise<FlowFile> {
  const { bytes } = await download(page, 'export-json');
  return JSON.parse(bytes.toString('utf8')) as FlowFile;
}

async function pickFile(page: Page, name: string, content: string): Promise<void> {
  const item = await moreAction(page, 'import-json');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), item.click()]);
  await chooser.setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
}

test('auto-layout lays a messy flow out left to right in one step, and undo puts every node back', async ({ page, request }) => {
  const flow = example('agent/support-router.json');
  flow.id = freshId(flow.id);
  // Scrambled: the end far left, the start far right, the rest anywhere.
  flow.nodes.forEach((node, index) => (node.position = { x: 900 - index * 150, y: ((index * 173) % 500) - 100 }));
  await storeFlow(request, flow);
  await openEditor(page, flow);
  const stored = await exportedDocument(page);

  await page.locator('[data-action="auto-layout"]').click();
  await expect(page.getByTestId('dirty-marker')).toBeVisible({ timeout: 60_000 });
  const laidOut = await exportedDocument(page);
  const position = (id: string) => laidOut.nodes.find((node) => node.id === id)?.position ?? { x: Number.NaN, y: Number.NaN };
  for (const edge of laidOut.edges) expect(position(edge.target).x, `${edge.id} runs left to right`).toBeGreaterThan(position(edge.source).x);
  expect(new Set(laidOut.nodes.map((node) => `${node.position.x},${node.position.y}`)).size).toBe(flow.nodes.length);

  await page.locator('[data-action="undo"]').click();
  await expect(page.getByTestId('dirty-marker')).toBeHidden();
  expect(await exportedDocument(page)).toEqual(stored);
  await page.locator('[data-action="redo"]').click();
  expect(await exportedDocument(page)).toEqual(laidOut);
});

/** Each drawn edge's path and each node's shape (its outline, not its label), in canvas coordinates. */
async function drawnGeometry(canvas: Locator): Promise<{ paths: Record<string, { x: number; y: number }[]>; shapes: Record<string, { left: number; top: number; right: number; bottom: number }> }> {
  return canvas.evaluate((root) => {
    const paths: Record<string, { x: number; y: number }[]> = {};
    for (const edge of root.querySelectorAll<SVGGElement>('[data-edge-id]')) {
      const line = edge.querySelector('polyline');
      const points = (line?.getAttribute('points') ?? '').trim().split(/\s+/).map((pair) => pair.split(',').map(Number));
      paths[edge.dataset.edgeId ?? ''] = points.map(([x = Number.NaN, y = Number.NaN]) => ({ x, y }));
    }
    const shapes: Record<string, { left: number; top: number; right: number; bottom: number }> = {};
    for (const node of root.querySelectorAll<SVGGElement>('[data-node-id]')) {
      // Icons and markers are drawn in coordinates of their own (nested <svg>s, transformed
      // groups); the outline is in the canvas's.
      const inOwnFrame = (shape: Element) => {
        const transformed = shape.closest('[transform]');
        return shape.closest('svg') === node.closest('svg') && !(transformed && node.contains(transformed));
      };
      const outline = [...node.querySelectorAll<SVGGraphicsElement>('rect, circle, ellipse, polygon')].filter(inOwnFrame).map((shape) => shape.getBBox());
      if (outline.length === 0) continue;
      shapes[node.dataset.nodeId ?? ''] = {
        left: Math.min(...outline.map((box) => box.x)),
        top: Math.min(...outline.map((box) => box.y)),
        right: Math.max(...outline.map((box) => box.x + box.width)),
        bottom: Math.max(...outline.map((box) => box.y + box.height)),
      };
    }
    return { paths, shapes };
  });
}

/** Whether the segment a–b runs through the inside of the box (along or on its border does not count). */
function crosses(a: { x: number; y: number }, b: { x: number; y: number }, box: { left: number; top: number; right: number; bottom: number }): boolean {
  const inner = { left: box.left + 1, top: box.top + 1, right: box.right - 1, bottom: box.bottom - 1 };
  let from = 0;
  let to = 1;
  for (const [p, q] of [
    [a.x - b.x, a.x - inner.left],
    [b.x - a.x, inner.right - a.x],
    [a.y - b.y, a.y - inner.top],
    [b.y - a.y, inner.bottom - a.y],
  ] as const) {
    if (p === 0) {
      if (q < 0) return false;
    } else if (p < 0) from = Math.max(from, q / p);
    else to = Math.min(to, q / p);
  }
  return from < to;
}

for (const file of ['bpmn/incident-escalation.json', 'bpmn/expense-approval.json']) {
test(`auto-layout draws the edges of ${file} along routes that pass under no other node, and undo restores the old paths`, async ({ page, request }) => {
  const flow = example(file);
  flow.id = freshId(flow.id);
  await storeFlow(request, flow);
  // Room for the whole laid-out drawing: the canvas draws only the elements near the view.
  await page.setViewportSize({ width: 2400, height: 1400 });
  const canvas = await openEditor(page, flow);
  const before = await drawnGeometry(canvas);

  await page.locator('[data-action="auto-layout"]').click();
  await expect(page.getByTestId('dirty-marker')).toBeVisible({ timeout: 60_000 });
  const laidOut = await exportedDocument(page);
  const bent = laidOut.edges.filter((edge) => ((edge as { waypoints?: unknown[] }).waypoints?.length ?? 0) > 0);
  expect(bent.length, 'branch edges got routes').toBeGreaterThan(0);
  // In a pool with lanes (expense approval), every edge from one lane to another bends: its ends
  // are in different bands, and stacking the lanes after ELK must not leave it without its route.
  const laneOf = (id: string) => flow.nodes.find((node) => node.id === id)?.parent;
  const crossLane = flow.nodes.some((node) => node.type === 'bpmn.lane') ? laidOut.edges.filter((edge) => laneOf(edge.source) !== laneOf(edge.target)) : [];
  for (const edge of crossLane) expect(bent.map((candidate) => candidate.id), `${edge.id} from lane to lane has a route`).toContain(edge.id);
  // The canvas redraws after the step; wait until every edge is drawn through its stored bends.
  await expect.poll(async () => Object.keys((await drawnGeometry(canvas)).paths).length).toBe(flow.edges.length);
  const { paths, shapes } = await drawnGeometry(canvas);
  // The canvas rounds a polyline's corners, so a bend is passed within the corner's radius, not on it.
  for (const edge of bent) {
    const drawn = paths[edge.id] ?? [];
    for (const bend of (edge as { waypoints?: { x: number; y: number }[] }).waypoints ?? []) {
      expect(Math.min(...drawn.map(({ x, y }) => Math.hypot(x - bend.x, y - bend.y))), `${edge.id} is drawn through ${bend.x},${bend.y}`).toBeLessThan(16);
    }
  }
  for (const edge of laidOut.edges) {
    const path = paths[edge.id] ?? [];
    expect(path.length, `${edge.id} is drawn`).toBeGreaterThanOrEqual(2);
    for (const [nodeId, box] of Object.entries(shapes)) {
      // A boundary event and its activity overlap, so the edges of either may meet the other; a
      // sub-process or pool is drawn around the edges inside it, and an edge from lane to lane
      // crosses the lanes between, as a lane's band spans the whole pool.
      const hostOf = (id: string) => (flow.nodes.find((node) => node.id === id) as { config?: { attachedTo?: string } } | undefined)?.config?.attachedTo;
      const holds = (id: string): boolean => {
        const parent = flow.nodes.find((node) => node.id === id)?.parent;
        return parent !== undefined && (parent === nodeId || holds(parent));
      };
      if (flow.nodes.find((node) => node.id === nodeId)?.type === 'bpmn.lane') continue;
      if ([edge.source, edge.target].some((end) => end === nodeId || end === hostOf(nodeId) || hostOf(end) === nodeId || holds(end))) continue;
      for (let index = 1; index < path.length; index += 1) {
        expect(crosses(path[index - 1] ?? { x: 0, y: 0 }, path[index] ?? { x: 0, y: 0 }, box), `${edge.id} passes under ${nodeId}`).toBe(false);
      }
    }
  }

  await page.locator('[data-action="undo"]').click();
  await expect(page.getByTestId('dirty-marker')).toBeHidden();
  await expect.poll(async () => (await drawnGeometry(canvas)).paths).toEqual(before.paths);
});
}

test('at 1280×800 the toolbar is one row of buttons, so the canvas keeps its height', async ({ page, request }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const flow = example('bpmn/incident-escalation.json');
  flow.id = freshId(flow.id);
  await storeFlow(request, flow);
  await openEditor(page, flow);
  const toolbar = page.getByRole('toolbar', { name: 'Canvas tools' });
  await expect(toolbar.locator('[data-action="more"]')).toBeVisible();
  const boxes = await toolbar.getByRole('button').evaluateAll((buttons) =>
    buttons.map((button) => {
      const box = button.getBoundingClientRect();
      return { action: button.getAttribute('data-action') ?? '', top: box.top, right: box.right, height: box.height };
    }),
  );
  // Every common action plus "More" and "Run": a toolbar that lost buttons would pass the row test trivially.
  expect(boxes.map((box) => box.action)).toEqual(expect.arrayContaining(['undo', 'redo', 'save', 'versions', 'auto-layout', 'zoom-in', 'zoom-out', 'fit', 'shortcuts', 'run', 'more']));
  const [first] = boxes;
  for (const box of boxes) {
    expect(Math.abs(box.top - (first?.top ?? 0)), `${box.action} sits on the first row`).toBeLessThan(1);
    expect(box.right, `${box.action} is inside the window`).toBeLessThanOrEqual(1280);
  }
  const bar = await toolbar.boundingBox();
  expect(bar?.height ?? Infinity, 'the toolbar is one row high').toBeLessThan(2 * (first?.height ?? 0));
});

test('export JSON downloads the flow document exactly, named after the flow', async ({ page, request }) => {
  const flow = example('bpmn/incident-escalation.json');
  flow.id = freshId(flow.id);
  await storeFlow(request, flow);
  await openEditor(page, flow);
  const { name, bytes } = await download(page, 'export-json');
  expect(name).toBe(`${flow.id}.json`);
  const { flow: stored } = (await (await request.get(`/api/flows/${flow.id}`)).json()) as { flow: FlowFile };
  expect(JSON.parse(bytes.toString('utf8'))).toEqual(stored);
});

test('a flow JSON file picked from disk replaces the open flow as one undoable step', async ({ page, request }) => {
  const open = example('agent/loop-counter.json');
  open.id = freshId(open.id);
  await storeFlow(request, open);
  const canvas = await openEditor(page, open);
  const imported = example('bpmn/order-fulfilment.json');

  await pickFile(page, 'order-fulfilment.json', JSON.stringify(imported));
  for (const node of imported.nodes) await expect(canvas.locator(`[data-node-id="${node.id}"]`)).toBeAttached();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(imported.name);
  await expect(page).toHaveURL(new RegExp(`/flows/${open.id}$`));
  const document = await exportedDocument(page);
  expect(document).toMatchObject({ id: open.id, name: imported.name, nodes: imported.nodes });

  await page.keyboard.press('Control+z');
  for (const node of open.nodes) await expect(canvas.locator(`[data-node-id="${node.id}"]`)).toBeAttached();
  const onlyImported = imported.nodes.find((node) => !open.nodes.some((candidate) => candidate.id === node.id));
  await expect(canvas.locator(`[data-node-id="${onlyImported?.id ?? ''}"]`)).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(open.name);
});

test('a file that is not a flow is refused with what is wrong and where, and changes nothing', async ({ page, request }) => {
  const open = example('agent/loop-counter.json');
  open.id = freshId(open.id);
  await storeFlow(request, open);
  const canvas = await openEditor(page, open);
  const dialog = page.getByRole('dialog');

  await pickFile(page, 'typo.json', '{\n  "schemaVersion": 1,\n  "name": "Typo",,\n}');
  await expect(dialog).toContainText('Could not import typo.json');
  await expect(dialog.getByTestId('import-problems')).toContainText('Line 3, column 18: not valid JSON');
  await dialog.getByRole('button', { name: 'OK' }).click();
  await expect(dialog).toBeHidden();

  const wrong = { ...example('agent/loop-counter.json'), nodes: [{ id: 'start', type: 'agent.start', position: { x: 'left', y: 0 } }] };
  await pickFile(page, 'wrong.json', JSON.stringify(wrong));
  await expect(dialog.getByTestId('import-problems')).toContainText('nodes[0].position.x');
  await dialog.getByRole('button', { name: 'OK' }).click();

  for (const node of open.nodes) await expect(canvas.locator(`[data-node-id="${node.id}"]`)).toBeAttached();
  await expect(page.locator('[data-action="undo"]')).toBeDisabled();
  await expect(page.getByTestId('dirty-marker')).toBeHidden();
});

test('a flow JSON file dropped on the canvas is imported', async ({ page, request }) => {
  const open = example('agent/loop-counter.json');
  open.id = freshId(open.id);
  await storeFlow(request, open);
  const canvas = await openEditor(page, open);
  const imported = example('agent/parallel-join.json');
  const dataTransfer = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'parallel-join.json', { type: 'application/json' }));
    return transfer;
  }, JSON.stringify(imported));
  await canvas.dispatchEvent('dragover', { dataTransfer });
  await canvas.dispatchEvent('drop', { dataTransfer });
  for (const node of imported.nodes) await expect(canvas.locator(`[data-node-id="${node.id}"]`)).toBeAttached();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(imported.name);
});

test('SVG and PNG exports picture the whole drawing; the SVG stands alone', async ({ page, request }) => {
  // Wider than the view at a readable zoom: the canvas has not drawn all of it when it opens.
  const flow = example('bpmn/incident-escalation.json');
  flow.id = freshId(flow.id);
  await storeFlow(request, flow);
  await openEditor(page, flow);

  const svg = await download(page, 'export-svg');
  expect(svg.name).toBe(`${flow.id}.svg`);
  const text = svg.bytes.toString('utf8');
  expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg /);
  // Styles are inline: no stylesheet, no class names to resolve, nothing loaded from elsewhere.
  expect(text).not.toMatch(/<style|class="|<link|url\((?!#)|href="http/);
  const picture = await page.evaluate(async (source) => {
    const parsed = new DOMParser().parseFromString(source, 'image/svg+xml');
    // A wrapped name is one <text> with a <tspan> per line.
    const labels = [...parsed.querySelectorAll('text')].map((label) => {
      const lines = [...label.querySelectorAll('tspan')].map((line) => line.textContent ?? '');
      return (lines.length > 0 ? lines.join(' ') : (label.textContent ?? '')).replace(/\s+/g, ' ').trim();
    });
    const image = new Image();
    image.src = URL.createObjectURL(new Blob([source], { type: 'image/svg+xml' }));
    await image.decode();
    return { labels, width: image.naturalWidth, height: image.naturalHeight };
  }, text);
  for (const node of flow.nodes) if (node.name) expect(picture.labels, `the SVG shows "${node.name}"`).toContain(node.name);
  expect(picture.width).toBeGreaterThan(600);
  expect(picture.height).toBeGreaterThan(200);

  const png = await download(page, 'export-png');
  expect(png.name).toBe(`${flow.id}.png`);
  expect(png.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  // IHDR: width and height as big-endian integers at bytes 16 and 20, at least the SVG's size.
  expect(png.bytes.readUInt32BE(16)).toBeGreaterThanOrEqual(picture.width);
  expect(png.bytes.readUInt32BE(20)).toBeGreaterThanOrEqual(picture.height);
  expect(png.bytes.length).toBeGreaterThan(5_000);
});

test('"use template" in the gallery opens a new flow with the template nodes in the editor', async ({ page }) => {
  const template = example('agent/support-router.json');
  await page.goto('/');
  const gallery = page.getByTestId('templates-gallery');
  const card = gallery.locator(`[data-template-id="${template.id}"]`);
  await expect(card).toContainText(template.name);
  await expect(card).toContainText(`${template.nodes.length} nodes`);
  await card.locator('[data-action="use-template"]').click();

  await expect(page).toHaveURL(new RegExp(`/flows/${template.id}-[a-z0-9]+$`));
  const canvas = page.getByTestId('flow-canvas');
  for (const node of template.nodes) await expect(canvas.locator(`[data-node-id="${node.id}"]`)).toBeAttached();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(template.name);
  await expect(page.getByTestId('dirty-marker')).toBeHidden();
});
