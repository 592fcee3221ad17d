export * from './flow-document';
export * from './localized';
export { documented, field, fieldReferences, readFieldDoc, type FieldDoc, type FieldReference } from './field-doc';
export * from './node-type';
export {
  checkConnection,
  outputPortsOf,
  resolvePort,
  type ConnectionCheck,
  type ConnectionRequest,
  type EdgeEnd,
} from './connection-rules';
export {
  connectionRefusalCatalog,
  connectionRefusalCodes,
  formatConnectionRefusal,
  type ConnectionRefusal,
  type ConnectionRefusalCode,
} from './connection-refusal';
export { type MessageParams } from './message-template';
export { createDefaultRegistry } from './default-registry';
export type { McpServerConfig, ModelConfig, StructuredOutputMethod, ToolConfig } from './node-types/common';
export { mcpServerNameSchema, plainHttpUrlSchema, providerAddressOnly, providerBaseUrlIssue, toolKindsRefusedInCode } from './node-types/common';
export {
  findFeelContextReads,
  findFeelProblems,
  findFeelSyntaxError,
  findFeelVariableNames,
  type FeelProblems,
  type FeelSyntaxError,
  type FeelVariableRead,
} from './feel';
export { DEFAULT_MAX_LOOP_ITERATIONS, type DecisionConfig, type LoopConfig } from './node-types/bpmn-activity-config';
export {
  formatIssueMessage,
  formatPath,
  hasErrors,
  issueCatalog,
  issueCodes,
  type IssueCode,
  type IssueParams,
  type Severity,
  type ValidationIssue,
} from './validation/issue';
export { schemaProblemParams } from './validation/schema-problem';
export { analyzeFlow, validateFlow, type FlowAnalysis, type ValidateFlowOptions } from './validation/validate-flow';
export {
  isTerminalRunEvent,
  RUN_EVENT_VERSION,
  runEventSchema,
  stampRunEvent,
  terminalRunEventTypes,
  type RunEvent,
  type RunEventBody,
  type RunEventEnvelope,
  type RunEventType,
  type TerminalRunEvent,
  type TerminalRunEventType,
} from './run-events';
export {
  eventWaitSchema,
  eventWaitsOf,
  eventsWaitSchema,
  firedEventSchema,
  messageWaitSchema,
  readFiredEvent,
  readWaitRequest,
  signalWaitSchema,
  timerWaitSchema,
  waitRequestSchema,
  type EventWait,
  type EventsWait,
  type FiredEvent,
  type MessageWait,
  type SignalWait,
  type TimerWait,
  type WaitRequest,
} from './wait-request';
export { answerSchemaOfFormFields, formFieldSchema, formFieldsOfSchema, humanRequestSchema, readHumanRequest, type FormField, type HumanRequest } from './human-request';
export { migrateConfig, migrateFlow, typeVersionOf, type AppliedMigration, type MigrateFlowOptions, type MigrationResult } from './migrate-flow';
export { DEFAULT_MAX_JSON_DEPTH, findJsonDepthExcess, type JsonDepthExcess } from './json-depth';
export { describeJsonError, findJsonSyntaxError, locationOf, type TextLocation } from './json-syntax';
export { DEFAULT_RETRY_POLICY, MAX_RETRY_INTERVAL_MS, retryDelayMs, retryPolicySchema, type RetryPolicy } from './retry';
export { replacePlaceholders, templateChannels, templatePlaceholders } from './template';
export { borderPoint, bpmnShapeOf, edgeWaypoints, bpmnShapeSizes, type BpmnShape, type Outline } from './bpmn-shapes';
