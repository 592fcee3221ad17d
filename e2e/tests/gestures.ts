// Pointer gestures on the LogicFlow canvas, done the way a person does them, for every journey.
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

/** LogicFlow's drag-and-drop follows pointer moves; a few intermediate steps make it see the drag. */
export async function dragFromPalette(page: Page, nodeType: string, to: { x: number; y: number }): Promise<void> {
  const item = page.getByRole('navigation', { name: 'Node types' }).locator(`[data-node-type="${nodeType}"]`);
  await item.scrollIntoViewIfNeeded();
  const box = await item.boundingBox();
  if (!box) throw new Error(`palette item ${nodeType} is not visible`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 15 });
  await page.mouse.up();
}

export async function boxOf(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element is not visible');
  return box;
}

export async function centreOf(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await boxOf(locator);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Draws a connection the way a person does: from the source's right-hand anchor onto the target. */
export async function connect(page: Page, canvas: Locator, sourceId: string, targetId: string): Promise<void> {
  const source = canvas.locator(`[data-node-id="${sourceId}"]`);
  // Anchors show on hover; leave first, in case the pointer already rests on the node.
  await page.mouse.move(0, 0);
  await source.hover();
  const anchors = source.locator('.lf-node-anchor');
  await expect(anchors.first()).toBeAttached();
  const points = await Promise.all((await anchors.all()).map((anchor) => centreOf(anchor)));
  const rightmost = points.reduce((best, point) => (point.x > best.x ? point : best));
  const target = await centreOf(canvas.locator(`[data-node-id="${targetId}"]`));
  await page.mouse.move(rightmost.x, rightmost.y);
  await page.mouse.down();
  // A short first leg lets LogicFlow start the connection line before the long move.
  await page.mouse.move(rightmost.x + 30, rightmost.y, { steps: 5 });
  await page.mouse.move(target.x, target.y, { steps: 15 });
  await page.mouse.up();
}

/**
 * Clicks the drawn connection from one node to another, on the middle of its longest segment:
 * a polyline's bounding-box centre is often off the line.
 */
export async function clickEdge(page: Page, canvas: Locator, sourceId: string, targetId: string): Promise<void> {
  const point = await canvas.evaluate(
    (root, ids) => {
      const rectOf = (id: string) => root.querySelector(`[data-node-id="${id}"]`)?.getBoundingClientRect();
      const near = (rect: DOMRect, x: number, y: number) => x >= rect.left - 12 && x <= rect.right + 12 && y >= rect.top - 12 && y <= rect.bottom + 12;
      const source = rectOf(ids.sourceId);
      const target = rectOf(ids.targetId);
      if (!source || !target) return undefined;
      for (const line of root.querySelectorAll<SVGPolylineElement>('.lf-edge polyline')) {
        const matrix = line.getScreenCTM();
        if (!matrix) continue;
        const points = Array.from(line.points, (p) => new DOMPoint(p.x, p.y).matrixTransform(matrix));
        const first = points[0];
        const last = points.at(-1);
        if (!first || !last || !near(source, first.x, first.y) || !near(target, last.x, last.y)) continue;
        let best = { x: first.x, y: first.y, length: -1 };
        for (let index = 1; index < points.length; index += 1) {
          const a = points[index - 1] as DOMPoint;
          const b = points[index] as DOMPoint;
          const length = Math.hypot(b.x - a.x, b.y - a.y);
          if (length > best.length) best = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, length };
        }
        return { x: best.x, y: best.y };
      }
      return undefined;
    },
    { sourceId, targetId },
  );
  if (!point) throw new Error(`no connection is drawn from ${sourceId} to ${targetId}`);
  await page.mouse.click(point.x, point.y);
}
