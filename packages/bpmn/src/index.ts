export { BpmnReadError, isBpmnElementType, readBpmnXml, type BpmnElementSummary, type BpmnReadResult } from './read-bpmn';
