// Agent node types: the building blocks of LangGraph-style agent graphs.
import { z } from 'zod';
import { channelNameSchema, elementIdSchema } from '../flow-document';
import { findFeelVariableNames } from '../feel';
import { GENERATES_CODE, defineNodeType, refusedInCode, type NodeType } from '../node-type';
import { templateChannels } from '../template';
import { field } from '../field-doc';
import {
  IN,
  NONE,
  OUT,
  channelRef,
  defaultModel,
  executionPolicyShape,
  feelExpressionSchema,
  feelRef,
  templateRef,
  allowHostsSchema,
  mcpServerSchema,
  modelSchema,
  type ModelConfig,
  noteConfigSchema,
  noteReferences,
  objectJsonSchema,
  candidateGroupsSchema,
  structuredOutputSchema,
  toolPolicyShape,
  toolsSchema,
  flowVersionSchema,
  httpHeadersSchema,
  httpTimeoutSchema,
  sandboxLimitsShape,
  withErrorPort,
} from './common';

const step = { kind: 'agent', role: 'step', branching: 'all', inputs: IN } as const;

const systemPromptDoc = [['System prompt', '系统提示词'], ['Instructions the model follows throughout; {{channel}} placeholders are filled from the state.', '模型始终遵循的指令；{{通道}} 占位符由状态填充。']] as const;
const outputChannel = <Schema extends z.ZodType>(schema: Schema, en: string, zh: string) => field(schema, ['Output channel', '输出通道'], [en, zh]);
const messagesChannel = field(channelNameSchema.default('messages'), ['Conversation channel', '对话通道'], ['The messages channel holding the conversation.', '保存对话消息的通道。']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const credentialOf = (model: ModelConfig): string[] => ('credential' in model && model.credential ? [model.credential] : []);

/** The channels FEEL expressions read, or undefined when one does not parse (it may read anything). */
function feelChannels(expressions: readonly string[]): string[] | undefined {
  const names = expressions.map(findFeelVariableNames);
  return names.some((list) => list === undefined) ? undefined : [...new Set(names.flat() as string[])];
}

export const agentNodeTypes: readonly NodeType[] = [
  defineNodeType({
    ...step,
    type: 'agent.start',
    codegen: GENERATES_CODE,
    traits: { pure: true },
    category: 'flow',
    role: 'start',
    inputs: NONE,
    title: { en: 'Start', 'zh-CN': '开始' },
    description: { en: 'Where a run begins; receives the run input.', 'zh-CN': '运行的起点，接收运行输入。' },
    configSchema: z.strictObject({}),
    defaults: {},
    outputs: OUT,
  }),
  defineNodeType({
    ...step,
    type: 'agent.end',
    codegen: GENERATES_CODE,
    traits: { pure: true },
    category: 'flow',
    role: 'end',
    title: { en: 'End', 'zh-CN': '结束' },
    description: { en: 'Ends the run; the final state is its result.', 'zh-CN': '结束运行，最终状态即为结果。' },
    configSchema: z.strictObject({ join: executionPolicyShape.join }),
    defaults: {},
    outputs: NONE,
  }),
  defineNodeType({
    ...step,
    type: 'agent.llm',
    // Every model provider and structured-output method writes out; MCP and flow tools it calls are refused, naming the node.
    codegen: GENERATES_CODE,
    traits: {
      credentials: (config) => credentialOf(config.model),
      routesByToolCalls: (config) => (config.callsTools ? config.output : undefined),
    },
    category: 'ai',
    title: { en: 'LLM', 'zh-CN': '大模型' },
    description: {
      en: 'Calls a chat model with a prompt built from the state. With tool calling on, the model may call the tools of the Tools node its tools port leads to.',
      'zh-CN': '用由状态生成的提示词调用对话模型。开启工具调用后，模型可以调用其工具端口所连"工具"节点中的工具。',
    },
    configSchema: z.strictObject({
      ...executionPolicyShape,
      model: modelSchema.default(defaultModel),
      systemPrompt: field(z.string().default(''), ...systemPromptDoc),
      /** `{{channel}}` placeholders are filled from the state. */
      prompt: field(z.string().default(''), ['Prompt', '提示词'], ['The user message sent to the model; {{channel}} placeholders are filled from the state.', '发送给模型的用户消息；{{通道}} 占位符由状态填充。']),
      /** When set, the model's JSON reply is checked against this schema. */
      responseSchema: field(objectJsonSchema.optional(), ['Structured output', '结构化输出'], ['When set, the model replies with JSON checked against this schema.', '设置后，模型以 JSON 回复，并按此结构校验。']),
      /** How the model is asked for that JSON. */
      structuredOutput: structuredOutputSchema,
      output: outputChannel(channelNameSchema.default('messages'), 'The channel the reply is written to.', '写入回复的通道。'),
      stream: field(z.boolean().default(true), ['Stream tokens', '流式输出'], ['Shows the reply token by token while it is written.', '边生成边逐字显示回复。']),
      /** Lets the model call tools: a reply that calls any leaves by the `tools` port. */
      callsTools: field(z.boolean().default(false), ['Calls tools', '调用工具'], ['Lets the model call tools: a reply that calls any leaves by the "Calls tools" port.', '允许模型调用工具：调用工具的回复从"调用工具"端口离开。']),
    }),
    defaults: { prompt: '{{question}}', output: 'messages' },
    outputs: (config) =>
      withErrorPort(
        config.callsTools
          ? [
              { id: 'out', title: { en: 'Answered', 'zh-CN': '已回答' } },
              { id: 'tools', title: { en: 'Calls tools', 'zh-CN': '调用工具' }, leadsTo: 'tool-runner' },
            ]
          : OUT,
        config,
      ),
    references: (config) => [
      channelRef(['output'], config.output, config.callsTools ? 'messages' : undefined),
      templateRef(['systemPrompt'], config.systemPrompt),
      templateRef(['prompt'], config.prompt),
    ],
  }),
  defineNodeType({
    ...step,
    type: 'agent.tools',
    codegen: GENERATES_CODE,
    traits: { runsToolCalls: true },
    category: 'ai',
    title: { en: 'Tools', 'zh-CN': '工具' },
    description: {
      en: 'Runs the tool calls of the last model message and appends their results; a failed call is reported to the model.',
      'zh-CN': '执行最后一条模型消息中的工具调用并追加结果；调用失败时把错误告诉模型。',
    },
    configSchema: z.strictObject({
      ...executionPolicyShape,
      tools: toolsSchema,
      messages: messagesChannel,
      ...toolPolicyShape,
    }),
    defaults: { tools: [] },
    outputs: (config) => withErrorPort(OUT, config),
    references: (config) => [channelRef(['messages'], config.messages, 'messages')],
  }),
  defineNodeType({
    ...step,
    type: 'agent.react',
    codegen: GENERATES_CODE,
    traits: { credentials: (config) => credentialOf(config.model) },
    category: 'ai',
    title: { en: 'ReAct agent', 'zh-CN': 'ReAct 智能体' },
    description: {
      en: 'Lets a model reason and call tools in a loop until it answers (LangGraph’s prebuilt ReAct agent).',
      'zh-CN': '让模型循环推理并调用工具，直到给出答案（LangGraph 预置的 ReAct 智能体）。',
    },
    configSchema: z.strictObject({
      ...executionPolicyShape,
      model: modelSchema.default(defaultModel),
      systemPrompt: field(z.string().default(''), ...systemPromptDoc),
      /** A user message added to the conversation first, when not empty; `{{channel}}` placeholders are filled from the state. */
      prompt: field(z.string().default(''), ['Prompt', '提示词'], ['A user message added to the conversation first, when not empty; {{channel}} placeholders are filled.', '非空时先加入对话的用户消息；{{通道}} 占位符由状态填充。']),
      tools: toolsSchema,
      /** Model turns at most; the agent fails naming this limit when it has not answered by then. */
      maxIterations: field(z.number().int().min(1).max(100).default(10), ['Max turns', '最大轮数'], ['Model turns at most; the agent fails when it has not answered by then.', '模型最多回合数；到时仍未回答则失败。']),
      messages: messagesChannel,
      ...toolPolicyShape,
    }),
    defaults: { systemPrompt: 'You are a helpful assistant.', prompt: '{{question}}' },
    outputs: (config) => withErrorPort(OUT, config),
    references: (config) => [
      channelRef(['messages'], config.messages, 'messages'),
      templateRef(['systemPrompt'], config.systemPrompt),
      templateRef(['prompt'], config.prompt),
    ],
  }),
  defineNodeType({
    ...step,
    type: 'agent.router',
    codegen: GENERATES_CODE,
    traits: { routesBy: (config) => config.output, credentials: (config) => credentialOf(config.model) },
    category: 'ai',
    title: { en: 'Intent router', 'zh-CN': '意图分类' },
    description: {
      en: 'Has a model classify the input into one of the intents; each intent is an output port.',
      'zh-CN': '由模型把输入归入某个意图，每个意图对应一个输出端口。',
    },
    configSchema: z.strictObject({
      ...executionPolicyShape,
      model: modelSchema.default({ ...defaultModel, temperature: 0 }),
      instruction: field(z.string().default(''), ['Instruction', '指令'], ['Extra guidance for the model on how to classify; {{channel}} placeholders are filled.', '指导模型如何分类的补充说明；{{通道}} 占位符由状态填充。']),
      input: field(z.string().min(1).default('{{question}}'), ['Input', '输入'], ['The text to classify; {{channel}} placeholders are filled from the state.', '要分类的文本；{{通道}} 占位符由状态填充。']),
      intents: field(
        z
          .array(
            z.strictObject({
              id: field(elementIdSchema, ['Port id', '端口 ID'], ['The output port this intent leaves by.', '该意图离开的输出端口。']),
              description: field(z.string().min(1), ['Description', '描述'], ['What the input means when it has this intent.', '输入属于此意图时的含义。']),
              examples: field(z.array(z.string()).default([]), ['Examples', '示例'], ['Sample inputs of this intent.', '属于此意图的示例输入。']),
            }),
          )
          .min(1),
        ['Intents', '意图'],
        ['The intents the model chooses among; each is an output port, plus "fallback".', '模型从中选择的意图；每个意图是一个输出端口，另有 "fallback"。'],
      ),
      output: outputChannel(channelNameSchema.default('intent'), 'The channel the chosen intent\'s id is written to.', '写入所选意图 ID 的通道。'),
      /** How the model is asked for its JSON answer. */
      structuredOutput: structuredOutputSchema,
      /** Where the model's one-sentence reason for its choice goes, when set. */
      reasonOutput: field(channelNameSchema.optional(), ['Reason channel', '理由通道'], ['Where the model\'s one-sentence reason for its choice goes, when set.', '设置后，写入模型对选择的一句话理由。']),
    }),
    defaults: {
      intents: [
        { id: 'question', description: 'The user asks a question' },
        { id: 'complaint', description: 'The user complains about something' },
      ],
    },
    // Anything the model cannot place leaves through `fallback`.
    outputs: (config) => withErrorPort([...config.intents.map((intent) => ({ id: intent.id })), { id: 'fallback' }], config),
    references: (config) => [
      channelRef(['output'], config.output),
      ...(config.reasonOutput ? [channelRef(['reasonOutput'], config.reasonOutput)] : []),
      templateRef(['instruction'], config.instruction),
      templateRef(['input'], config.input),
    ],
  }),
  defineNodeType({
    ...step,
    type: 'agent.condition',
    codegen: GENERATES_CODE,
    traits: { pure: true },
    category: 'logic',
    branching: 'conditional',
    title: { en: 'Condition', 'zh-CN': '条件分支' },
    description: {
      en: 'Chooses the outgoing edge whose FEEL condition holds, else the default edge.',
      'zh-CN': '选择 FEEL 条件成立的出边，都不成立时走默认边。',
    },
    configSchema: z.strictObject({ join: executionPolicyShape.join }),
    defaults: {},
    outputs: OUT,
  }),
  defineNodeType({
    ...step,
    type: 'agent.human',
    codegen: GENERATES_CODE,
    category: 'human',
    title: { en: 'Human input', 'zh-CN': '人工输入' },
    description: {
      en: 'Pauses the run until a person answers; the answer’s keys are written to the channels of the same names.',
      'zh-CN': '暂停运行直到有人作答，答案中的各个键写入同名通道。',
    },
    configSchema: z.strictObject({
      join: executionPolicyShape.join,
      prompt: field(z.string().min(1), ['Question', '问题'], ['What the person is asked; {{channel}} placeholders are filled from the state.', '向人提出的问题；{{通道}} 占位符由状态填充。']),
      schema: field(objectJsonSchema, ['Answer', '答案'], ['The fields of the answer; each is written to the channel of the same name.', '答案的字段；每个字段写入同名通道。']),
      assignee: field(z.string().optional(), ['Assignee', '处理人'], ['The person the task is for; empty leaves it to the candidate groups.', '任务的处理人；留空则交给候选组。']),
      candidateGroups: candidateGroupsSchema,
    }),
    defaults: {
      prompt: 'Approve this request?',
      schema: { type: 'object', properties: { approved: { type: 'boolean' } }, required: ['approved'] },
    },
    outputs: OUT,
    // The answer's keys are written to the channels of the same names.
    references: (config) => [
      templateRef(['prompt'], config.prompt),
      ...Object.keys(isRecord(config.schema.properties) ? config.schema.properties : {}).map((name) => channelRef(['schema', 'properties', name], name)),
    ],
  }),
  defineNodeType({
    ...step,
    type: 'agent.code',
    codegen: GENERATES_CODE,
    traits: { pure: true },
    category: 'data',
    title: { en: 'Code', 'zh-CN': '代码' },
    description: {
      en: 'Runs JavaScript in a sandbox; `source` is the body of a function of `state` that returns updates of the channels listed in `writes`.',
      'zh-CN': '在沙箱中运行 JavaScript；`source` 是以 `state` 为参数的函数体，返回 `writes` 所列通道的更新。',
    },
    configSchema: z.strictObject({
      ...executionPolicyShape,
      language: field(z.literal('javascript').default('javascript'), ['Language', '语言'], ['The language of the code.', '代码的语言。']),
      source: field(z.string().min(1), ['Code', '代码'], ['The body of a function of `state` returning the channel updates.', '以 `state` 为参数、返回通道更新的函数体。']),
      /**
       * The channels the code may update, as Dify's code node declares its output variables: the
       * validator checks they exist and the executor refuses any other key. Documents saved before
       * it existed leave it out, and their code may update any channel.
       */
      writes: field(z.array(channelNameSchema).optional(), ['Writes channels', '写入的通道'], ['The channels the code may update; any other key it returns is refused.', '代码可以更新的通道；返回其他键会被拒绝。']),
      ...sandboxLimitsShape,
    }),
    defaults: { source: 'return { count: (state.count ?? 0) + 1 };' },
    outputs: (config) => withErrorPort(OUT, config),
    references: (config) => (config.writes ?? []).map((name, index) => channelRef(['writes', index], name)),
  }),
  defineNodeType({
    ...step,
    type: 'agent.http',
    // Its network guard is written out with it (codegen's src/http.ts).
    codegen: GENERATES_CODE,
    category: 'data',
    title: { en: 'HTTP request', 'zh-CN': 'HTTP 请求' },
    description: {
      en: 'Sends an HTTP request; loopback and private addresses are refused unless allowed.',
      'zh-CN': '发送 HTTP 请求；除非在允许列表中，否则拒绝回环和内网地址。',
    },
    configSchema: z.strictObject({
      ...executionPolicyShape,
      method: field(z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'), ['Method', '方法'], ['The HTTP method of the request.', '请求的 HTTP 方法。']),
      /** `{{channel}}` placeholders are filled from the state. */
      url: field(z.string().min(1), ['URL', '地址'], ['The address; {{channel}} placeholders are filled from the state.', '请求地址；{{通道}} 占位符由状态填充。']),
      headers: httpHeadersSchema,
      body: field(z.string().optional(), ['Body', '请求体'], ['The request body; {{channel}} placeholders are filled from the state.', '请求体；{{通道}} 占位符由状态填充。']),
      output: outputChannel(channelNameSchema.default('response'), 'The channel the response is written to.', '写入响应的通道。'),
      timeoutMs: httpTimeoutSchema,
      retries: field(z.number().int().min(0).max(10).default(0), ['Request retries', '请求重试次数'], ['How often a failed request is sent again.', '请求失败后重发的次数。'], { group: 'execution' }),
      allowHosts: allowHostsSchema,
    }),
    defaults: { url: 'https://example.com/api', output: 'response' },
    outputs: (config) => withErrorPort(OUT, config),
    references: (config) => [
      channelRef(['output'], config.output),
      templateRef(['url'], config.url),
      ...Object.entries(config.headers).map(([name, value]) => templateRef(['headers', name], value)),
      ...(config.body === undefined ? [] : [templateRef(['body'], config.body)]),
    ],
  }),
  defineNodeType({
    ...step,
    type: 'agent.template',
    codegen: GENERATES_CODE,
    traits: { pure: true, reads: (config) => templateChannels(config.template) },
    category: 'data',
    title: { en: 'Template', 'zh-CN': '模板' },
    description: {
      en: 'Fills `{{channel}}` placeholders from the state and writes the text to a channel.',
      'zh-CN': '用状态填充 `{{channel}}` 占位符，并把文本写入通道。',
    },
    configSchema: z.strictObject({
      ...executionPolicyShape,
      template: field(z.string(), ['Template', '模板'], ['The text; {{channel}} placeholders are filled from the state.', '文本；{{通道}} 占位符由状态填充。']),
      output: outputChannel(channelNameSchema, 'The channel the text is written to.', '写入文本的通道。'),
    }),
    defaults: { template: 'Hello {{name}}', output: 'greeting' },
    outputs: (config) => withErrorPort(OUT, config),
    references: (config) => [channelRef(['output'], config.output), templateRef(['template'], config.template)],
  }),
  defineNodeType({
    ...step,
    type: 'agent.assign',
    codegen: GENERATES_CODE,
    traits: { pure: true, reads: (config) => feelChannels(config.assignments.map((assignment) => assignment.value)) },
    category: 'data',
    title: { en: 'Assign', 'zh-CN': '赋值' },
    description: {
      en: 'Evaluates FEEL expressions over the state and writes each to its channel through its reducer.',
      'zh-CN': '基于状态计算 FEEL 表达式，并通过各通道的归约器写入。',
    },
    configSchema: z.strictObject({
      ...executionPolicyShape,
      assignments: field(
        z
          .array(
            z.strictObject({
              key: field(channelNameSchema, ['Channel', '通道'], ['The channel written to.', '写入的通道。']),
              value: field(feelExpressionSchema, ['Value', '值'], ['A FEEL expression over the state.', '基于状态的 FEEL 表达式。']),
            }),
          )
          .min(1),
        ['Assignments', '赋值'],
        ['Each writes the value of a FEEL expression to a channel, in order.', '按顺序把每个 FEEL 表达式的值写入通道。'],
      ),
    }),
    defaults: { assignments: [{ key: 'count', value: 'count + 1' }] },
    outputs: (config) => withErrorPort(OUT, config),
    references: (config) =>
      config.assignments.flatMap((assignment, index) => [
        channelRef(['assignments', index, 'key'], assignment.key),
        feelRef(['assignments', index, 'value'], assignment.value),
      ]),
  }),
  defineNodeType({
    ...step,
    type: 'agent.retriever',
    // Its knowledge base becomes a function the project's owner connects to their own store.
    codegen: GENERATES_CODE,
    category: 'ai',
    title: { en: 'Knowledge retrieval', 'zh-CN': '知识检索' },
    description: {
      en: 'Finds the passages of a knowledge base that best match a query.',
      'zh-CN': '从知识库中检索与查询最匹配的段落。',
    },
    configSchema: z.strictObject({
      ...executionPolicyShape,
      knowledgeBase: field(z.string().min(1), ['Knowledge base', '知识库'], ['The knowledge base searched, from the settings.', '要检索的知识库（来自设置）。'], { refersTo: 'knowledgeBase' }),
      query: field(z.string().min(1).default('{{question}}'), ['Query', '查询'], ['What to search for; {{channel}} placeholders are filled from the state.', '检索内容；{{通道}} 占位符由状态填充。']),
      mode: field(z.enum(['vector', 'keyword', 'hybrid']).default('hybrid'), ['Search mode', '检索方式'], ['By meaning (vector), by words (keyword), or both (hybrid).', '按语义（vector）、按关键词（keyword）或两者结合（hybrid）。']),
      topK: field(z.number().int().min(1).max(50).default(4), ['Passages', '段落数'], ['How many of the best passages are returned.', '返回最匹配的段落数。']),
      /** Passages scoring below it are left out; each mode scores on its own scale (docs/flow-document.md). */
      scoreThreshold: field(z.number().optional(), ['Minimum score', '最低分'], ['Passages scoring below it are left out; each mode scores on its own scale.', '低于此分的段落被略去；各检索方式的分值尺度不同。']),
      output: outputChannel(channelNameSchema.default('documents'), 'The channel the passages are written to.', '写入段落的通道。'),
    }),
    defaults: { knowledgeBase: 'default' },
    outputs: (config) => withErrorPort(OUT, config),
    references: (config) => [channelRef(['output'], config.output), templateRef(['query'], config.query)],
  }),
  defineNodeType({
    ...step,
    type: 'agent.subflow',
    // The flow it runs is written into the project as a subgraph of its own.
    codegen: GENERATES_CODE,
    traits: { invokesFlow: (config) => ({ flowId: config.flowId, version: config.version, path: ['flowId'] }) },
    category: 'logic',
    title: { en: 'Sub-flow', 'zh-CN': '子流程' },
    description: {
      en: 'Runs another flow as a subgraph, mapping state in and out.',
      'zh-CN': '把另一个流程作为子图运行，并映射输入输出状态。',
    },
    configSchema: z.strictObject({
      ...executionPolicyShape,
      flowId: field(z.string().min(1), ['Flow', '流程'], ['The stored flow run as a subgraph.', '作为子图运行的已保存流程。'], { refersTo: 'flow' }),
      version: flowVersionSchema,
      /** Sub-flow channel → FEEL expression over this flow's state. */
      inputs: field(z.record(channelNameSchema, feelExpressionSchema).default({}), ['Inputs', '输入'], ['Each sub-flow channel gets the value of a FEEL expression over this flow\'s state.', '每个子流程通道取基于本流程状态的 FEEL 表达式的值。']),
      /** This flow's channel → sub-flow channel whose final value it receives. */
      outputs: field(z.record(channelNameSchema, channelNameSchema).default({}), ['Outputs', '输出'], ['Each channel of this flow receives the final value of a sub-flow channel.', '本流程的每个通道接收子流程某通道的最终值。']),
    }),
    defaults: { flowId: 'subflow' },
    outputs: (config) => withErrorPort(OUT, config),
    references: (config) => [
      ...Object.entries(config.inputs).map(([key, expression]) => feelRef(['inputs', key], expression)),
      ...Object.keys(config.outputs).map((key) => channelRef(['outputs', key], key)),
    ],
  }),
  defineNodeType({
    ...step,
    type: 'agent.map',
    codegen: GENERATES_CODE,
    traits: { fansOut: (config) => ({ items: config.items, as: config.as, worker: config.node, collect: config.collect, maxConcurrency: config.maxConcurrency }) },
    category: 'logic',
    title: { en: 'Map', 'zh-CN': '批量映射' },
    description: {
      en: 'Runs one node once per item of a FEEL list, in parallel, and collects the results in order.',
      'zh-CN': '对 FEEL 列表中的每一项并行运行一个节点，并按顺序收集结果。',
    },
    configSchema: z.strictObject({
      ...executionPolicyShape,
      items: field(feelExpressionSchema, ['Items', '列表'], ['A FEEL expression giving the list to map over.', '给出待处理列表的 FEEL 表达式。']),
      as: field(channelNameSchema.default('item'), ['Item channel', '列表项通道'], ['The channel each run of the worker finds its item in.', '每次运行时存放当前项的通道。']),
      node: field(elementIdSchema, ['Worker node', '处理节点'], ['The node that runs once per item.', '对每一项运行一次的节点。'], { refersTo: 'node' }),
      collect: field(channelNameSchema, ['Results channel', '结果通道'], ['The channel the results are written to, in item order.', '按列表顺序写入结果的通道。']),
      maxConcurrency: field(z.number().int().min(1).max(1000).optional(), ['Max parallel runs', '最大并行数'], ['How many items run at once; empty means all.', '同时处理的项数；留空表示全部。']),
    }),
    defaults: { items: 'items', as: 'item', node: 'worker', collect: 'results' },
    outputs: (config) => withErrorPort(OUT, config),
    references: (config) => [
      feelRef(['items'], config.items),
      { kind: 'node', path: ['node'], nodeId: config.node, link: 'invokes' },
      channelRef(['collect'], config.collect),
    ],
  }),
  defineNodeType({
    ...step,
    type: 'agent.mcp',
    codegen: refusedInCode({ en: 'MCP servers are settings of the Loomflow server, which a standalone project does not have', 'zh-CN': 'MCP 服务器是 Loomflow 服务器的设置，独立项目中没有' }),
    category: 'ai',
    title: { en: 'MCP tool', 'zh-CN': 'MCP 工具' },
    description: {
      en: 'Calls one tool of a Model Context Protocol server.',
      'zh-CN': '调用 Model Context Protocol 服务器上的一个工具。',
    },
    configSchema: z.strictObject({
      ...executionPolicyShape,
      server: mcpServerSchema,
      tool: field(z.string().min(1), ['Tool', '工具'], ['The name of the server\'s tool to call.', '要调用的服务器工具名称。']),
      /** Tool argument → FEEL expression over the state. */
      arguments: field(z.record(z.string(), feelExpressionSchema).default({}), ['Arguments', '参数'], ['Each tool argument gets the value of a FEEL expression over the state.', '每个工具参数取基于状态的 FEEL 表达式的值。']),
      output: outputChannel(channelNameSchema.default('result'), 'The channel the tool\'s result is written to.', '写入工具结果的通道。'),
    }),
    // A registered name, not a command line: the server refuses flows that carry one.
    defaults: { server: { transport: 'registered', name: 'my-mcp-server' }, tool: 'echo' },
    outputs: (config) => withErrorPort(OUT, config),
    references: (config) => [
      ...Object.entries(config.arguments).map(([key, expression]) => feelRef(['arguments', key], expression)),
      channelRef(['output'], config.output),
    ],
  }),
  defineNodeType({
    kind: 'agent',
    role: 'artifact',
    branching: 'all',
    inputs: NONE,
    outputs: NONE,
    type: 'agent.note',
    codegen: GENERATES_CODE,
    category: 'artifacts',
    title: { en: 'Note', 'zh-CN': '注释' },
    description: {
      en: 'A note for readers of the flow, optionally about one node or edge; it does not run.',
      'zh-CN': '给读图者的说明，可指向某个节点或连线；不参与运行。',
    },
    configSchema: noteConfigSchema,
    defaults: { text: '' },
    references: noteReferences,
  }),
];
