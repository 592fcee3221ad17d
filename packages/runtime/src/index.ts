export { buildStateGraph, type BuildOptions } from './build-graph';
export type { CallKind, CallLog, RecordedCall } from './call-log';
export { BpmnError, FlowInvalidError, NodeExecutionError } from './errors';
export type { ExecutionContext, ExecutionResult, Executor, NodeStreamEvent, NodeStreamEventType, RuntimeServices, ServiceTaskHandler } from './executors';
export {
  AnswerRejectedError,
  CompiledFlow,
  FlowRuntime,
  NotWaitingError,
  type Breakpoints,
  type FlowRuntimeOptions,
  type PendingInterrupt,
  type RunOptions,
  type RunTimeLimit,
  type ThreadState,
} from './flow-runtime';
export type {
  Clock,
  CredentialResolver,
  HostServiceName,
  HostServices,
  McpCallOptions,
  McpClientPool,
  McpTool,
  ModelFactory,
  RetrievedDocument,
  Retriever,
  ServiceLookup,
} from './host-services';
export * from './ir';
export {
  DEFAULT_RUN_LIMITS,
  isTruncatedValue,
  previewLargeValues,
  type RunLimitNames,
  type RunLimits,
  type TruncatedValue,
} from './limits';
export { MCP_POOL_DEFAULTS, McpPoolError, SdkMcpClientPool, type McpClientPoolOptions, type McpFailureCode, type RegisteredMcpServer } from './mcp/mcp-client-pool';
export { lowerFlow, type LowerOptions } from './lower';
export {
  EmbeddingError,
  providerEmbedders,
  readEmbeddingSettings,
  type EmbeddingErrorCode,
  type EmbeddingSettings,
  type ProviderEmbeddersOptions,
  type ResolveEmbeddingProvider,
  type TextEmbedder,
} from './models/embedder';
export { ANTHROPIC_BASE_URL, createModelFactory, type ModelFactoryOptions, type ResolvedProvider } from './models/model-factory';
export { DEFAULT_MAX_MODEL_RESPONSE_BYTES } from './models/guarded-fetch';
export { AnswerBudget, DEFAULT_ANSWER_BUDGET } from './body-limit';
export { recursionLimitFor } from './recursion-limit';
export { runEventKey, type RunJournal } from './run-journal';
export { SandboxError, type CodeSandbox, type SandboxLimits } from './sandbox/code-sandbox';
export { QuickJsSandbox } from './sandbox/quickjs-sandbox';
export { SANDBOX_POOL_DEFAULTS, SandboxPool, type PooledSandbox, type SandboxPoolOptions } from './sandbox/sandbox-pool';
