// The benchmark's drawing, in both notations: a grid of BPMN tasks joined in one chain from a start
// event to an end event, as a Loomflow flow document and as BPMN 2.0 XML with diagram interchange
// (DI) placing every shape and edge where the flow document puts it. The chain snakes through the
// rows (left to right, then right to left), so every sequence flow is a short straight line.
import type { FlowDocument, FlowNode, Point, Size } from '@loomflow/graph-schema';

/** bpmn-js's default sizes, given to both editors so that they draw the same picture. */
const TASK_SIZE: Size = { width: 100, height: 80 };
const EVENT_SIZE: Size = { width: 36, height: 36 };
const CELL: Size = { width: 150, height: 130 };
const ORIGIN: Point = { x: 100, y: 100 };

/** `nodeCount` nodes in all: a start event, `nodeCount - 2` tasks and an end event. */
export function gridFlow(nodeCount: number): FlowDocument {
  if (!Number.isInteger(nodeCount) || nodeCount < 3) throw new Error(`a grid flow needs at least 3 nodes, not ${nodeCount}`);
  const columns = Math.ceil(Math.sqrt(nodeCount));
  const centreOf = (index: number): Point => {
    const row = Math.floor(index / columns);
    const inRow = index % columns;
    const column = row % 2 === 0 ? inRow : columns - 1 - inRow;
    return { x: ORIGIN.x + column * CELL.width, y: ORIGIN.y + row * CELL.height };
  };
  const nodes: FlowNode[] = Array.from({ length: nodeCount }, (_, index): FlowNode => {
    const position = centreOf(index);
    if (index === 0) return { id: 'start', type: 'bpmn.startEvent', name: 'Start', position, size: EVENT_SIZE, config: {} };
    if (index === nodeCount - 1) return { id: 'end', type: 'bpmn.endEvent', name: 'End', position, size: EVENT_SIZE, config: {} };
    return { id: `task_${index}`, type: 'bpmn.task', name: `Task ${index}`, position, size: TASK_SIZE, config: {} };
  });
  const edges = nodes.slice(1).map((target, index) => ({ id: `flow_${index + 1}`, source: (nodes[index] as FlowNode).id, target: target.id }));
  return { schemaVersion: 1, id: `canvas-bench-${nodeCount}`, name: `Canvas bench ${nodeCount}`, kind: 'bpmn', state: { channels: [] }, nodes, edges };
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

const ELEMENTS: Readonly<Record<string, string>> = { 'bpmn.startEvent': 'startEvent', 'bpmn.endEvent': 'endEvent', 'bpmn.task': 'task' };

/** The point where the segment from a shape's centre towards `towards` leaves the shape's box. */
function borderPoint(node: FlowNode, towards: Point): Point {
  const { x, y } = node.position;
  const { width, height } = node.size ?? TASK_SIZE;
  if (towards.y === y) return { x: x + (Math.sign(towards.x - x) * width) / 2, y };
  return { x, y: y + (Math.sign(towards.y - y) * height) / 2 };
}

/** The same drawing as a BPMN 2.0 process with DI (bounds are top-left corners, as BPMN DI wants). */
export function toBpmnXml(flow: FlowDocument): string {
  const byId = new Map(flow.nodes.map((node) => [node.id, node]));
  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  for (const edge of flow.edges) {
    outgoing.set(edge.source, [...(outgoing.get(edge.source) ?? []), edge.id]);
    incoming.set(edge.target, [...(incoming.get(edge.target) ?? []), edge.id]);
  }
  const semantic = flow.nodes.map((node) => {
    const element = ELEMENTS[node.type];
    if (!element) throw new Error(`no BPMN element for node type ${node.type}`);
    const refs = [
      ...(incoming.get(node.id) ?? []).map((id) => `<bpmn:incoming>${id}</bpmn:incoming>`),
      ...(outgoing.get(node.id) ?? []).map((id) => `<bpmn:outgoing>${id}</bpmn:outgoing>`),
    ].join('');
    return `<bpmn:${element} id="${node.id}" name="${escapeXml(node.name ?? '')}">${refs}</bpmn:${element}>`;
  });
  const flows = flow.edges.map((edge) => `<bpmn:sequenceFlow id="${edge.id}" sourceRef="${edge.source}" targetRef="${edge.target}" />`);
  const shapes = flow.nodes.map((node) => {
    const { width, height } = node.size ?? TASK_SIZE;
    const bounds = `<dc:Bounds x="${node.position.x - width / 2}" y="${node.position.y - height / 2}" width="${width}" height="${height}" />`;
    return `<bpmndi:BPMNShape id="${node.id}_di" bpmnElement="${node.id}">${bounds}</bpmndi:BPMNShape>`;
  });
  const lines = flow.edges.map((edge) => {
    const source = byId.get(edge.source) as FlowNode;
    const target = byId.get(edge.target) as FlowNode;
    const points = [borderPoint(source, target.position), borderPoint(target, source.position)];
    const waypoints = points.map(({ x, y }) => `<di:waypoint x="${x}" y="${y}" />`).join('');
    return `<bpmndi:BPMNEdge id="${edge.id}_di" bpmnElement="${edge.id}">${waypoints}</bpmndi:BPMNEdge>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"',
    ' xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"',
    ' id="definitions" targetNamespace="http://loomflow.dev/bench">',
    '<bpmn:process id="process" isExecutable="false">',
    ...semantic,
    ...flows,
    '</bpmn:process>',
    '<bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" bpmnElement="process">',
    ...shapes,
    ...lines,
    '</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>',
    '</bpmn:definitions>',
  ].join('\n');
}
