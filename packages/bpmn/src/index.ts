export { BpmnReadError, isBpmnElementType, readBpmnXml, type BpmnElementSummary, type BpmnReadResult } from './read-bpmn';
export { exportBpmnXml, type BpmnExportOptions, type BpmnExportResult } from './write-bpmn';
export { DEFAULT_MAX_BPMN_BYTES, importBpmnXml, type BpmnImportOptions, type BpmnImportReport, type BpmnImportResult, type KeptElement } from './import-bpmn';
