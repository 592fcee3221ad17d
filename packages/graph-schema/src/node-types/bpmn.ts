// BPMN 2.0 node types. Each maps to one bpmn-moddle element so that flows export to and import
// from the XML that Camunda Modeler and bpmn.io read.
import { z } from 'zod';
import { channelNameSchema, elementIdSchema } from '../flow-document';
import type { LocalizedText } from '../localized';
import { formFieldSchema } from '../human-request';
import { schemaReasonCatalog } from '../schema-reasons';
import { defineNodeType, type BoundaryCatch, type ConfigReference, type NodeType, type NodeTypeSpec, type PortSpec } from '../node-type';
import { decisionReferences, decisionSchema, labelled, loopReferences, loopSchema } from './bpmn-activity-config';
import { IN, NONE, OUT, feelExpressionSchema, feelRef, noteConfigSchema, noteReferences } from './common';

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

const eventDefinitions = {
  none: z.strictObject({ type: z.literal('none') }),
  message: z.strictObject({
    type: z.literal('message'),
    messageName: z.string().min(1),
    correlationKey: feelExpressionSchema.optional(),
  }),
  timer: z
    .strictObject({
      type: z.literal('timer'),
      timerType: z.enum(['date', 'duration', 'cycle']),
      value: z.string().min(1),
    })
    // The reason travels in params, so validateFlow's issue can word it in each language.
    .refine((timer) => isValidTimerValue(timer.timerType, timer.value), {
      message: schemaReasonCatalog['timer-value'].en,
      params: { reason: 'timer-value' },
      path: ['value'],
    }),
  error: z.strictObject({ type: z.literal('error'), errorCode: z.string().min(1).optional() }),
  signal: z.strictObject({ type: z.literal('signal'), signalName: z.string().min(1) }),
  terminate: z.strictObject({ type: z.literal('terminate') }),
};
type EventDefinitionType = keyof typeof eventDefinitions;
type EventDefinitionSchema = (typeof eventDefinitions)[EventDefinitionType];

function eventDefinitionSchema(allowed: readonly [EventDefinitionType, ...EventDefinitionType[]]) {
  const [first, ...rest] = allowed.map((type) => eventDefinitions[type]) as [EventDefinitionSchema, ...EventDefinitionSchema[]];
  return z.discriminatedUnion('type', [first, ...rest]);
}

function eventReferences(definition: { type: string; correlationKey?: string }): ConfigReference[] {
  return definition.correlationKey ? [feelRef(['eventDefinition', 'correlationKey'], definition.correlationKey)] : [];
}

const documentation = z.string().optional();

const activityShape = { documentation, loop: loopSchema.optional() };

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

export const bpmnNodeTypes: readonly NodeType[] = [
  defineNodeType({
    ...base,
    type: 'bpmn.startEvent',
    traits: { pure: true, startsOnMessage: (config) => (config.eventDefinition.type === 'message' ? config.eventDefinition.messageName : undefined) },
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
    traits: { pure: true },
    category: 'events',
    role: 'end',
    inputs: IN,
    outputs: NONE,
    title: { en: 'End event', 'zh-CN': '结束事件' },
    description: { en: 'Ends its path; a terminate end ends the whole process.', 'zh-CN': '结束所在路径；终止结束事件结束整个流程。' },
    bpmn: { element: 'bpmn:EndEvent' },
    configSchema: z.strictObject({
      documentation,
      eventDefinition: eventDefinitionSchema(['none', 'message', 'error', 'signal', 'terminate']).default({ type: 'none' }),
    }),
    defaults: { eventDefinition: { type: 'none' } },
  }),
  defineNodeType({
    ...flowStep,
    type: 'bpmn.intermediateCatchEvent',
    traits: { waitsForEvent: true },
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
    traits: { pure: true },
    category: 'events',
    title: { en: 'Intermediate throw event', 'zh-CN': '中间抛出事件' },
    description: { en: 'Marks a milestone, or sends a message or a signal.', 'zh-CN': '标记里程碑，或发送消息、信号。' },
    bpmn: { element: 'bpmn:IntermediateThrowEvent' },
    configSchema: z.strictObject({
      documentation,
      eventDefinition: eventDefinitionSchema(['none', 'message', 'signal']).default({ type: 'none' }),
    }),
    defaults: { eventDefinition: { type: 'none' } },
  }),
  defineNodeType({
    ...base,
    type: 'bpmn.boundaryEvent',
    category: 'events',
    role: 'boundary',
    inputs: NONE,
    outputs: OUT,
    title: { en: 'Boundary event', 'zh-CN': '边界事件' },
    description: {
      en: 'Sits on an activity and reacts to a message, timer, error or signal while it runs.',
      'zh-CN': '附着在活动上，在其执行期间响应消息、定时器、错误或信号。',
    },
    bpmn: { element: 'bpmn:BoundaryEvent' },
    configSchema: z
      .strictObject({
        documentation,
        attachedTo: elementIdSchema,
        /** Interrupting (cancels the activity) or not. */
        cancelActivity: z.boolean().default(true),
        eventDefinition: eventDefinitionSchema(['message', 'timer', 'error', 'signal']),
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
        // The schema allows only these four on a boundary event; the union type does not say so.
        event: config.eventDefinition.type as BoundaryCatch['event'],
        errorCode: config.eventDefinition.type === 'error' ? config.eventDefinition.errorCode : undefined,
        interrupting: config.cancelActivity,
      }),
    },
    references: (config) => [
      { kind: 'node', path: ['attachedTo'], nodeId: config.attachedTo, link: 'attachedTo' },
      ...eventReferences(config.eventDefinition),
    ],
  }),
  activity({
    type: 'bpmn.task',
    traits: { pure: true },
    title: { en: 'Task', 'zh-CN': '任务' },
    description: { en: 'A unit of work of no particular type.', 'zh-CN': '无特定类型的工作单元。' },
    bpmn: { element: 'bpmn:Task' },
    configSchema: z.strictObject({ ...activityShape }),
    defaults: {},
  }),
  activity({
    type: 'bpmn.userTask',
    title: { en: 'User task', 'zh-CN': '用户任务' },
    description: {
      en: 'Work a person does through a form; the completed form’s fields become process variables.',
      'zh-CN': '由人通过表单完成的工作；提交的表单字段成为流程变量。',
    },
    bpmn: { element: 'bpmn:UserTask' },
    configSchema: z.strictObject({
      ...activityShape,
      assignee: z.string().default(''),
      candidateGroups: z.array(z.string().min(1)).default([]),
      /** The same form an agent step's human request carries (human-request.ts). */
      formFields: z.array(formFieldSchema).default([]),
      dueDate: z.string().optional(),
      priority: z.number().int().min(0).max(100).optional(),
    }),
    defaults: { assignee: '', candidateGroups: [], formFields: [] },
  }),
  activity({
    type: 'bpmn.serviceTask',
    title: { en: 'Service task', 'zh-CN': '服务任务' },
    description: {
      en: 'Work a system does: an HTTP call, a FEEL expression, or a job for an external worker.',
      'zh-CN': '由系统完成的工作：HTTP 调用、FEEL 表达式或交给外部工作者的作业。',
    },
    bpmn: { element: 'bpmn:ServiceTask' },
    configSchema: z.strictObject({
      ...activityShape,
      implementation: z
        .discriminatedUnion('kind', [
          z.strictObject({ kind: z.literal('external'), topic: z.string().min(1) }),
          z.strictObject({
            kind: z.literal('http'),
            method: httpMethod.default('POST'),
            url: z.string().min(1),
            headers: z.record(z.string(), z.string()).default({}),
            body: feelExpressionSchema.optional(),
          }),
          z.strictObject({ kind: z.literal('expression'), expression: feelExpressionSchema }),
        ])
        .default({ kind: 'external', topic: 'service' }),
      resultVariable: channelNameSchema.optional(),
      retries: z.number().int().min(0).max(10).default(3),
    }),
    defaults: { implementation: { kind: 'external', topic: 'service' } },
    references: (config) => {
      const { implementation } = config;
      if (implementation.kind === 'expression') return [feelRef(['implementation', 'expression'], implementation.expression)];
      if (implementation.kind === 'http' && implementation.body) return [feelRef(['implementation', 'body'], implementation.body)];
      return [];
    },
  }),
  activity({
    type: 'bpmn.scriptTask',
    traits: { pure: true },
    title: { en: 'Script task', 'zh-CN': '脚本任务' },
    description: {
      en: 'Runs a script: sandboxed JavaScript returning variable updates, or a FEEL expression.',
      'zh-CN': '运行脚本：在沙箱中返回变量更新的 JavaScript，或 FEEL 表达式。',
    },
    bpmn: { element: 'bpmn:ScriptTask' },
    configSchema: z.strictObject({
      ...activityShape,
      scriptFormat: z.enum(['javascript', 'feel']).default('javascript'),
      script: z.string().min(1),
      resultVariable: channelNameSchema.optional(),
      timeoutMs: z.number().int().min(1).max(60_000).default(1000),
      memoryMb: z.number().int().min(1).max(512).default(32),
    }),
    defaults: { scriptFormat: 'javascript', script: 'return {};' },
    references: (config) => (config.scriptFormat === 'feel' ? [feelRef(['script'], config.script)] : []),
  }),
  activity({
    type: 'bpmn.sendTask',
    traits: { pure: true },
    title: { en: 'Send task', 'zh-CN': '发送任务' },
    description: { en: 'Sends a message.', 'zh-CN': '发送一条消息。' },
    bpmn: { element: 'bpmn:SendTask' },
    configSchema: z.strictObject({ ...activityShape, messageName: z.string().min(1), payload: feelExpressionSchema.optional() }),
    defaults: { messageName: 'message' },
    references: (config) => (config.payload ? [feelRef(['payload'], config.payload)] : []),
  }),
  activity({
    type: 'bpmn.receiveTask',
    traits: { waitsForEvent: true },
    title: { en: 'Receive task', 'zh-CN': '接收任务' },
    description: { en: 'Waits for a message.', 'zh-CN': '等待一条消息。' },
    bpmn: { element: 'bpmn:ReceiveTask' },
    configSchema: z.strictObject({
      ...activityShape,
      messageName: z.string().min(1),
      correlationKey: feelExpressionSchema.optional(),
    }),
    defaults: { messageName: 'message' },
    references: (config) => (config.correlationKey ? [feelRef(['correlationKey'], config.correlationKey)] : []),
  }),
  activity({
    type: 'bpmn.manualTask',
    traits: { pure: true },
    title: { en: 'Manual task', 'zh-CN': '手工任务' },
    description: { en: 'Work done outside any system; the process just passes it.', 'zh-CN': '在系统之外完成的工作，流程直接通过。' },
    bpmn: { element: 'bpmn:ManualTask' },
    configSchema: z.strictObject({ ...activityShape }),
    defaults: {},
  }),
  activity({
    type: 'bpmn.businessRuleTask',
    title: { en: 'Business rule task', 'zh-CN': '业务规则任务' },
    description: {
      en: 'Evaluates a decision (rules of FEEL conditions and outputs) and stores its result.',
      'zh-CN': '执行决策（由 FEEL 条件与结果组成的规则）并保存结果。',
    },
    bpmn: { element: 'bpmn:BusinessRuleTask' },
    configSchema: z.strictObject({
      ...activityShape,
      decision: labelled(
        decisionSchema.optional(),
        { en: 'Decision', 'zh-CN': '决策' },
        { en: 'The rules Loomflow evaluates itself.', 'zh-CN': '由 Loomflow 自行执行的规则。' },
      ),
      /** A DMN decision of another engine (zeebe:calledDecision): kept for round trip; Loomflow cannot run it. */
      decisionRef: labelled(
        z.string().min(1).optional(),
        { en: 'Decision reference', 'zh-CN': '决策引用' },
        { en: 'The id of a DMN decision another engine evaluates; Loomflow runs only its own rules.', 'zh-CN': '由其他引擎执行的 DMN 决策 ID；Loomflow 只执行自身的规则。' },
      ),
      resultVariable: labelled(
        channelNameSchema.default('decision'),
        { en: 'Result variable', 'zh-CN': '结果变量' },
        { en: 'The variable the decision’s result is written to.', 'zh-CN': '写入决策结果的变量。' },
      ),
    }),
    defaults: { decision: { hitPolicy: 'first', rules: [{ condition: 'true', output: '"ok"' }] } },
    references: (config) => decisionReferences(config.decision),
  }),
  defineNodeType({
    ...flowStep,
    type: 'bpmn.subProcess',
    traits: { catchesEvents: true },
    category: 'activities',
    container: 'scope',
    title: { en: 'Sub-process', 'zh-CN': '子流程' },
    description: { en: 'An activity made of its own start, steps and end.', 'zh-CN': '由自身的开始、步骤和结束组成的活动。' },
    bpmn: { element: 'bpmn:SubProcess' },
    configSchema: z.strictObject({
      ...activityShape,
      /** An event sub-process starts on its start event's trigger instead of a sequence flow. */
      triggeredByEvent: z.boolean().default(false),
      isExpanded: z.boolean().default(true),
    }),
    defaults: {},
    references: (config) => loopReferences(config.loop),
  }),
  activity({
    type: 'bpmn.callActivity',
    traits: { invokesFlow: (config) => ({ flowId: config.calledElement }) },
    title: { en: 'Call activity', 'zh-CN': '调用活动' },
    description: { en: 'Runs another process and waits for it.', 'zh-CN': '调用另一个流程并等待其完成。' },
    bpmn: { element: 'bpmn:CallActivity' },
    configSchema: z.strictObject({
      ...activityShape,
      calledElement: z.string().min(1),
      /** Called process variable → FEEL expression over this process's variables. */
      inputs: z.record(channelNameSchema, feelExpressionSchema).default({}),
      /** This process's variable → called process variable. */
      outputs: z.record(channelNameSchema, channelNameSchema).default({}),
    }),
    defaults: { calledElement: 'process' },
    references: (config) => Object.entries(config.inputs).map(([key, expression]) => feelRef(['inputs', key], expression)),
  }),
  defineNodeType({
    ...flowStep,
    type: 'bpmn.exclusiveGateway',
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
    category: 'gateways',
    branching: 'event',
    title: { en: 'Event-based gateway', 'zh-CN': '事件网关' },
    description: {
      en: 'Waits for whichever following event happens first.',
      'zh-CN': '等待后续事件中最先发生的一个。',
    },
    bpmn: { element: 'bpmn:EventBasedGateway' },
    configSchema: z.strictObject({ documentation, instantiate: z.boolean().default(false) }),
    defaults: {},
  }),
  defineNodeType({
    ...artifact,
    type: 'bpmn.pool',
    category: 'swimlanes',
    container: 'scope',
    title: { en: 'Pool', 'zh-CN': '池' },
    description: { en: 'A participant and the process it runs.', 'zh-CN': '参与者及其运行的流程。' },
    bpmn: { element: 'bpmn:Participant' },
    configSchema: z.strictObject({
      documentation,
      processId: elementIdSchema.optional(),
      isExecutable: z.boolean().default(true),
    }),
    defaults: {},
  }),
  defineNodeType({
    ...artifact,
    type: 'bpmn.lane',
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
    title: { en: 'Data object', 'zh-CN': '数据对象' },
    description: { en: 'Information the process uses or produces.', 'zh-CN': '流程使用或产生的信息。' },
    bpmn: { element: 'bpmn:DataObjectReference' },
    configSchema: z.strictObject({ documentation, isCollection: z.boolean().default(false), state: z.string().optional() }),
    defaults: {},
  }),
  defineNodeType({
    ...artifact,
    type: 'bpmn.textAnnotation',
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
    title: { en: 'Group', 'zh-CN': '分组' },
    description: { en: 'Visually groups elements; no effect on the flow.', 'zh-CN': '在视觉上分组元素，不影响流程。' },
    bpmn: { element: 'bpmn:Group' },
    configSchema: z.strictObject({ categoryValue: z.string().optional() }),
    defaults: {},
  }),
];
