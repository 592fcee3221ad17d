import { LogicFlow } from '@logicflow/core';
import type { FlowDocument, FlowNode } from '@loomflow/graph-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { createCanvasViewport, drawEverything, drawnAreaFor, elementsToDraw, fittedView, openingView, servesView, type CanvasViewport } from './canvas-viewport';
import type { Rect } from './canvas/minimap-geometry';

const NODE_SIZE = { width: 100, height: 80 };
const boxOf = (node: FlowNode): Rect => ({ x: node.position.x - 50, y: node.position.y - 40, ...NODE_SIZE });

/** `rows` × `columns` tasks `gap` apart, chained row by row. */
function grid(rows: number, columns: number, gap = 150): FlowDocument {
  const nodes: FlowNode[] = [];
  for (let row = 0; row < rows; row += 1) {
    for (let column = 0; column < columns; column += 1) {
      nodes.push({ id: `n${row}_${column}`, type: 'bpmn.task', position: { x: 100 + column * gap, y: 100 + row * gap }, config: {} });
    }
  }
  const edges = nodes.slice(1).map((node, index) => ({ id: `e${index}`, source: (nodes[index] as FlowNode).id, target: node.id }));
  return { schemaVersion: 1, id: 'grid', name: 'Grid', kind: 'bpmn', state: { channels: [] }, nodes, edges };
}

describe('view arithmetic', () => {
  const canvas = { width: 1000, height: 800 };

  it('fits a drawing centred, and stops at the minimum zoom instead of refusing', () => {
    const fitted = fittedView({ x: 0, y: 0, width: 940, height: 400 }, canvas, 60);
    expect(fitted.scale).toBeCloseTo(1);
    expect(fitted.translateX).toBeCloseTo(30);
    expect(fitted.translateY).toBeCloseTo(200);
    expect(fittedView({ x: 0, y: 0, width: 100_000, height: 100 }, canvas, 60).scale).toBe(0.2);
  });

  it('opens a drawing fitted while it is readable, and at 100% from its top-left corner otherwise', () => {
    expect(openingView({ x: 0, y: 0, width: 1500, height: 600 }, canvas, 60).scale).toBeCloseTo(1000 / 1560);
    expect(openingView({ x: 50, y: 60, width: 7000, height: 6000 }, canvas, 60)).toEqual({ scale: 1, translateX: -20, translateY: -30 });
  });

  it('draws half a view around the view, and chooses again once the view leaves it or zooms far in', () => {
    const view = { x: 0, y: 0, width: 1000, height: 800 };
    const drawn = drawnAreaFor(view);
    expect(drawn).toEqual({ x: -500, y: -400, width: 2000, height: 1600 });
    expect(servesView(drawn, { ...view, x: 400 })).toBe(true);
    expect(servesView(drawn, { ...view, x: 600 })).toBe(false);
    expect(servesView(drawn, { x: 0, y: 0, width: 200, height: 100 })).toBe(false);
  });

  it('chooses the nodes in the area, the edges crossing it with both their ends, and the selection', () => {
    const flow = grid(1, 10);
    const area = { x: 0, y: 0, width: 300, height: 200 };
    const drawn = elementsToDraw(flow, boxOf, area, new Set(['n0_9']));
    // n0_0 and n0_1 are in the area; e1 (n0_1 → n0_2) crosses its edge, so n0_2 comes along.
    expect([...drawn.nodeIds].sort()).toEqual(['n0_0', 'n0_1', 'n0_2', 'n0_9']);
    expect([...drawn.edgeIds].sort()).toEqual(['e0', 'e1']);
  });
});

// A real LogicFlow, drawing into happy-dom: slow, hence the time allowed.
describe('the canvas viewport', { timeout: 30_000 }, () => {
  let lf: LogicFlow | undefined;
  let viewport: CanvasViewport | undefined;

  afterEach(() => {
    viewport?.dispose();
    lf?.destroy();
  });

  function mount(flow: FlowDocument, selected: Set<string> = new Set()) {
    const container = document.createElement('div');
    document.body.append(container);
    lf = new LogicFlow({ container, width: 1000, height: 800, history: false, keyboard: { enabled: false } });
    viewport = createCanvasViewport(lf, {
      document: () => flow,
      boxOf,
      nodeData: (node) => ({ id: node.id, type: 'rect', x: node.position.x, y: node.position.y, properties: NODE_SIZE }),
      edgeData: (edge) => ({ id: edge.id, type: 'polyline', sourceNodeId: edge.source, targetNodeId: edge.target }),
      selectedIds: () => selected,
    });
    return { lf, viewport };
  }

  const drawnNodeIds = (logicFlow: LogicFlow) => logicFlow.graphModel.nodes.map((node) => node.id).sort();
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

  it('draws only what is near the view, and what comes near once the view moves there', async () => {
    const flow = grid(12, 12, 250);
    const { lf: logicFlow, viewport: view } = mount(flow);
    view.open({ scale: 1, translateX: 0, translateY: 0 });
    const first = drawnNodeIds(logicFlow);
    expect(first).toContain('n0_0');
    expect(first).not.toContain('n11_11');
    expect(first.length).toBeLessThan(flow.nodes.length / 2);

    view.show({ scale: 1, translateX: -2000, translateY: -2000 });
    await nextFrame();
    const moved = drawnNodeIds(logicFlow);
    expect(moved).toContain('n11_11');
    expect(moved).not.toContain('n0_0');
  });

  it('draws selected elements wherever they are, an added edge with its ends, and everything for a picture', async () => {
    const flow = grid(12, 12, 250);
    const selected = new Set<string>();
    const { lf: logicFlow, viewport: view } = mount(flow, selected);
    view.open({ scale: 1, translateX: 0, translateY: 0 });

    selected.add('n10_10');
    view.drawSelection();
    await nextFrame();
    expect(drawnNodeIds(logicFlow)).toContain('n10_10');
    expect(logicFlow.getNodeModelById('n10_10')?.isSelected).toBe(true);

    const edge = { id: 'far', source: 'n9_9', target: 'n11_11' };
    flow.edges.push(edge);
    view.addEdge(edge);
    expect(logicFlow.getEdgeModelById('far')).toBeDefined();
    expect(drawnNodeIds(logicFlow)).toEqual(expect.arrayContaining(['n9_9', 'n11_11']));

    const goBack = await drawEverything(logicFlow);
    expect(logicFlow.graphModel.nodes).toHaveLength(flow.nodes.length);
    expect(logicFlow.graphModel.edges).toHaveLength(flow.edges.length);
    goBack();
    await nextFrame();
    expect(logicFlow.graphModel.nodes.length).toBeLessThan(flow.nodes.length / 2);
  });
});
