// BPMN 2.0 node types. Each maps to one bpmn-moddle element so that flows export to and import
// from the XML that Camunda Modeler and bpmn.io read.
import { z } from 'zod';
import { channelNameSchema, elementIdSchema } from '../flow-document';
import type { LocalizedText } from '../localized';
import { formFieldSchema } from '../human-request';
import { schemaReasonCatalog } from '../schema-reasons';
import { field } from '../field-doc';
import { GENERATES_CODE, defineNodeType, refusedInCode, type AwaitedEvent, type BoundaryCatch, type ConfigReference, type NodeType, type NodeTypeSpec, type PortSpec } from '../node-type';
import { decisionReferences, decisionSchema, loopReferences, loopSchema } from './bpmn-activity-config';
import { IN, NONE, OUT, candidateGroupsSchema, channelRef, feelExpressionSchema, feelRef, httpHeadersSchema, mcpServerSchema, noteConfigSchema, noteReferences, sandboxLimitsShape } from './common';

// A FEEL expression in Camunda's "=expr" form is evaluated at run time, so only literal ISO 8601
// values are checked here.
const isoDuration = /^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const isoCycle = /^R\d*\/.+/;
function isValidTimerValue(timerType: 'date' | 'duration' | 'cycle', value: string): boolean {
  if (value.startsWith('=')) return true;
  if (timerType === 'duration') return isoDuration.test(value);
  if (timerType === 'cycle') return isoCycle.test(value);
  return !Number.isNaN(Date.parse(value));
}

const triggerDoc = [['Trigger', '触发方式'], ['What the event waits for or sends: nothing, a message, a timer, an error, a signal, an escalation, or termination.', '事件等待或发出的内容：无、消息、定时器、错误、信号、升级或终止。']] as const;
const trigger = <Value extends string>(value: Value) => field(z.literal(value), ...triggerDoc);
const messageNameSchema = field(z.string().min(1), ['Message name', '消息名称'], ['The name of the message, as senders and receivers call it.', '消息的名称，发送方和接收方共用。']);
const correlationKeySchema = field(feelExpressionSchema.optional(), ['Correlation key', '关联键'], ['A FEEL expression whose value picks the waiting instance a message is for.', '其值用于确定消息属于哪个等待实例的 FEEL 表达式。']);
const eventDefinitions = {
  none: z.strictObject({ type: trigger('none') }),
  message: z.strictObject({
    type: trigger('message'),
    messageName: messageNameSchema,
    correlationKey: correlationKeySchema,
  }),
  timer: z
    .strictObject({
      type: trigger('timer'),
      timerType: field(z.enum(['date', 'duration', 'cycle']), ['Timer kind', '定时类型'], ['At a date, after a duration, or repeating on a cycle.', '在某个日期、经过一段时长，或按周期重复。']),
      value: field(z.string().min(1), ['Timer value', '定时值'], ['An ISO 8601 date, duration (PT1H) or cycle (R3/PT10M), or =FEEL.', 'ISO 8601 日期、时长（PT1H）或周期（R3/PT10M），或 =FEEL 表达式。']),
    })
    // The reason travels in params, so validateFlow's issue can word it in each language.
    .refine((timer) => isValidTimerValue(timer.timerType, timer.value), {
      message: schemaReasonCatalog['timer-value'].en,
      params: { reason: 'timer-value' },
      path: ['value'],
    }),
  error: z.strictObject({
    type: trigger('error'),
    errorCode: field(z.string().min(1).optional(), ['Error code', '错误代码'], ['The code of the error; empty catches every error.', '错误代码；留空则捕获所有错误。']),
  }),
  escalation: z.strictObject({
    type: trigger('escalation'),
    escalationCode: field(
      z.string().min(1).optional(),
      ['Escalation code', '升级代码'],
      ['The code of the escalation; on a boundary event, empty catches every escalation.', '升级的代码；在边界事件上留空则捕获所有升级。'],
    ),
  }),
  signal: z.strictObject({ type: trigger('signal'), signalName: field(z.string().min(1), ['Signal name', '信号名称'], ['The name of the signal.', '信号的名称。']) }),
  terminate: z.strictObject({ type: trigger('terminate') }),
};
type EventDefinitionType = keyof typeof eventDefinitions;
type EventDefinitionSchema = (typeof eventDefinitions)[EventDefinitionType];

function eventDefinitionSchema(allowed: readonly [EventDefinitionType, ...EventDefinitionType[]]) {
  const [first, ...rest] = allowed.map((type) => eventDefinitions[type]) as [EventDefinitionSchema, ...EventDefinitionSchema[]];
  return field(z.discriminatedUnion('type', [first, ...rest]), ['Event', '事件'], ['The event\'s trigger and its details.', '事件的触发方式及其细节。']);
}

function eventReferences(definition: { type: string; correlationKey?: string }): ConfigReference[] {
  return definition.correlationKey ? [feelRef(['eventDefinition', 'correlationKey'], definition.correlationKey)] : [];
}

/** The escalation a throwing event raises, or undefined for other triggers. */
function escalationOf(definition: z.output<EventDefinitionSchema>): { escalationCode?: string | undefined } | undefined {
  return definition.type === 'escalation' ? { escalationCode: definition.escalationCode } : undefined;
}

/** The event a catching node waits for; none for the kinds nothing waits for (an error is thrown at it). */
function awaitedEvent(definition: z.output<EventDefinitionSchema>): AwaitedEvent | undefined {
  return definition.type === 'timer' || definition.type === 'message' || definition.type === 'signal' ? definition : undefined;
}

const documentation = field(z.string().optional(), ['Documentation', '文档'], ['Notes for readers of the process; exported to BPMN.', '给流程读者的说明；会导出到 BPMN。']);

const activityShape = {
  documentation,
  loop: field(loopSchema.optional(), ['Loop', '循环'], ['Repeats the activity, or runs it once per item (multi-instance).', '重复执行活动，或对每一项各执行一次（多实例）。']),
};
const resultVariable = field(channelNameSchema.optional(), ['Result variable', '结果变量'], ['The process variable the result is written to.', '写入结果的流程变量。']);

const base = { kind: 'bpmn', branching: 'all' } as const;
const flowStep = { ...base, role: 'step', inputs: IN, outputs: OUT } as const;
const artifact = { ...base, role: 'artifact', category: 'artifacts', inputs: NONE, outputs: NONE as readonly PortSpec[] } as const;

function activity<Schema extends z.ZodType<{ loop?: z.output<typeof loopSchema> }>>(
  spec: Omit<NodeTypeSpec<Schema>, 'kind' | 'branching' | 'role' | 'inputs' | 'outputs' | 'category' | 'description'> & {
    description: LocalizedText;
  },
): NodeType {
  return defineNodeType<Schema>({
    ...flowStep,
    category: 'activities',
    ...spec,
    references: (config) => [...loopReferences(config.loop), ...(spec.references?.(config) ?? [])],
    traits: { catchesEvents: true, ...spec.traits },
  });
}

const httpMethod = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const implementationDoc = [['Kind', '类型'], ['How the work is done.', '工作的完成方式。']] as const;

export const bpmnNodeTypes: readonly NodeType[] = [
  defineNodeType({
    ...base,
    type: 'bpmn.startEvent',
    codegen: GENERATES_CODE,
    traits: {
      pure: true,
      startsOnMessage: (config) => (config.eventDefinition.type === 'message' ? config.eventDefinition.messageName : undefined),
      startsOnSignal: (config) => (config.eventDefinition.type === 'signal' ? config.eventDefinition.signalName : undefined),
      startsOnTimer: (config) => (config.eventDefinition.type === 'timer' ? config.eventDefinition : undefined),
    },
    category: 'events',
    role: 'start',
    inputs: NONE,
    outputs: OUT,
    title: { en: 'Start event', 'zh-CN': '开始事件' },
    description: { en: 'Starts the process; takes the run input.', 'zh-CN': '启动流程，接收运行输入。' },
    bpmn: { element: 'bpmn:StartEvent' },
    configSchema: z.strictObject({
      documentation,
      eventDefinition: eventDefinitionSchema(['none', 'message', 'timer', 'signal', 'error']).default({ type: 'none' }),
    }),
    defaults: { eventDefinition: { type: 'none' } },
    references: (config) => eventReferences(config.eventDefinition),
  }),
  defineNodeType({
    ...base,
    type: 'bpmn.endEvent',
    codegen: GENERATES_CODE,
    traits: { pure: true, terminates: (config) => config.eventDefinition.type === 'terminate', escalates: (config) => escalationOf(config.eventDefinition) },
    category: 'events',
    role: 'end',
    inputs: IN,
    outputs: NONE,
    title: { en: 'End event', 'zh-CN': '结束事件' },
    description: { en: 'Ends its path; a terminate end ends the whole process.', 'zh-CN': '结束所在路径；终止结束事件结束整个流程。' },
    bpmn: { element: 'bpmn:EndEvent' },
    configSchema: z.strictObject({
      documentation,
      eventDefinition: eventDefinitionSchema(['none', 'message', 'error', 'signal', 'escalation', 'terminate']).default({ type: 'none' }),
    }),
    defaults: { eventDefinition: { type: 'none' } },
  }),
  defineNodeType({
    ...flowStep,
    type: 'bpmn.intermediateCatchEvent',
    codegen: GENERATES_CODE,
    traits: { waitsForEvent: true, awaitsEvent: (config) => awaitedEvent(config.eventDefinition) },
    category: 'events',
    title: { en: 'Intermediate catch event', 'zh-CN': '中间捕获事件' },
    description: { en: 'Waits for a message, a timer or a signal.', 'zh-CN': '等待消息、定时器或信号。' },
    bpmn: { element: 'bpmn:IntermediateCatchEvent' },
    configSchema: z.strictObject({
      documentation,
      eventDefinition: eventDefinitionSchema(['message', 'timer', 'signal']),
    }),
    defaults: { eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT1H' } },
    references: (config) => eventReferences(config.eventDefinition),
  }),
  defineNodeType({
    ...flowStep,
    type: 'bpmn.intermediateThrowEvent',
    codegen: GENERATES_CODE,
    traits: { pure: true, escalates: (config) => escalationOf(config.eventDefinition) },
    category: 'events',
    title: { en: 'Intermediate throw event', 'zh-CN': '中间抛出事件' },
    description: { en: 'Marks a milestone, or sends a message, a signal or an escalation.', 'zh-CN': '标记里程碑，或发送消息、信号、升级。' },
    bpmn: { element: 'bpmn:IntermediateThrowEvent' },
    configSchema: z.strictObject({
      documentation,
      eventDefinition: eventDefinitionSchema(['none', 'message', 'signal', 'escalation']).default({ type: 'none' }),
    }),
    defaults: { eventDefinition: { type: 'none' } },
  }),
  defineNodeType({
    ...base,
    type: 'bpmn.boundaryEvent',
    codegen: GENERATES_CODE,
    category: 'events',
    role: 'boundary',
    inputs: NONE,
    outputs: OUT,
    title: { en: 'Boundary event', 'zh-CN': '边界事件' },
    description: {
      en: 'Sits on an activity and reacts to a message, timer, error, signal or escalation while it runs.',
      'zh-CN': '附着在活动上，在其执行期间响应消息、定时器、错误、信号或升级。',
    },
    bpmn: { element: 'bpmn:BoundaryEvent' },
    configSchema: z
      .strictObject({
        documentation,
        attachedTo: field(elementIdSchema, ['Attached to', '附着于'], ['The activity the event sits on.', '事件所附着的活动。'], { refersTo: 'node' }),
        /** Interrupting (cancels the activity) or not. */
        cancelActivity: field(z.boolean().default(true), ['Interrupting', '中断'], ['Cancels the activity when the event happens.', '事件发生时取消该活动。']),
        eventDefinition: eventDefinitionSchema(['message', 'timer', 'error', 'signal', 'escalation']),
      })
      .refine((config) => config.eventDefinition.type !== 'error' || config.cancelActivity, {
        message: schemaReasonCatalog['error-boundary-interrupts'].en,
        params: { reason: 'error-boundary-interrupts' },
        path: ['cancelActivity'],
      }),
    defaults: { attachedTo: 'task', eventDefinition: { type: 'timer', timerType: 'duration', value: 'PT24H' } },
    traits: {
      catches: (config) => ({
        attachedTo: config.attachedTo,
        // The schema allows only these five on a boundary event; the union type does not say so.
        event: config.eventDefinition.type as BoundaryCatch['event'],
        errorCode: config.eventDefinition.type === 'error' ? config.eventDefinition.errorCode : undefined,
        escalationCode: config.eventDefinition.type === 'escalation' ? config.eventDefinition.escalationCode : undefined,
        interrupting: config.cancelActivity,
      }),
      awaitsEvent: (config) => awaitedEvent(config.eventDefinition),
    },
    references: (config) => [
      { kind: 'node', path: ['attachedTo'], nodeId: config.attachedTo, link: 'attachedTo' },
      ...eventReferences(config.eventDefinition),
    ],
  }),
  activity({
    type: 'bpmn.task',
    codegen: GENERATES_CODE,
    traits: { pure: true },
    title: { en: 'Task', 'zh-CN': '任务' },
    description: { en: 'A unit of work of no particular type.', 'zh-CN': '无特定类型的工作单元。' },
    bpmn: { element: 'bpmn:Task' },
    configSchema: z.strictObject({ ...activityShape }),
    defaults: {},
  }),
  activity({
    type: 'bpmn.userTask',
    codegen: GENERATES_CODE,
    title: { en: 'User task', 'zh-CN': '用户任务' },
    description: {
      en: 'Work a person does through a form; the completed form’s fields become process variables.',
      'zh-CN': '由人通过表单完成的工作；提交的表单字段成为流程变量。',
    },
    bpmn: { element: 'bpmn:UserTask' },
    configSchema: z.strictObject({
      ...activityShape,
      assignee: field(z.string().default(''), ['Assignee', '处理人'], ['The person the task is for; empty leaves it to the candidate groups.', '任务的处理人；留空则交给候选组。']),
      candidateGroups: candidateGroupsSchema,
      /** The same form an agent step's human request carries (human-request.ts). */
      formFields: field(z.array(formFieldSchema).default([]), ['Form', '表单'], ['The fields the person fills in; each becomes the process variable of its key.', '处理人填写的字段；每个字段成为与其键同名的流程变量。']),
      dueDate: field(z.string().optional(), ['Due date', '截止日期'], ['When the task is due, as an ISO 8601 date.', '任务截止时间（ISO 8601 日期）。']),
      priority: field(z.number().int().min(0).max(100).optional(), ['Priority', '优先级'], ['From 0 to 100; higher comes first.', '0 到 100，越高越优先。']),
    }),
    defaults: { assignee: '', candidateGroups: [], formFields: [] },
    // The completed form's fields become the process variables of the same names.
    references: (config) => config.formFields.map((formField, index) => channelRef(['formFields', index, 'key'], formField.key)),
  }),
  activity({
    type: 'bpmn.serviceTask',
    codegen: GENERATES_CODE,
    title: { en: 'Service task', 'zh-CN': '服务任务' },
    description: {
      en: 'Work a system does: an HTTP call, a FEEL expression, sandboxed code, an MCP tool, another flow, or a job for an external worker.',
      'zh-CN': '由系统完成的工作：HTTP 调用、FEEL 表达式、沙箱代码、MCP 工具、另一个流程或交给外部工作者的作业。',
    },
    traits: {
      invokesFlow: (config) => (config.implementation.kind === 'flow' ? { flowId: config.implementation.flowId, path: ['implementation', 'flowId'] } : undefined),
      // Another flow may wait on people inside; the other implementations are one call each.
      headsChain: (config) => config.implementation.kind !== 'flow',
    },
    bpmn: { element: 'bpmn:ServiceTask' },
    configSchema: z.strictObject({
      ...activityShape,
      implementation: field(
        z
          .discriminatedUnion('kind', [
            z.strictObject({
              kind: field(z.literal('external'), ...implementationDoc),
              topic: field(z.string().min(1), ['Topic', '主题'], ['The topic external workers fetch jobs of.', '外部工作者拉取作业的主题。']),
            }),
            z.strictObject({
              kind: field(z.literal('http'), ...implementationDoc),
              method: field(httpMethod.default('POST'), ['Method', '方法'], ['The HTTP method of the request.', '请求的 HTTP 方法。']),
              url: field(z.string().min(1), ['URL', '地址'], ['The address the request goes to.', '请求地址。']),
              headers: httpHeadersSchema,
              body: field(feelExpressionSchema.optional(), ['Body', '请求体'], ['A FEEL expression whose value is sent as JSON.', '其值作为 JSON 发送的 FEEL 表达式。']),
            }),
            z.strictObject({
              kind: field(z.literal('expression'), ...implementationDoc),
              expression: field(feelExpressionSchema, ['Expression', '表达式'], ['A FEEL expression over the process variables.', '基于流程变量的 FEEL 表达式。']),
            }),
            z.strictObject({
              kind: field(z.literal('code'), ...implementationDoc),
              source: field(
                z.string().min(1),
                ['Code', '代码'],
                [
                  'JavaScript run in the code sandbox, as the body of a function of `state` (the process variables); it returns the result, or an object of variables when there is no result variable.',
                  '在代码沙箱中运行的 JavaScript，作为以 `state`（流程变量）为参数的函数体；返回结果，没有结果变量时返回变量对象。',
                ],
              ),
              ...sandboxLimitsShape,
            }),
            z.strictObject({
              kind: field(z.literal('mcp'), ...implementationDoc),
              server: mcpServerSchema,
              tool: field(z.string().min(1), ['Tool', '工具'], ['The name of the server’s tool to call.', '要调用的服务器工具名称。']),
              arguments: field(
                z.record(z.string(), feelExpressionSchema).default({}),
                ['Arguments', '参数'],
                ['Each tool argument gets the value of a FEEL expression over the process variables.', '每个工具参数取基于流程变量的 FEEL 表达式的值。'],
              ),
            }),
            z.strictObject({
              kind: field(z.literal('flow'), ...implementationDoc),
              flowId: field(z.string().min(1), ['Flow', '流程'], ['The stored flow this task runs, and waits for.', '此任务运行并等待其完成的已保存流程。'], { refersTo: 'flow' }),
              inputs: field(
                z.record(channelNameSchema, feelExpressionSchema).default({}),
                ['Inputs', '输入'],
                ['Each variable of the flow run gets the value of a FEEL expression.', '所运行流程的每个变量取 FEEL 表达式的值。'],
              ),
              outputs: field(
                z.record(channelNameSchema, channelNameSchema).default({}),
                ['Outputs', '输出'],
                ['Each variable of this process receives a variable of the flow run.', '本流程的每个变量接收所运行流程的某个变量。'],
              ),
            }),
          ])
          .default({ kind: 'external', topic: 'service' }),
        ['Implementation', '实现方式'],
        [
          'How the work is done: a job for an external worker, an HTTP call, a FEEL expression, sandboxed code, an MCP tool, or another stored flow.',
          '工作的完成方式：交给外部工作者的作业、HTTP 调用、FEEL 表达式、沙箱代码、MCP 工具或另一个已保存的流程。',
        ],
      ),
      resultVariable,
      retries: field(z.number().int().min(0).max(10).default(3), ['Retries', '重试次数'], ['How often failed work is tried again.', '工作失败后重试的次数。'], { group: 'execution' }),
    }),
    defaults: { implementation: { kind: 'external', topic: 'service' } },
    references: (config) => {
      const { implementation } = config;
      if (implementation.kind === 'expression') return [feelRef(['implementation', 'expression'], implementation.expression)];
      if (implementation.kind === 'http' && implementation.body) return [feelRef(['implementation', 'body'], implementation.body)];
      if (implementation.kind === 'mcp') return Object.entries(implementation.arguments).map(([key, expression]) => feelRef(['implementation', 'arguments', key], expression));
      if (implementation.kind === 'flow') return Object.entries(implementation.inputs).map(([key, expression]) => feelRef(['implementation', 'inputs', key], expression));
      return [];
    },
  }),
  activity({
    type: 'bpmn.scriptTask',
    codegen: GENERATES_CODE,
    traits: { pure: true },
    title: { en: 'Script task', 'zh-CN': '脚本任务' },
    description: {
      en: 'Runs a script: sandboxed JavaScript returning variable updates, or a FEEL expression.',
      'zh-CN': '运行脚本：在沙箱中返回变量更新的 JavaScript，或 FEEL 表达式。',
    },
    bpmn: { element: 'bpmn:ScriptTask' },
    configSchema: z.strictObject({
      ...activityShape,
      scriptFormat: field(z.enum(['javascript', 'feel']).default('javascript'), ['Language', '语言'], ['JavaScript returning variable updates, or a FEEL expression.', '返回变量更新的 JavaScript，或 FEEL 表达式。']),
      script: field(z.string().min(1), ['Script', '脚本'], ['The script\'s source.', '脚本源代码。']),
      resultVariable,
      ...sandboxLimitsShape,
    }),
    defaults: { scriptFormat: 'javascript', script: 'return {};' },
    references: (config) => (config.scriptFormat === 'feel' ? [feelRef(['script'], config.script)] : []),
  }),
  activity({
    type: 'bpmn.sendTask',
    codegen: GENERATES_CODE,
    traits: { pure: true },
    title: { en: 'Send task', 'zh-CN': '发送任务' },
    description: { en: 'Sends a message.', 'zh-CN': '发送一条消息。' },
    bpmn: { element: 'bpmn:SendTask' },
    configSchema: z.strictObject({
      ...activityShape,
      messageName: messageNameSchema,
      correlationKey: field(
        feelExpressionSchema.optional(),
        ['Correlation key', '关联键'],
        ['A FEEL expression naming the waiting instance the message is for (the key it waits with).', '指明消息发往哪个等待实例的 FEEL 表达式（该实例等待时使用的键）。'],
      ),
      payload: field(
        feelExpressionSchema.optional(),
        ['Payload', '消息内容'],
        ['A FEEL expression whose value the message carries; a context {a: …} gives the receiver variables of those names.', '消息携带其值的 FEEL 表达式；上下文 {a: …} 为接收方提供同名变量。'],
      ),
    }),
    defaults: { messageName: 'message' },
    references: (config) => [...(config.correlationKey ? [feelRef(['correlationKey'], config.correlationKey)] : []), ...(config.payload ? [feelRef(['payload'], config.payload)] : [])],
  }),
  activity({
    type: 'bpmn.receiveTask',
    codegen: GENERATES_CODE,
    traits: {
      waitsForEvent: true,
      awaitsEvent: (config) => ({ type: 'message', messageName: config.messageName, ...(config.correlationKey ? { correlationKey: config.correlationKey } : {}) }),
    },
    title: { en: 'Receive task', 'zh-CN': '接收任务' },
    description: { en: 'Waits for a message.', 'zh-CN': '等待一条消息。' },
    bpmn: { element: 'bpmn:ReceiveTask' },
    configSchema: z.strictObject({
      ...activityShape,
      messageName: messageNameSchema,
      correlationKey: correlationKeySchema,
    }),
    defaults: { messageName: 'message' },
    references: (config) => (config.correlationKey ? [feelRef(['correlationKey'], config.correlationKey)] : []),
  }),
  activity({
    type: 'bpmn.manualTask',
    codegen: GENERATES_CODE,
    traits: { pure: true },
    title: { en: 'Manual task', 'zh-CN': '手工任务' },
    description: { en: 'Work done outside any system; the process just passes it.', 'zh-CN': '在系统之外完成的工作，流程直接通过。' },
    bpmn: { element: 'bpmn:ManualTask' },
    configSchema: z.strictObject({ ...activityShape }),
    defaults: {},
  }),
  activity({
    type: 'bpmn.businessRuleTask',
    // Its own FEEL rules generate; a task naming another engine's DMN decision is refused by its generator.
    codegen: GENERATES_CODE,
    title: { en: 'Business rule task', 'zh-CN': '业务规则任务' },
    description: {
      en: 'Evaluates a decision (rules of FEEL conditions and outputs) and stores its result.',
      'zh-CN': '执行决策（由 FEEL 条件与结果组成的规则）并保存结果。',
    },
    bpmn: { element: 'bpmn:BusinessRuleTask' },
    configSchema: z.strictObject({
      ...activityShape,
      decision: field(decisionSchema.optional(), ['Decision', '决策'], ['The rules Loomflow evaluates itself.', '由 Loomflow 自行执行的规则。']),
      /** A DMN decision of another engine (zeebe:calledDecision): kept for round trip; Loomflow cannot run it. */
      decisionRef: field(
        z.string().min(1).optional(),
        ['Decision reference', '决策引用'],
        ['The id of a DMN decision another engine evaluates; Loomflow runs only its own rules.', '由其他引擎执行的 DMN 决策 ID；Loomflow 只执行自身的规则。'],
      ),
      resultVariable: field(channelNameSchema.default('decision'), ['Result variable', '结果变量'], ['The process variable the decision’s result is written to.', '写入决策结果的流程变量。']),
    }),
    defaults: { decision: { hitPolicy: 'first', rules: [{ condition: 'true', output: '"ok"' }] } },
    references: (config) => decisionReferences(config.decision),
  }),
  defineNodeType({
    ...flowStep,
    type: 'bpmn.subProcess',
    codegen: GENERATES_CODE,
    traits: { catchesEvents: true },
    category: 'activities',
    container: 'scope',
    title: { en: 'Sub-process', 'zh-CN': '子流程' },
    description: { en: 'An activity made of its own start, steps and end.', 'zh-CN': '由自身的开始、步骤和结束组成的活动。' },
    bpmn: { element: 'bpmn:SubProcess' },
    configSchema: z.strictObject({
      ...activityShape,
      /** An event sub-process starts on its start event's trigger instead of a sequence flow. */
      triggeredByEvent: field(z.boolean().default(false), ['Event sub-process', '事件子流程'], ['Starts on its start event\'s trigger instead of a sequence flow.', '由其开始事件的触发而不是顺序流启动。']),
      isExpanded: field(z.boolean().default(true), ['Expanded', '展开'], ['Shows its contents on the canvas.', '在画布上显示其内容。']),
    }),
    defaults: {},
    references: (config) => loopReferences(config.loop),
  }),
  activity({
    type: 'bpmn.callActivity',
    codegen: refusedInCode({ en: 'it runs another stored process; export that process on its own', 'zh-CN': '它运行另一个已保存的流程；请单独导出那个流程' }),
    traits: { invokesFlow: (config) => ({ flowId: config.calledElement, path: ['calledElement'] }) },
    title: { en: 'Call activity', 'zh-CN': '调用活动' },
    description: { en: 'Runs another process and waits for it.', 'zh-CN': '调用另一个流程并等待其完成。' },
    bpmn: { element: 'bpmn:CallActivity' },
    configSchema: z.strictObject({
      ...activityShape,
      calledElement: field(z.string().min(1), ['Called process', '被调用流程'], ['The stored flow this activity runs.', '此活动运行的已保存流程。'], { refersTo: 'flow' }),
      /** Called process variable → FEEL expression over this process's variables. */
      inputs: field(z.record(channelNameSchema, feelExpressionSchema).default({}), ['Inputs', '输入'], ['Each variable of the called process gets the value of a FEEL expression.', '被调用流程的每个变量取 FEEL 表达式的值。']),
      /** This process's variable → called process variable. */
      outputs: field(z.record(channelNameSchema, channelNameSchema).default({}), ['Outputs', '输出'], ['Each variable of this process receives a variable of the called process.', '本流程的每个变量接收被调用流程的某个变量。']),
    }),
    defaults: { calledElement: 'process' },
    references: (config) => Object.entries(config.inputs).map(([key, expression]) => feelRef(['inputs', key], expression)),
  }),
  defineNodeType({
    ...flowStep,
    type: 'bpmn.exclusiveGateway',
    codegen: GENERATES_CODE,
    traits: { pure: true },
    category: 'gateways',
    branching: 'conditional',
    title: { en: 'Exclusive gateway', 'zh-CN': '排他网关' },
    description: {
      en: 'Takes the first outgoing flow whose condition holds, else the default flow.',
      'zh-CN': '选择第一条条件成立的出口顺序流，否则走默认流。',
    },
    bpmn: { element: 'bpmn:ExclusiveGateway' },
    configSchema: z.strictObject({ documentation }),
    defaults: {},
  }),
  defineNodeType({
    ...flowStep,
    type: 'bpmn.parallelGateway',
    codegen: GENERATES_CODE,
    traits: { pure: true, joinsAll: true },
    category: 'gateways',
    title: { en: 'Parallel gateway', 'zh-CN': '并行网关' },
    description: {
      en: 'Splits into all outgoing flows; as a join, waits for all incoming flows.',
      'zh-CN': '分支到所有出口顺序流；汇聚时等待所有入口顺序流。',
    },
    bpmn: { element: 'bpmn:ParallelGateway' },
    configSchema: z.strictObject({ documentation }),
    defaults: {},
  }),
  defineNodeType({
    ...flowStep,
    type: 'bpmn.inclusiveGateway',
    codegen: GENERATES_CODE,
    traits: { pure: true, joinsAll: true, joinsTakenOnly: true, takesEveryTrueCondition: true },
    category: 'gateways',
    branching: 'conditional',
    title: { en: 'Inclusive gateway', 'zh-CN': '包容网关' },
    description: {
      en: 'Takes every outgoing flow whose condition holds; as a join, waits for the active ones.',
      'zh-CN': '选择所有条件成立的出口顺序流；汇聚时等待所有已激活的分支。',
    },
    bpmn: { element: 'bpmn:InclusiveGateway' },
    configSchema: z.strictObject({ documentation }),
    defaults: {},
  }),
  defineNodeType({
    ...flowStep,
    type: 'bpmn.eventBasedGateway',
    codegen: GENERATES_CODE,
    category: 'gateways',
    branching: 'event',
    title: { en: 'Event-based gateway', 'zh-CN': '事件网关' },
    description: {
      en: 'Waits for whichever following event happens first.',
      'zh-CN': '等待后续事件中最先发生的一个。',
    },
    bpmn: { element: 'bpmn:EventBasedGateway' },
    configSchema: z.strictObject({
      documentation,
      instantiate: field(z.boolean().default(false), ['Starts the process', '启动流程'], ['The first event to happen starts a new instance.', '最先发生的事件启动新实例。']),
    }),
    defaults: {},
  }),
  defineNodeType({
    ...artifact,
    type: 'bpmn.pool',
    codegen: GENERATES_CODE,
    category: 'swimlanes',
    container: 'scope',
    title: { en: 'Pool', 'zh-CN': '池' },
    description: { en: 'A participant and the process it runs.', 'zh-CN': '参与者及其运行的流程。' },
    bpmn: { element: 'bpmn:Participant' },
    configSchema: z.strictObject({
      documentation,
      processId: field(elementIdSchema.optional(), ['Process id', '流程 ID'], ['The id of the process the pool runs, in BPMN XML.', 'BPMN XML 中该池运行的流程 ID。']),
      isExecutable: field(z.boolean().default(true), ['Executable', '可执行'], ['Whether the pool\'s process is run or only drawn.', '该池的流程是运行还是仅用于绘图。']),
    }),
    defaults: {},
  }),
  defineNodeType({
    ...artifact,
    type: 'bpmn.lane',
    codegen: GENERATES_CODE,
    category: 'swimlanes',
    container: 'partition',
    title: { en: 'Lane', 'zh-CN': '泳道' },
    description: { en: 'A part of a pool, usually a role or department.', 'zh-CN': '池中的分区，通常代表角色或部门。' },
    bpmn: { element: 'bpmn:Lane' },
    configSchema: z.strictObject({ documentation }),
    defaults: {},
  }),
  defineNodeType({
    ...artifact,
    type: 'bpmn.dataObject',
    codegen: GENERATES_CODE,
    title: { en: 'Data object', 'zh-CN': '数据对象' },
    description: { en: 'Information the process uses or produces.', 'zh-CN': '流程使用或产生的信息。' },
    bpmn: { element: 'bpmn:DataObjectReference' },
    configSchema: z.strictObject({
      documentation,
      isCollection: field(z.boolean().default(false), ['Collection', '集合'], ['The data object holds several items.', '数据对象包含多项。']),
      state: field(z.string().optional(), ['State', '状态'], ['The state the data is in, e.g. "approved".', '数据所处的状态，例如 "approved"。']),
    }),
    defaults: {},
  }),
  defineNodeType({
    ...artifact,
    type: 'bpmn.textAnnotation',
    codegen: GENERATES_CODE,
    title: { en: 'Text annotation', 'zh-CN': '文本注释' },
    description: { en: 'A note for readers of the diagram.', 'zh-CN': '给读图者的说明文字。' },
    bpmn: { element: 'bpmn:TextAnnotation' },
    configSchema: noteConfigSchema,
    defaults: { text: '' },
    references: noteReferences,
  }),
  defineNodeType({
    ...artifact,
    type: 'bpmn.group',
    codegen: GENERATES_CODE,
    title: { en: 'Group', 'zh-CN': '分组' },
    description: { en: 'Visually groups elements; no effect on the flow.', 'zh-CN': '在视觉上分组元素，不影响流程。' },
    bpmn: { element: 'bpmn:Group' },
    configSchema: z.strictObject({ categoryValue: field(z.string().optional(), ['Category', '类别'], ['The name of what the group gathers.', '分组所归集内容的名称。']) }),
    defaults: {},
  }),
];
