// What the canvas makes of the MIWG corpus (../shared/bpmn-corpus/miwg, read-only beside the
// project) through the real import: every event that has an event definition shows a marker, and
// every event's and gateway's name is drawn where its DI label bounds say, also after an export
// and a second import. The e2e picture test compares whole pictures, where a missing marker or a
// label a few lines off hardly moves the score; this names the element.
import { exportBpmnXml, importBpmnXml } from '@loomflow/bpmn';
import { createDefaultRegistry, type FlowDocument } from '@loomflow/graph-schema';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { drawLabel } from './canvas/node-drawing';
import type { SvgElement } from './canvas/svg-element';
import { canvasNodeSize, canvasViewOf } from './logicflow-graph';

const registry = createDefaultRegistry();
const corpus = join(dirname(fileURLToPath(import.meta.url)), '../../../../../shared/bpmn-corpus/miwg');
const files = readdirSync(corpus).filter((file) => file.endsWith('.bpmn')).sort();

/** Ids of the events whose element holds an event definition, whatever the namespace prefix. */
function eventsWithDefinitions(xml: string): string[] {
  const ids: string[] = [];
  for (const [, attributes, body] of xml.matchAll(/<(?:\w+:)?(?:start|end|boundary|intermediateCatch|intermediateThrow)Event\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?\w+Event>)/g)) {
    const id = /\bid="([^"]+)"/.exec(attributes ?? '')?.[1];
    if (id && /<(?:\w+:)?\w+EventDefinition\b/.test(body ?? '')) ids.push(id);
  }
  return ids;
}

/** The first line's position of a drawn label (a text or a group holding one). */
function firstLine(element: SvgElement): { x: number; y: number; lines: number } {
  if (element.tag === 'text') return { x: Number(element.attrs.x), y: Number(element.attrs.y), lines: element.children?.length ?? 0 };
  const inner = element.children?.[0];
  if (!inner) throw new Error('a label with no text');
  return firstLine(inner);
}

async function canvasChecks(flow: FlowDocument, xml: string, file: string): Promise<void> {
  const byId = new Map(flow.nodes.map((node) => [node.id, node]));
  for (const id of eventsWithDefinitions(xml)) {
    const node = byId.get(id);
    expect(node, `${file}: ${id} imported`).toBeDefined();
    if (!node) continue;
    const view = canvasViewOf(node, registry);
    expect(view.kind === 'event' && view.marker, `${file}: ${id} (${node.name ?? ''}) shows the marker of its trigger`).toBeTruthy();
  }
  for (const node of flow.nodes) {
    const view = canvasViewOf(node, registry);
    const bounds = node.bpmn?.label;
    if ((view.kind !== 'event' && view.kind !== 'gateway') || !bounds || !node.name) continue;
    const size = canvasNodeSize(node, registry);
    const drawn = drawLabel(view, { ...node.position, ...size }, node.name, { color: '#000', fontSize: 12 });
    if (!drawn) throw new Error(`${file}: ${node.id} has no label drawn`);
    const { x, y, lines } = firstLine(drawn);
    const lineHeight = 15;
    // The block of lines is centred on the label bounds.
    const centreY = y + ((lines - 1) * lineHeight) / 2;
    expect(Math.abs(x - (node.position.x + bounds.x + bounds.width / 2)), `${file}: ${node.id}'s label x`).toBeLessThan(1);
    expect(Math.abs(centreY - (node.position.y + bounds.y + bounds.height / 2)), `${file}: ${node.id}'s label y`).toBeLessThan(1);
  }
}

describe('the canvas of every MIWG file', () => {
  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
  });

  it.each(files)('%s: markers on every event with a trigger, names of events and gateways at their DI label bounds, also after a round trip', async (file) => {
    const xml = readFileSync(join(corpus, file), 'utf8');
    const first = await importBpmnXml(xml);
    await canvasChecks(first.flow, xml, file);
    const again = await importBpmnXml((await exportBpmnXml(first.flow)).xml);
    await canvasChecks(again.flow, xml, file);
    // The label bounds themselves survive (±1 px).
    for (const node of first.flow.nodes) {
      const label = node.bpmn?.label;
      if (!label) continue;
      const after = again.flow.nodes.find((other) => other.id === node.id)?.bpmn?.label;
      expect(after, `${file}: ${node.id}'s label bounds after a round trip`).toBeDefined();
      for (const key of ['x', 'y', 'width', 'height'] as const) expect(Math.abs((after?.[key] ?? NaN) - label[key])).toBeLessThanOrEqual(1);
    }
  });
});
