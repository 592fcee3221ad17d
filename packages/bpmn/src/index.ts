export { BpmnReadError, isBpmnElementType, readBpmnXml, type BpmnElementSummary, type BpmnReadResult } from './read-bpmn';
export { exportBpmnXml, type BpmnExportOptions, type BpmnExportResult } from './write-bpmn';
