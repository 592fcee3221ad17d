import { createDefaultRegistry } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { drawLabel, drawNode, drawThumbnail, ISSUE_COLOR, type Box, type Ink } from './node-drawing';
import { defaultSizeOf, nodeViewOf, type NodeView } from './node-views';
import { walkSvg, type SvgElement } from './svg-element';

const registry = createDefaultRegistry();
const ink: Ink = { stroke: '#474747', fill: '#FFFFFF', text: '#303133' };
const textStyle = { color: '#303133', fontSize: 12 };

function viewOf(type: string, config?: unknown): NodeView {
  const nodeType = registry.get(type);
  return nodeViewOf(nodeType, config ?? nodeType?.defaults);
}

function boxFor(view: NodeView): Box {
  return { x: 200, y: 100, ...defaultSizeOf(view) };
}

const glyphsIn = (element: SvgElement) => [...walkSvg(element)].flatMap((part) => (part.attrs['data-glyph'] ? [part.attrs['data-glyph']] : []));
const outlineOf = (element: SvgElement) => element.children?.[0];

describe('drawNode', () => {
  it('draws every registered type with an outline first and in the theme colours', () => {
    for (const nodeType of registry.list()) {
      const view = nodeViewOf(nodeType, nodeType.defaults);
      const drawing = drawNode(view, boxFor(view), ink);
      expect(outlineOf(drawing)?.attrs.stroke, nodeType.type).toBe(ink.stroke);
    }
  });

  it('paints the outline in the error colour when the node has a problem', () => {
    for (const type of ['bpmn.userTask', 'bpmn.startEvent', 'bpmn.exclusiveGateway', 'bpmn.pool', 'agent.llm']) {
      const view = viewOf(type);
      expect(outlineOf(drawNode(view, boxFor(view), ink, true))?.attrs.stroke, type).toBe(ISSUE_COLOR);
    }
  });

  it('draws start events thin, end events thick and intermediate events with a double ring', () => {
    const rings = (type: string, config?: unknown) => {
      const view = viewOf(type, config);
      return (drawNode(view, boxFor(view), ink).children ?? []).filter((part) => part.tag === 'circle').map((part) => part.attrs['stroke-width']);
    };
    expect(rings('bpmn.startEvent')).toEqual([2]);
    expect(rings('bpmn.endEvent')).toEqual([4]);
    expect(rings('bpmn.intermediateCatchEvent')).toEqual([1.5, 1.5]);
    expect(rings('bpmn.boundaryEvent')).toEqual([1.5, 1.5]);
  });

  it('dashes the rings of a non-interrupting boundary event', () => {
    const view = viewOf('bpmn.boundaryEvent', { attachedTo: 't', cancelActivity: false, eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT1H' } });
    const circles = (drawNode(view, boxFor(view), ink).children ?? []).filter((part) => part.tag === 'circle');
    expect(circles.every((circle) => circle.attrs['stroke-dasharray'])).toBe(true);
  });

  it.each([
    ['bpmn.userTask', undefined, ['user']],
    ['bpmn.serviceTask', undefined, ['service']],
    ['bpmn.sendTask', undefined, ['send']],
    ['bpmn.receiveTask', undefined, ['receive']],
    ['bpmn.businessRuleTask', undefined, ['businessRule']],
    ['bpmn.task', undefined, []],
    ['bpmn.userTask', { loop: { type: 'multiInstance', sequential: true } }, ['user', 'sequentialInstances']],
    ['bpmn.subProcess', { isExpanded: false, loop: { type: 'standard' } }, ['loop', 'collapsed']],
    ['bpmn.exclusiveGateway', undefined, ['exclusive']],
    ['bpmn.parallelGateway', undefined, ['parallel']],
    ['bpmn.inclusiveGateway', undefined, ['inclusive']],
    ['bpmn.eventBasedGateway', undefined, ['eventBased']],
    ['bpmn.startEvent', { eventDefinition: { type: 'timer', timerType: 'date', value: '2030-01-01' } }, ['timer']],
    ['bpmn.startEvent', { eventDefinition: { type: 'message', messageName: 'm' } }, ['message']],
    ['bpmn.intermediateThrowEvent', { eventDefinition: { type: 'message', messageName: 'm' } }, ['messageFilled']],
    ['bpmn.endEvent', { eventDefinition: { type: 'signal', signalName: 's' } }, ['signalFilled']],
    ['bpmn.endEvent', { eventDefinition: { type: 'terminate' } }, ['terminate']],
    ['bpmn.endEvent', { eventDefinition: { type: 'none' } }, []],
    ['agent.llm', undefined, ['sparkles']],
    ['agent.human', undefined, ['person']],
  ])('draws %s (%j) with the markers %j', (type, config, glyphs) => {
    const view = viewOf(type, config);
    expect(glyphsIn(drawNode(view, boxFor(view), ink))).toEqual(glyphs);
  });

  it('draws a call activity with a thicker border than a task', () => {
    const width = (type: string) => outlineOf(drawNode(viewOf(type), boxFor(viewOf(type)), ink))?.attrs['stroke-width'];
    expect(Number(width('bpmn.callActivity'))).toBeGreaterThan(Number(width('bpmn.task')));
  });

  it('keeps markers inside their shape', () => {
    const view = viewOf('bpmn.userTask');
    const box = boxFor(view);
    const marker = [...walkSvg(drawNode(view, box, ink))].find((part) => part.attrs['data-glyph'] === 'user');
    const [x, y] = String(marker?.attrs.transform).match(/-?[\d.]+/g)?.map(Number) ?? [];
    expect(x).toBeGreaterThan(box.x - box.width / 2);
    expect(y).toBeGreaterThan(box.y - box.height / 2);
  });
});

describe('drawLabel', () => {
  const linesOf = (label: SvgElement | undefined) => [...(label ? walkSvg(label) : [])].filter((part) => part.tag === 'tspan');

  it('puts the names of events and gateways below them and those of tasks inside', () => {
    for (const type of ['bpmn.startEvent', 'bpmn.exclusiveGateway']) {
      const view = viewOf(type);
      const box = boxFor(view);
      const first = linesOf(drawLabel(view, box, 'Order received', textStyle))[0];
      expect(Number(first?.attrs.y), type).toBeGreaterThan(box.y + box.height / 2);
    }
    const task = viewOf('bpmn.userTask');
    const box = boxFor(task);
    const lines = linesOf(drawLabel(task, box, 'Approve the expense claim of the employee', textStyle));
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) {
      expect(Number(line.attrs.y)).toBeGreaterThan(box.y - box.height / 2);
      expect(Number(line.attrs.y)).toBeLessThan(box.y + box.height / 2);
    }
  });

  it('keeps a long task name clear of the type marker in the corner', () => {
    const view = viewOf('bpmn.userTask');
    const box = boxFor(view);
    const lines = linesOf(drawLabel(view, box, 'Review the expense claim and decide on it', textStyle));
    expect(lines.length).toBe(3);
    expect(Number(lines[0]?.attrs.y) - textStyle.fontSize / 2).toBeGreaterThanOrEqual(box.y - box.height / 2 + 24);
    expect(Number(lines[2]?.attrs.y)).toBeLessThan(box.y + box.height / 2);
  });

  it('writes a pool’s name along its header band', () => {
    const view = viewOf('bpmn.pool');
    const label = drawLabel(view, boxFor(view), 'Expense approval', textStyle);
    expect(label?.attrs.transform).toMatch(/^rotate\(-90 /);
  });

  it('shows a card’s name with its summary underneath, both left of nothing but the icon', () => {
    const view = viewOf('agent.llm');
    const box = boxFor(view);
    const lines = linesOf(drawLabel(view, box, 'Answer', textStyle, 'gpt-4o-mini'));
    expect(lines.map((line) => line.text)).toEqual(['Answer', 'gpt-4o-mini']);
    expect(Number(lines[0]?.attrs.y)).toBeLessThan(Number(lines[1]?.attrs.y));
    expect(Number(lines[0]?.attrs.x)).toBeGreaterThan(box.x - box.width / 2 + 28);
  });

  it('draws nothing for a node without a name', () => {
    expect(drawLabel(viewOf('bpmn.userTask'), boxFor(viewOf('bpmn.userTask')), '', textStyle)).toBeUndefined();
  });
});

describe('drawThumbnail', () => {
  it('gives every registered type a palette icon with the marker of its canvas picture', () => {
    for (const nodeType of registry.list()) {
      const view = nodeViewOf(nodeType, nodeType.defaults);
      const thumbnail = drawThumbnail(view);
      expect(thumbnail.viewBox, nodeType.type).toMatch(/^-?\d+ -?\d+ \d+ \d+$/);
      const canvasGlyphs = glyphsIn(drawNode(view, boxFor(view), ink)).filter((glyph) => !['loop', 'parallelInstances', 'sequentialInstances'].includes(String(glyph)));
      for (const glyph of canvasGlyphs) expect(glyphsIn(thumbnail.element), nodeType.type).toContain(glyph);
    }
  });
});
