// Config pieces that several node types share, so that each is defined once.
import { z } from 'zod';
import { elementIdSchema, type ChannelType } from '../flow-document';
import { schemaPatterns, schemaReasonCatalog } from '../schema-reasons';
import type { ConfigReference, PortSpec } from '../node-type';
import { field } from '../field-doc';
import type { LocalizedText } from '../localized';
import { DEFAULT_RETRY_POLICY, retryPolicySchema } from '../retry';

export const OUT: readonly PortSpec[] = [{ id: 'out' }];
export const IN: readonly PortSpec[] = [{ id: 'in' }];
export const NONE: readonly PortSpec[] = [];
export const ERROR_PORT: PortSpec = { id: 'error', title: { en: 'On error', 'zh-CN': '出错时' } };

/** A non-empty FEEL expression; its syntax is checked by the validator, which reports positions. */
export const feelExpressionSchema = z.string().trim().min(1);

/** The groups whose members may take a human task. */
export const candidateGroupsSchema = field(z.array(z.string().min(1)).default([]), ['Candidate groups', '候选组'], ['Groups whose members may take the task.', '其成员可以领取该任务的组。']);

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
  join: field(
    z.enum(['any', 'all']).default('any'),
    ['Wait for', '等待'],
    ['"any": run as soon as one incoming branch arrives; "all": wait for every incoming branch, then run once.', '"any"：任一入口分支到达即运行；"all"：等所有入口分支到达后只运行一次。'],
    { group: 'execution' },
  ),
  retry: field(
    retryPolicySchema.default(() => ({ ...DEFAULT_RETRY_POLICY })),
    ['Retry', '重试'],
    ['How often a failed step is tried again, and how long to wait in between.', '步骤失败后重试几次，以及每次之间等待多久。'],
    { group: 'execution' },
  ),
  nodeTimeoutMs: field(
    z.number().int().positive().max(3_600_000).optional(),
    ['Step timeout (ms)', '步骤超时（毫秒）'],
    ['The longest one attempt of the step may take; empty means no limit.', '步骤单次尝试的最长时间；留空表示不限。'],
    { group: 'execution' },
  ),
  onError: field(
    z.enum(['fail', 'route']).default('fail'),
    ['Route errors to a port', '错误走端口'],
    ['On: a failure after the retries leaves by an extra "On error" port; off: it fails the run.', '开启：重试后仍失败时改走额外的"出错时"端口；关闭：运行失败。'],
    { group: 'execution', switchOn: 'route' },
  ),
};

export function withErrorPort(ports: readonly PortSpec[], config: { onError: 'fail' | 'route' }): readonly PortSpec[] {
  return config.onError === 'route' ? [...ports, ERROR_PORT] : ports;
}

/** What every provider's model takes. */
const temperatureDoc = [['Temperature', '温度'], ['Higher values give more varied replies, 0 the most predictable.', '数值越高回复越多样，0 最稳定。']] as const;
const modelKnobs = {
  temperature: field(z.number().min(0).max(2).default(0.7), ...temperatureDoc),
  maxTokens: field(z.number().int().positive().optional(), ['Max tokens', '最大令牌数'], ['The longest reply, in tokens; empty leaves it to the model.', '回复的最大长度（令牌数）；留空由模型决定。']),
  /** Sequences that end the reply. */
  stop: field(z.array(z.string().min(1)).max(4).optional(), ['Stop sequences', '停止序列'], ['Up to four texts that end the reply when the model writes them.', '模型写出这些文本（最多四个）时结束回复。']),
  /** How long one call may take; the node's retry policy decides whether to call again. */
  timeoutMs: field(z.number().int().positive().max(600_000).optional(), ['Call timeout (ms)', '调用超时（毫秒）'], ['The longest one model call may take.', '单次模型调用的最长时间。']),
};

/**
 * How a model is asked for JSON, since OpenAI-compatible servers differ in what they support:
 * `jsonSchema` (response_format json_schema, the server constrains the reply), `functionCalling`
 * (a forced call of a function whose parameters are the schema; servers without structured
 * output mostly support tools) or `jsonMode` (response_format json_object, the schema in the
 * instructions; DeepSeek, older vLLM). The reply is checked against the schema in every case.
 */
export const structuredOutputSchema = field(
  z.enum(['jsonSchema', 'functionCalling', 'jsonMode']).default('jsonSchema'),
  ['JSON method', 'JSON 方式'],
  ['How the model is asked for JSON: a JSON schema response format, a forced function call, or JSON mode; servers differ in what they support.', '要求模型输出 JSON 的方式：JSON Schema 响应格式、强制函数调用或 JSON 模式；不同服务支持的不同。'],
);
export type StructuredOutputMethod = z.output<typeof structuredOutputSchema>;

/** A model a provider serves: where it is, and whose key it takes. */
const modelName = (defaultName: string) => field(z.string().min(1).default(defaultName), ['Model', '模型'], ['The model\'s name at its provider, e.g. gpt-4o-mini.', '模型在服务商处的名称，例如 gpt-4o-mini。']);
const providerModel = (defaultName: string) => ({
  model: modelName(defaultName),
  baseUrl: field(
    plainHttpUrlSchema().optional(),
    ['Base URL', '接口地址'],
    ['Only for a model without a provider, and only public addresses; a provider\'s address comes from the settings.', '仅用于不指定服务商的模型，且只能是公网地址；服务商的地址来自设置。'],
  ),
  credential: field(z.string().min(1).optional(), ['Provider', '服务商'], ['A model provider held in the server\'s settings; it gives the key and the address.', '服务器设置中的模型服务商，提供密钥和地址。']),
  ...modelKnobs,
});
/**
 * A provider's key goes only to the provider's own address: were a flow's baseUrl taken with it,
 * whoever writes a flow could send the operator's key to an address of their choosing.
 */
export const providerAddressOnly = (model: { readonly baseUrl?: string | undefined; readonly credential?: string | undefined }) => model.credential === undefined || model.baseUrl === undefined;
/** What breaking providerAddressOnly is called; the reason travels in params, so validateFlow's issue can word it in each language. */
export const providerBaseUrlIssue = { message: schemaReasonCatalog['provider-base-url'].en, params: { reason: 'provider-base-url' }, path: ['baseUrl'] };
const providerDoc = [['Protocol', '协议'], ['How the model is called: OpenAI-compatible, Anthropic, or scripted replies for trying a flow offline.', '调用模型的方式：OpenAI 兼容、Anthropic，或用于离线试运行的预设回复。']] as const;

/** One reply of a scripted model: text, and the tools it calls. */
export const scriptedReplySchema = z.strictObject({
  /** Given whenever the last prompt contains this text; replies without it are taken in turn. */
  when: field(z.string().min(1).optional(), ['When the prompt contains', '当提示词包含'], ['Given whenever the last prompt contains this text; replies without it are taken in turn.', '最后一条提示词包含此文本时给出；未设置的回复按顺序轮流给出。']),
  text: field(z.string().default(''), ['Reply', '回复'], ['The text the model answers.', '模型回答的文本。']),
  toolCalls: field(
    z.array(z.strictObject({ name: z.string().min(1), args: z.record(z.string(), z.unknown()).default({}) })).optional(),
    ['Tool calls', '工具调用'],
    ['The tools the reply calls, by name, with their arguments.', '该回复调用的工具（名称和参数）。'],
  ),
});

/**
 * The chat model a node calls, by provider. The API key is never part of a flow: `credential`
 * names a provider the host holds (the server's settings, the CLI's --provider), which gives the
 * key and the address; a model that names one sets no `baseUrl`. `baseUrl` is only for a model
 * without a provider, and reaches only public addresses (a private model server, such as a local
 * Ollama, is a provider of the host). `scripted` answers with the replies listed here, in turn
 * and token by token, so a flow's logic can be tried without a key or a network, as n8n's pinned
 * data allows. A model without `provider` is OpenAI-compatible, as every model was before there
 * were others. `anthropic` speaks Anthropic's Messages API, whose base URL has no `/v1` (the
 * client adds `/v1/messages`).
 */
export const modelSchema = field(
  z.preprocess(
    (value) => (typeof value === 'object' && value !== null && !Array.isArray(value) && !('provider' in value) ? { ...value, provider: 'openai-compatible' } : value),
    z.discriminatedUnion('provider', [
      z.strictObject({ provider: field(z.literal('openai-compatible'), ...providerDoc), ...providerModel('gpt-4o-mini') }).refine(providerAddressOnly, providerBaseUrlIssue),
      z
        .strictObject({
          provider: field(z.literal('anthropic'), ...providerDoc),
          ...providerModel('claude-sonnet-4-5'),
          // Anthropic refuses temperatures above 1; said here, the editor shows it before a run.
          temperature: field(z.number().min(0).max(1).default(0.7), ...temperatureDoc),
        })
        .refine(providerAddressOnly, providerBaseUrlIssue),
      z.strictObject({
        provider: field(z.literal('scripted'), ...providerDoc),
        model: modelName('scripted'),
        /** Taken in turn; after the last, the last is repeated. */
        replies: field(z.array(scriptedReplySchema).min(1), ['Scripted replies', '预设回复'], ['Given in turn; after the last, the last is repeated.', '按顺序给出；用完后重复最后一条。']),
        ...modelKnobs,
      }),
    ]),
  ),
  ['Model', '模型'],
  ['The chat model this step calls: a provider from the settings, the model and its sampling.', '此步骤调用的对话模型：设置中的服务商、模型及其采样参数。'],
  { editor: 'model' },
);
/** A node's model settings after defaults: what a host's model factory builds a chat model from. */
export type ModelConfig = z.output<typeof modelSchema>;
export const defaultModel = { provider: 'openai-compatible', model: 'gpt-4o-mini', temperature: 0.7 } as const;

const toolName = field(z.string().regex(schemaPatterns['tool-name'], schemaReasonCatalog['tool-name'].en), ['Name', '名称'], ['The name the model calls the tool by: letters, digits, _ and -.', '模型调用该工具时使用的名称：字母、数字、_ 和 -。']);
const toolDescription = field(z.string().min(1), ['Description', '描述'], ['Tells the model what the tool does and when to call it.', '告诉模型该工具的用途以及何时调用。']);
const toolParameters = field(objectJsonSchema, ['Parameters', '参数'], ['The JSON Schema of the arguments the model must give.', '模型必须提供的参数的 JSON Schema。']);
/** What a WHATWG URL says of itself, as far as the checks below read it. */
interface ParsedUrl {
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly hostname: string;
}

/**
 * The WHATWG URL parser, a global of every runtime graph-schema runs in (browsers, Node, workers);
 * reached through globalThis because the package builds without DOM or Node types.
 */
const WhatwgUrl = (globalThis as unknown as { readonly URL: new (input: string) => ParsedUrl }).URL;

/** The URL parser's reading of `text`, or undefined where it refuses it. */
function parseUrl(text: string): ParsedUrl | undefined {
  try {
    return new WhatwgUrl(text);
  } catch {
    return undefined;
  }
}

/**
 * Whether an allowHosts entry is one the network guard can match: `host` or `host:port` as a URL
 * writes it (packages/runtime/src/executors/network-guard.ts compares it with the URL's own host
 * name and port), or a bare IPv6 address. The URL parser decides, so an entry it would rewrite
 * (`127.1`, `010.0.0.1`, `[0:0:0:0:0:0:0:1]`) never matches and is refused, and a long entry costs
 * linear time.
 */
function isAllowHostEntry(entry: string): boolean {
  const lower = entry.toLowerCase();
  const colon = lower.lastIndexOf(':');
  const bareIpv6 = !lower.startsWith('[') && colon !== lower.indexOf(':');
  const hasPort = !bareIpv6 && colon > lower.lastIndexOf(']');
  const host = bareIpv6 ? `[${lower}]` : hasPort ? lower.slice(0, colon) : lower;
  const port = hasPort ? lower.slice(colon + 1) : '';
  if (hasPort && !/^\d{1,5}$/.test(port)) return false;
  if (hasPort && (Number(port) < 1 || Number(port) > 65_535)) return false;
  // Only the characters of a name or an address: the parser would take `*` or `%` as a host too.
  if (!/^(?:[a-z0-9_.-]+|\[[0-9a-f:.]+\])$/.test(host)) return false;
  const url = parseUrl(`http://${host}/`);
  return url !== undefined && url.hostname === host;
}

/** Hosts a request from a flow may reach although they are loopback or private, e.g. `localhost:8080`. */
export const allowHostsSchema = field(
  // An entry that could never match (a URL, `*`, a CIDR range) would look like a permission and be none.
  z
    .array(
      z
        .string()
        // Checked first, and the rest only if it passes: the rest costs time in the entry's length.
        .max(300, { abort: true })
        .refine(isAllowHostEntry, { message: schemaReasonCatalog['allow-host'].en, params: { reason: 'allow-host' } }),
    )
    .max(100)
    .default([]),
  ['Allowed private hosts', '允许的内网主机'],
  ['Hosts that may be reached although they are loopback or private, e.g. localhost:8080.', '即使是回环或内网地址也允许访问的主机，例如 localhost:8080。'],
);
/** The limits of sandboxed JavaScript (a code node, a code tool, a script task). */
export const sandboxLimitsShape = {
  timeoutMs: field(z.number().int().min(1).max(60_000).default(1000), ['Script timeout (ms)', '脚本超时（毫秒）'], ['The longest the script may run.', '脚本最长运行时间。']),
  memoryMb: field(z.number().int().min(1).max(512).default(32), ['Memory (MB)', '内存（MB）'], ['The most memory the script may use.', '脚本最多可用的内存。']),
};
/** The headers of an HTTP request; values may hold `{{...}}` placeholders. */
export const httpHeadersSchema = field(z.record(z.string(), z.string()).default({}), ['Headers', '请求头'], ['HTTP headers sent with the request.', '随请求发送的 HTTP 请求头。']);

/**
 * An http(s) URL without user info, as the URL parser reads it (it skips extra slashes, tabs and
 * backslashes, so no test of the text would do): anything else is no MCP or model endpoint, and a
 * password in a flow would be seen by all who read it (and be quoted in errors).
 */
function isPlainHttpUrl(text: string): boolean {
  const url = parseUrl(text);
  return url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
}
/** A URL isPlainHttpUrl accepts (a fresh schema each time: a field() documents the one it is given). */
export function plainHttpUrlSchema() {
  return z.url().refine(isPlainHttpUrl, { message: schemaReasonCatalog['http-url'].en, params: { reason: 'http-url' } });
}

/** The name of a stdio MCP server a host registered (the server's settings); no command line in the flow. */
export const mcpServerNameSchema = field(
  z.string().regex(schemaPatterns['mcp-server-name'], schemaReasonCatalog['mcp-server-name'].en),
  ['Registered server', '已注册的服务器'],
  ['An MCP server registered in the server\'s settings.', '服务器设置中注册的 MCP 服务器。'],
  { refersTo: 'mcpServer' },
);
const transportDoc = [['Transport', '传输方式'], ['How the MCP server is reached: a server registered in the settings, a remote one over HTTP, or a local process.', '连接 MCP 服务器的方式：设置中注册的服务器、通过 HTTP 的远程服务器或本地进程。']] as const;

/**
 * A connection to an MCP server: a local process over stdio, a remote one over HTTP, or a stdio
 * server the host registered by name. A host that runs flows written by others (the server) must
 * refuse `stdio`, since its command line would run on the host; `registered` names one of the
 * commands the host's own administrator set up.
 */
export const mcpServerSchema = field(
  z.discriminatedUnion('transport', [
    z.strictObject({
      transport: field(z.literal('stdio'), ...transportDoc),
      command: field(z.string().min(1), ['Command', '命令'], ['The program to start; the server refuses flows that carry one.', '要启动的程序；服务器拒绝包含命令的流程。']),
      args: field(z.array(z.string()).default([]), ['Arguments', '参数'], ['The command\'s arguments, one per entry.', '命令的参数，每项一个。']),
      env: field(z.record(z.string(), z.string()).default({}), ['Environment', '环境变量'], ['Environment variables given to the process.', '传给进程的环境变量。']),
    }),
    z.strictObject({
      transport: field(z.literal('http'), ...transportDoc),
      url: field(
        plainHttpUrlSchema(),
        ['URL', '地址'],
        ['The address of the MCP server\'s HTTP endpoint.', 'MCP 服务器 HTTP 端点的地址。'],
      ),
      // A flow's author must not reach the host's own services or its network through an MCP URL,
      // as agent.http may not (packages/runtime/src/executors/network-guard.ts).
      allowHosts: allowHostsSchema,
    }),
    z.strictObject({ transport: field(z.literal('registered'), ...transportDoc), name: mcpServerNameSchema }),
  ]),
  ['MCP server', 'MCP 服务器'],
  ['Where the MCP server is reached.', 'MCP 服务器的连接方式。'],
);

/** Where an MCP server is reached: what a host's MCP client pool keeps a connection to. */
export type McpServerConfig = z.output<typeof mcpServerSchema>;

/**
 * A tool a model may call: an HTTP request, sandboxed JavaScript, the tools of an MCP server, or
 * another stored flow. `parameters` is the JSON Schema of the arguments the model must give.
 */
const toolKindDoc = [['Kind', '类型'], ['What the tool does: an HTTP request, sandboxed JavaScript, the tools of an MCP server, or another flow.', '工具的类型：HTTP 请求、沙箱 JavaScript、MCP 服务器的工具或另一个流程。']] as const;
/** The timeout of one HTTP request. */
export const httpTimeoutSchema = field(z.number().int().min(1).max(300_000).default(10_000), ['Request timeout (ms)', '请求超时（毫秒）'], ['The longest one request may take.', '单次请求的最长时间。']);
export const flowVersionSchema = field(z.number().int().positive().optional(), ['Flow version', '流程版本'], ['A saved version of the flow to run; empty runs its latest.', '要运行的流程已保存版本；留空运行最新版本。']);
export const toolSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: field(z.literal('http'), ...toolKindDoc),
    name: toolName,
    description: toolDescription,
    parameters: toolParameters,
    method: field(z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'), ['Method', '方法'], ['The HTTP method of the request.', '请求的 HTTP 方法。']),
    /** `{{argument}}` placeholders are filled from the call's arguments; the others go in the query (GET, DELETE) or a JSON body. */
    url: field(z.string().min(1), ['URL', '地址'], ['{{argument}} placeholders are filled from the call; other arguments go in the query or a JSON body.', '{{参数}} 占位符由调用参数填充；其余参数放入查询串或 JSON 请求体。']),
    headers: httpHeadersSchema,
    timeoutMs: httpTimeoutSchema,
    allowHosts: allowHostsSchema,
  }),
  z.strictObject({
    kind: field(z.literal('code'), ...toolKindDoc),
    name: toolName,
    description: toolDescription,
    parameters: toolParameters,
    /** The body of a function of `state` (here, the call's arguments) returning the tool's result. */
    source: field(z.string().min(1), ['Code', '代码'], ['The body of a JavaScript function of `state` (the call\'s arguments) returning the result.', '以 `state`（调用参数）为参数、返回结果的 JavaScript 函数体。']),
    ...sandboxLimitsShape,
  }),
  z.strictObject({
    kind: field(z.literal('mcp'), ...toolKindDoc),
    server: mcpServerSchema,
    tools: field(z.array(z.string().min(1)).default([]), ['Tools offered', '提供的工具'], ['The server\'s tools the model may call; empty offers all of them.', '模型可调用的服务器工具；留空表示全部。']),
  }),
  z.strictObject({
    kind: field(z.literal('flow'), ...toolKindDoc),
    name: toolName,
    description: toolDescription,
    /** The arguments become the flow's input channels of the same names. */
    parameters: toolParameters,
    flowId: field(elementIdSchema, ['Flow', '流程'], ['The stored flow the tool runs; its arguments become that flow\'s input channels.', '工具运行的已保存流程；参数成为该流程的同名输入通道。'], { refersTo: 'flow' }),
    version: flowVersionSchema,
  }),
]);

/** The tools a model may call, as a list. */
export const toolsSchema = field(z.array(toolSchema).default([]), ['Tools', '工具'], ['The tools the model may call: HTTP requests, code, MCP servers or other flows.', '模型可以调用的工具：HTTP 请求、代码、MCP 服务器或其他流程。']);

export type ToolConfig = z.output<typeof toolSchema>;

/**
 * The kinds of tool code generation does not write out (a code tool runs as a plain function of
 * its arguments), each with why; the tool runner or agent carrying one is refused with this reason.
 */
export const toolKindsRefusedInCode: Readonly<Record<Exclude<ToolConfig['kind'], 'code' | 'http'>, LocalizedText>> = {
  mcp: { en: 'its MCP tools come from a server in the Loomflow server’s settings, which a standalone project does not have', 'zh-CN': '其 MCP 工具来自 Loomflow 服务器设置中的服务器，独立项目中没有' },
  flow: { en: 'its flow tool runs another stored flow, which lives in the Loomflow host; export that flow on its own', 'zh-CN': '其流程工具运行另一个已保存的流程，该流程保存在 Loomflow 中；请单独导出那个流程' },
};

/**
 * How a node runs the tools a model calls: whose calls wait for a person's approval first, and how
 * many failed calls in a row end the node instead of being shown to the model again.
 */
export const toolPolicyShape = {
  /** Tool names whose calls a person approves, edits or rejects before they run. */
  approveTools: field(z.array(z.string().min(1)).default([]), ['Tools needing approval', '需审批的工具'], ['Calls of these tools wait until a person approves, edits or rejects them.', '调用这些工具前，需由人批准、修改或拒绝。']),
  maxConsecutiveErrors: field(z.number().int().min(1).max(20).default(3), ['Failed calls in a row', '连续失败次数'], ['After this many failed tool calls in a row the step fails instead of telling the model.', '连续这么多次工具调用失败后，步骤失败而不再告知模型。']),
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
  text: field(z.string().default(''), ['Text', '文本'], ['What the note says.', '注释的内容。']),
  annotates: field(elementIdSchema.optional(), ['Explains', '说明对象'], ['The node or edge the note is about, if any.', '注释所说明的节点或连线（可选）。'], { refersTo: 'node' }),
});

export function noteReferences(config: z.output<typeof noteConfigSchema>): ConfigReference[] {
  return config.annotates ? [{ kind: 'node', path: ['annotates'], nodeId: config.annotates, link: 'annotates' }] : [];
}
