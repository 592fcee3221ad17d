// Config pieces of BPMN activities that run repeatedly or decide: the loop and multi-instance
// markers, and the FEEL decision of a business rule task. Kept apart from bpmn.ts, which holds
// the node types themselves, so the markers' rules read in one place.
import { z } from 'zod';
import { channelNameSchema } from '../flow-document';
import type { LocalizedText } from '../localized';
import type { ConfigReference } from '../node-type';
import { channelRef, feelExpressionSchema, feelRef } from './common';

/**
 * A field's label and help, in every language, kept on the schema itself so that a form generated
 * from the config schema (the properties panel) names the field without a table of its own.
 */
export interface FieldLabel {
  readonly label: LocalizedText;
  readonly help: LocalizedText;
}

export function labelled<Schema extends z.ZodType>(schema: Schema, label: LocalizedText, help: LocalizedText): Schema {
  return schema.meta({ label, help } satisfies FieldLabel) as Schema;
}

/** The label a field was declared with (`labelled`), if any. */
export function fieldLabelOf(schema: z.ZodType): FieldLabel | undefined {
  const meta = schema.meta() as Partial<FieldLabel> | undefined;
  return meta?.label && meta.help ? { label: meta.label, help: meta.help } : undefined;
}

/** The highest number of instances or iterations a marker may ask for before the run fails naming it. */
export const DEFAULT_MAX_LOOP_ITERATIONS = 1000;

const standardLoopSchema = z.strictObject({
  type: z.literal('standard'),
  condition: labelled(
    feelExpressionSchema.optional(),
    { en: 'Loop condition', 'zh-CN': '循环条件' },
    { en: 'FEEL over the variables, checked after each iteration: the activity runs again while it holds.', 'zh-CN': '基于变量的 FEEL 表达式，每次迭代后检查：成立时活动再次执行。' },
  ),
  maxIterations: labelled(
    z.number().int().positive().optional(),
    { en: 'Loop maximum', 'zh-CN': '最大循环次数' },
    {
      en: `The most iterations; the activity stops after this many even if the condition still holds (default ${DEFAULT_MAX_LOOP_ITERATIONS}).`,
      'zh-CN': `最多迭代次数；达到后即使条件仍成立也停止（默认 ${DEFAULT_MAX_LOOP_ITERATIONS}）。`,
    },
  ),
});

const multiInstanceLoopSchema = z.strictObject({
    type: z.literal('multiInstance'),
    sequential: labelled(
      z.boolean().default(false),
      { en: 'Sequential', 'zh-CN': '串行' },
      { en: 'Run the instances one after another instead of all at once.', 'zh-CN': '逐个执行各实例，而不是同时执行。' },
    ),
    collection: labelled(
      feelExpressionSchema.optional(),
      { en: 'Input collection', 'zh-CN': '输入集合' },
      { en: 'FEEL giving a list: one instance runs per element (Camunda 8 inputCollection).', 'zh-CN': '给出列表的 FEEL 表达式：每个元素执行一个实例（Camunda 8 的 inputCollection）。' },
    ),
    elementVariable: labelled(
      channelNameSchema.optional(),
      { en: 'Input element', 'zh-CN': '输入元素' },
      { en: 'The variable each instance finds its element in (Camunda 8 inputElement).', 'zh-CN': '每个实例中存放其元素的变量（Camunda 8 的 inputElement）。' },
    ),
    cardinality: labelled(
      feelExpressionSchema.optional(),
      { en: 'Loop cardinality', 'zh-CN': '实例数' },
      { en: 'FEEL giving how many instances run, when there is no input collection.', 'zh-CN': '没有输入集合时，给出实例个数的 FEEL 表达式。' },
    ),
    outputCollection: labelled(
      channelNameSchema.optional(),
      { en: 'Output collection', 'zh-CN': '输出集合' },
      {
        en: 'The variable that receives the list of the instances’ output elements, in element order (null for an instance that did not complete).',
        'zh-CN': '接收各实例输出元素列表的变量，按元素顺序排列（未完成的实例为 null）。',
      },
    ),
    outputElement: labelled(
      feelExpressionSchema.optional(),
      { en: 'Output element', 'zh-CN': '输出元素' },
      {
        en: 'FEEL over an instance’s variables giving its entry of the output collection; without it, the variables the instance wrote.',
        'zh-CN': '基于实例变量给出其输出集合条目的 FEEL 表达式；省略时为实例写出的变量。',
      },
    ),
    completionCondition: labelled(
      feelExpressionSchema.optional(),
      { en: 'Completion condition', 'zh-CN': '完成条件' },
      {
        en: 'FEEL checked after each instance completes; when it holds, the activity ends and the instances still open are closed. It sees the completed instance’s variables, numberOfInstances, numberOfCompletedInstances, numberOfActiveInstances and loopCounter.',
        'zh-CN': '每个实例完成后检查的 FEEL 表达式；成立时活动结束，仍未完成的实例被关闭。可使用刚完成实例的变量以及 numberOfInstances、numberOfCompletedInstances、numberOfActiveInstances 和 loopCounter。',
      },
    ),
  });

/** Standard loop or multi-instance marker of an activity. */
export const loopSchema = z.discriminatedUnion('type', [standardLoopSchema, multiInstanceLoopSchema]);
export type LoopConfig = z.output<typeof loopSchema>;

export function loopReferences(loop: LoopConfig | undefined): ConfigReference[] {
  if (!loop) return [];
  if (loop.type === 'standard') return loop.condition ? [feelRef(['loop', 'condition'], loop.condition)] : [];
  const expressions = [
    ['collection', loop.collection],
    ['cardinality', loop.cardinality],
    ['outputElement', loop.outputElement],
    ['completionCondition', loop.completionCondition],
  ] as const;
  return [
    ...expressions.flatMap(([key, expression]) => (expression ? [feelRef(['loop', key], expression)] : [])),
    ...(loop.outputCollection ? [channelRef(['loop', 'outputCollection'], loop.outputCollection, 'array')] : []),
  ];
}

/** One rule of a FEEL decision: when its condition holds, its output is a result. */
const decisionRuleSchema = z.strictObject({
  condition: labelled(
    feelExpressionSchema,
    { en: 'When', 'zh-CN': '条件' },
    { en: 'FEEL over the variables; the rule matches when it gives true.', 'zh-CN': '基于变量的 FEEL 表达式；结果为 true 时规则命中。' },
  ),
  output: labelled(
    feelExpressionSchema,
    { en: 'Then', 'zh-CN': '结果' },
    { en: 'FEEL giving the rule’s output: a value, or a context {a: …, b: …} for several.', 'zh-CN': '给出规则输出的 FEEL 表达式：一个值，或给出多个值的上下文 {a: …, b: …}。' },
  ),
});

/**
 * A decision table in FEEL, run by Loomflow itself (it has no DMN engine): the rules in order, and
 * what is written when none matches.
 */
export const decisionSchema = z.strictObject({
  hitPolicy: labelled(
    z.enum(['first', 'collect']).default('first'),
    { en: 'Hit policy', 'zh-CN': '命中策略' },
    { en: 'first: the output of the first rule that matches; collect: the list of the outputs of every rule that matches.', 'zh-CN': 'first：第一条命中规则的输出；collect：所有命中规则输出的列表。' },
  ),
  rules: labelled(
    z.array(decisionRuleSchema).min(1),
    { en: 'Rules', 'zh-CN': '规则' },
    { en: 'Checked in order.', 'zh-CN': '按顺序检查。' },
  ),
  default: labelled(
    feelExpressionSchema.optional(),
    { en: 'Default output', 'zh-CN': '默认结果' },
    {
      en: 'FEEL giving the result when no rule matches; without it, no match fails the task naming it.',
      'zh-CN': '没有规则命中时的结果（FEEL）；省略时，无命中会使任务失败并指明该任务。',
    },
  ),
});
export type DecisionConfig = z.output<typeof decisionSchema>;

export function decisionReferences(decision: DecisionConfig | undefined): ConfigReference[] {
  if (!decision) return [];
  return [
    ...decision.rules.flatMap((rule, index) => [feelRef(['decision', 'rules', index, 'condition'], rule.condition), feelRef(['decision', 'rules', index, 'output'], rule.output)]),
    ...(decision.default ? [feelRef(['decision', 'default'], decision.default)] : []),
  ];
}
