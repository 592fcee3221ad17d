// BPMN XML in and out of the editor: a MIWG reference model (made by Signavio, with pools, lanes
// and message flows) imported through the toolbar's file picker lands at its diagram positions,
// and the XML Export BPMN downloads imports again to the same drawing.
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { moreAction } from './toolbar';

test.describe.configure({ timeout: 180_000 });

interface FlowFile {
  id: string;
  name: string;
  nodes: { id: string; type: string; position: { x: number; y: number }; size?: { width: number; height: number } }[];
  edges: { id: string; source: string; target: string }[];
}

const miwgFile = 'A.4.1.bpmn';
const miwg = readFileSync(new URL(`../../../shared/bpmn-corpus/miwg/${miwgFile}`, import.meta.url), 'utf8');

/** The DI bounds of every shape in the file, by the id of the element it draws. */
function shapeBounds(xml: string): Map<string, { x: number; y: number; width: number; height: number }> {
  const shapes = new Map<string, { x: number; y: number; width: number; height: number }>();
  for (const [, id, attributes] of xml.matchAll(/<bpmndi:BPMNShape\b[^>]*\bbpmnElement="([^"]+)"[^>]*>\s*<\w+:Bounds\b([^>]*)\/>/g)) {
    const number = (name: string) => Number(new RegExp(`\\b${name}="([^"]+)"`).exec(attributes ?? '')?.[1]);
    shapes.set(id ?? '', { x: number('x'), y: number('y'), width: number('width'), height: number('height') });
  }
  return shapes;
}

async function download(page: Page, action: string): Promise<{ name: string; text: string }> {
  const item = await moreAction(page, action);
  const [file] = await Promise.all([page.waitForEvent('download'), item.click()]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

async function pickBpmn(page: Page, name: string, xml: string): Promise<void> {
  const item = await moreAction(page, 'import-bpmn');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), item.click()]);
  await chooser.setFiles({ name, mimeType: 'application/xml', buffer: Buffer.from(xml) });
}

/** The report lists what the importer noticed (A.4.1's label fonts); closing it leaves the drawing. */
async function closeReport(page: Page): Promise<void> {
  const report = page.getByTestId('bpmn-import-report');
  await expect(report).toContainText('elements in the file');
  await page.getByRole('button', { name: 'OK' }).click();
  await expect(report).toBeHidden();
}

test('import a MIWG model through the file picker at its DI positions, export BPMN and import that again', async ({ page, request }) => {
  const open: FlowFile = JSON.parse(readFileSync(new URL('../../examples/bpmn/payment-reminder.json', import.meta.url), 'utf8')) as FlowFile;
  open.id = `bpmn-import-${Date.now().toString(36)}`;
  expect((await request.post('/api/flows', { data: open })).status()).toBe(201);
  await page.goto(`/flows/${open.id}`);
  const canvas = page.getByTestId('flow-canvas');
  await expect(canvas.locator(`[data-node-id="${open.nodes[0]?.id ?? ''}"]`)).toBeAttached();

  await pickBpmn(page, miwgFile, miwg);
  await closeReport(page);
  await page.locator('[data-action="fit"]').click();
  const shapes = shapeBounds(miwg);
  expect(shapes.size).toBe(22);
  for (const id of shapes.keys()) await expect(canvas.locator(`[data-node-id="${id}"]`)).toBeAttached();

  // The document holds each shape's centre and size; the canvas draws them at one scale.
  const { text: json } = await download(page, 'export-json');
  const flow = JSON.parse(json) as FlowFile;
  expect(flow.id).toBe(open.id);
  for (const [id, bounds] of shapes) {
    const node = flow.nodes.find((candidate) => candidate.id === id);
    expect(node?.position, id).toEqual({ x: bounds.x + bounds.width / 2, y: bounds.y + bounds.height / 2 });
    expect(node?.size, id).toEqual({ width: bounds.width, height: bounds.height });
  }
  // On screen every task sits where its DI puts it, all at one scale (the zoom of "fit").
  const tasks = flow.nodes.filter((node) => node.type === 'bpmn.task');
  expect(tasks.length).toBeGreaterThanOrEqual(3);
  const centreOf = async (id: string) => {
    // The task's outline, not its whole group: a label or a marker may reach beyond it.
    const box = await canvas.locator(`[data-node-id="${id}"] rect`).first().boundingBox();
    if (!box) throw new Error(`${id} is not drawn`);
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  };
  const [origin, ...others] = tasks;
  if (!origin) throw new Error('A.4.1 has tasks');
  const far = others.reduce((best, node) => (Math.abs(node.position.x - origin.position.x) > Math.abs(best.position.x - origin.position.x) ? node : best));
  const originOnScreen = await centreOf(origin.id);
  const zoom = ((await centreOf(far.id)).x - originOnScreen.x) / (far.position.x - origin.position.x);
  expect(zoom).toBeGreaterThan(0.2);
  for (const task of others) {
    const onScreen = await centreOf(task.id);
    expect(Math.abs(onScreen.x - originOnScreen.x - (task.position.x - origin.position.x) * zoom), task.id).toBeLessThan(2);
    expect(Math.abs(onScreen.y - originOnScreen.y - (task.position.y - origin.position.y) * zoom), task.id).toBeLessThan(2);
  }

  // Export BPMN: every element of the file is in the XML, at the same bounds (to the pixel; the
  // centre's arithmetic may change the last digits of a float).
  const exported = await download(page, 'export-bpmn');
  expect(exported.name).toBe(`${open.id}.bpmn`);
  const exportedShapes = shapeBounds(exported.text);
  for (const [id, bounds] of shapes) {
    const written = exportedShapes.get(id);
    for (const key of ['x', 'y', 'width', 'height'] as const) expect(Math.abs((written?.[key] ?? Number.NaN) - bounds[key]), `${id} ${key}`).toBeLessThan(1);
  }

  // The downloaded file imports again, through the same picker, to the same drawing.
  await page.locator('[data-action="undo"]').click();
  await expect(canvas.locator(`[data-node-id="${open.nodes[0]?.id ?? ''}"]`)).toBeAttached();
  await pickBpmn(page, exported.name, exported.text);
  await closeReport(page);
  const again = JSON.parse((await download(page, 'export-json')).text) as FlowFile;
  const drawing = (document: FlowFile) => document.nodes.map(({ id, type, position, size }) => ({ id, type, position, size })).sort((x, y) => x.id.localeCompare(y.id));
  expect(drawing(again)).toEqual(drawing(flow));
  expect(again.edges.map(({ id, source, target }) => ({ id, source, target })).sort((x, y) => x.id.localeCompare(y.id))).toEqual(
    flow.edges.map(({ id, source, target }) => ({ id, source, target })).sort((x, y) => x.id.localeCompare(y.id)),
  );
});
