// Config pieces that several node types share, so that each is defined once.
import { z } from 'zod';
import { elementIdSchema, type ChannelType } from '../flow-document';
import { schemaPatterns, schemaReasonCatalog } from '../schema-reasons';
import type { ConfigReference, PortSpec } from '../node-type';
import { DEFAULT_RETRY_POLICY, retryPolicySchema } from '../retry';

export const OUT: readonly PortSpec[] = [{ id: 'out' }];
export const IN: readonly PortSpec[] = [{ id: 'in' }];
export const NONE: readonly PortSpec[] = [];
export const ERROR_PORT: PortSpec = { id: 'error', title: { en: 'On error', 'zh-CN': '出错时' } };

/** A non-empty FEEL expression; its syntax is checked by the validator, which reports positions. */
export const feelExpressionSchema = z.string().trim().min(1);

/** A JSON Schema object describing an object value (the answer of a human step, a JSON reply). */
export const objectJsonSchema = z
  .object({ type: z.literal('object') })
  .catchall(z.unknown());

/**
 * How the runtime executes an agent step. `join: "all"` waits for every incoming branch before
 * running once; `nodeTimeoutMs` bounds one attempt of the whole step (a code node's `timeoutMs`
 * and an HTTP node's `timeoutMs` bound its script and each request); `onError: "route"` adds an
 * `error` output port taken when the step fails after its retries.
 */
export const executionPolicyShape = {
  join: z.enum(['any', 'all']).default('any'),
  retry: retryPolicySchema.default(() => ({ ...DEFAULT_RETRY_POLICY })),
  nodeTimeoutMs: z.number().int().positive().max(3_600_000).optional(),
  onError: z.enum(['fail', 'route']).default('fail'),
};

export function withErrorPort(ports: readonly PortSpec[], config: { onError: 'fail' | 'route' }): readonly PortSpec[] {
  return config.onError === 'route' ? [...ports, ERROR_PORT] : ports;
}

/** What every provider's model takes. */
const modelKnobs = {
  temperature: z.number().min(0).max(2).default(0.7),
  maxTokens: z.number().int().positive().optional(),
  /** Sequences that end the reply. */
  stop: z.array(z.string().min(1)).max(4).optional(),
  /** How long one call may take; the node's retry policy decides whether to call again. */
  timeoutMs: z.number().int().positive().max(600_000).optional(),
};

/**
 * How a model is asked for JSON, since OpenAI-compatible servers differ in what they support:
 * `jsonSchema` (response_format json_schema, the server constrains the reply), `functionCalling`
 * (a forced call of a function whose parameters are the schema; servers without structured
 * output mostly support tools) or `jsonMode` (response_format json_object, the schema in the
 * instructions; DeepSeek, older vLLM). The reply is checked against the schema in every case.
 */
export const structuredOutputSchema = z.enum(['jsonSchema', 'functionCalling', 'jsonMode']).default('jsonSchema');
export type StructuredOutputMethod = z.output<typeof structuredOutputSchema>;

/** A model a provider serves: where it is, and whose key it takes. */
const providerModel = (defaultName: string) => ({
  model: z.string().min(1).default(defaultName),
  baseUrl: z.url().optional(),
  credential: z.string().min(1).optional(),
  ...modelKnobs,
});

/** One reply of a scripted model: text, and the tools it calls. */
export const scriptedReplySchema = z.strictObject({
  /** Given whenever the last prompt contains this text; replies without it are taken in turn. */
  when: z.string().min(1).optional(),
  text: z.string().default(''),
  toolCalls: z.array(z.strictObject({ name: z.string().min(1), args: z.record(z.string(), z.unknown()).default({}) })).optional(),
});

/**
 * The chat model a node calls, by provider. The API key is never part of a flow: `credential`
 * names a provider the host holds (the server's settings, the CLI's --provider), which gives the
 * key and, unless the node sets `baseUrl`, the address. `scripted` answers with the replies
 * listed here, in turn and token by token, so a flow's logic can be tried without a key or a
 * network, as n8n's pinned data allows. A model without `provider` is OpenAI-compatible, as
 * every model was before there were others. `anthropic` speaks Anthropic's Messages API, whose
 * base URL has no `/v1` (the client adds `/v1/messages`).
 */
export const modelSchema = z.preprocess(
  (value) => (typeof value === 'object' && value !== null && !Array.isArray(value) && !('provider' in value) ? { ...value, provider: 'openai-compatible' } : value),
  z.discriminatedUnion('provider', [
    z.strictObject({ provider: z.literal('openai-compatible'), ...providerModel('gpt-4o-mini') }),
    z.strictObject({
      provider: z.literal('anthropic'),
      ...providerModel('claude-sonnet-4-5'),
      // Anthropic refuses temperatures above 1; said here, the editor shows it before a run.
      temperature: z.number().min(0).max(1).default(0.7),
    }),
    z.strictObject({
      provider: z.literal('scripted'),
      model: z.string().min(1).default('scripted'),
      /** Taken in turn; after the last, the last is repeated. */
      replies: z.array(scriptedReplySchema).min(1),
      ...modelKnobs,
    }),
  ]),
);
/** A node's model settings after defaults: what a host's model factory builds a chat model from. */
export type ModelConfig = z.output<typeof modelSchema>;
export const defaultModel = { provider: 'openai-compatible', model: 'gpt-4o-mini', temperature: 0.7 } as const;

const toolName = z.string().regex(schemaPatterns['tool-name'], schemaReasonCatalog['tool-name'].en);

/** The name of a stdio MCP server a host registered (the server's settings); no command line in the flow. */
export const mcpServerNameSchema = z.string().regex(schemaPatterns['mcp-server-name'], schemaReasonCatalog['mcp-server-name'].en);

/**
 * A connection to an MCP server: a local process over stdio, a remote one over HTTP, or a stdio
 * server the host registered by name. A host that runs flows written by others (the server) must
 * refuse `stdio`, since its command line would run on the host; `registered` names one of the
 * commands the host's own administrator set up.
 */
export const mcpServerSchema = z.discriminatedUnion('transport', [
  z.strictObject({
    transport: z.literal('stdio'),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
  }),
  z.strictObject({ transport: z.literal('http'), url: z.url() }),
  z.strictObject({ transport: z.literal('registered'), name: mcpServerNameSchema }),
]);

/** Where an MCP server is reached: what a host's MCP client pool keeps a connection to. */
export type McpServerConfig = z.output<typeof mcpServerSchema>;

/**
 * A tool a model may call: an HTTP request, sandboxed JavaScript, the tools of an MCP server, or
 * another stored flow. `parameters` is the JSON Schema of the arguments the model must give.
 */
export const toolSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('http'),
    name: toolName,
    description: z.string().min(1),
    parameters: objectJsonSchema,
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    /** `{{argument}}` placeholders are filled from the call's arguments; the others go in the query (GET, DELETE) or a JSON body. */
    url: z.string().min(1),
    headers: z.record(z.string(), z.string()).default({}),
    timeoutMs: z.number().int().min(1).max(300_000).default(10_000),
    /** Hosts the tool may reach although they resolve to private or loopback addresses. */
    allowHosts: z.array(z.string().min(1)).default([]),
  }),
  z.strictObject({
    kind: z.literal('code'),
    name: toolName,
    description: z.string().min(1),
    parameters: objectJsonSchema,
    /** The body of a function of `state` (here, the call's arguments) returning the tool's result. */
    source: z.string().min(1),
    timeoutMs: z.number().int().min(1).max(60_000).default(1000),
    memoryMb: z.number().int().min(1).max(512).default(32),
  }),
  z.strictObject({ kind: z.literal('mcp'), server: mcpServerSchema, tools: z.array(z.string().min(1)).default([]) }),
  z.strictObject({
    kind: z.literal('flow'),
    name: toolName,
    description: z.string().min(1),
    /** The arguments become the flow's input channels of the same names. */
    parameters: objectJsonSchema,
    flowId: elementIdSchema,
    version: z.number().int().positive().optional(),
  }),
]);

export type ToolConfig = z.output<typeof toolSchema>;

/**
 * How a node runs the tools a model calls: whose calls wait for a person's approval first, and how
 * many failed calls in a row end the node instead of being shown to the model again.
 */
export const toolPolicyShape = {
  /** Tool names whose calls a person approves, edits or rejects before they run. */
  approveTools: z.array(z.string().min(1)).default([]),
  maxConsecutiveErrors: z.number().int().min(1).max(20).default(3),
};

export function channelRef(path: readonly (string | number)[], name: string, type?: ChannelType): ConfigReference {
  return { kind: 'channel', path, name, ...(type ? { type } : {}) };
}

export function feelRef(path: readonly (string | number)[], expression: string): ConfigReference {
  return { kind: 'feel', path, expression };
}

export function templateRef(path: readonly (string | number)[], template: string): ConfigReference {
  return { kind: 'template', path, template };
}


/**
 * A note for readers of the drawing, in either kind of flow: its text, and the element it explains
 * when it explains one (a BPMN association). It takes no part in the run.
 */
export const noteConfigSchema = z.strictObject({
  text: z.string().default(''),
  annotates: elementIdSchema.optional(),
});

export function noteReferences(config: z.output<typeof noteConfigSchema>): ConfigReference[] {
  return config.annotates ? [{ kind: 'node', path: ['annotates'], nodeId: config.annotates, link: 'annotates' }] : [];
}
