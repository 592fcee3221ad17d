// The size a BPMN shape gets when a flow document stores none. The canvas draws with it and the
// BPMN export writes it as DI bounds, so both read this one table (Camunda Modeler's sizes).
import type { Size } from './flow-document';

export const bpmnShapeSizes = {
  event: { width: 36, height: 36 },
  gateway: { width: 50, height: 50 },
  /** Tasks, call activities and collapsed sub-processes. */
  activity: { width: 100, height: 80 },
  expandedSubProcess: { width: 350, height: 200 },
  pool: { width: 600, height: 250 },
  lane: { width: 570, height: 125 },
  dataObject: { width: 36, height: 50 },
  annotation: { width: 100, height: 40 },
  group: { width: 300, height: 200 },
} as const satisfies Record<string, Size>;

export type BpmnShape = keyof typeof bpmnShapeSizes;

/** The shape of a bpmn-moddle element type (`bpmn:UserTask`), given whether a sub-process is drawn expanded. */
export function bpmnShapeOf(element: string, expanded: boolean): BpmnShape {
  if (element.endsWith('Event')) return 'event';
  if (element.endsWith('Gateway')) return 'gateway';
  switch (element) {
    case 'bpmn:SubProcess':
    case 'bpmn:Transaction':
    case 'bpmn:AdHocSubProcess':
      return expanded ? 'expandedSubProcess' : 'activity';
    case 'bpmn:Participant':
      return 'pool';
    case 'bpmn:Lane':
      return 'lane';
    case 'bpmn:DataObjectReference':
    case 'bpmn:DataStoreReference':
      return 'dataObject';
    case 'bpmn:TextAnnotation':
      return 'annotation';
    case 'bpmn:Group':
      return 'group';
    default:
      return 'activity';
  }
}
