// Config pieces of BPMN activities that run repeatedly or decide: the loop and multi-instance
// markers, and the FEEL decision of a business rule task. Kept apart from bpmn.ts, which holds
// the node types themselves, so the markers' rules read in one place.
import { z } from 'zod';
import { field } from '../field-doc';
import { channelNameSchema } from '../flow-document';
import type { ConfigReference } from '../node-type';
import { channelRef, feelExpressionSchema, feelRef } from './common';

/** The highest number of instances or iterations a marker may ask for, unless the host sets another. */
export const DEFAULT_MAX_LOOP_ITERATIONS = 1000;

const loopTypeDoc = [
  ['Loop kind', '循环类型'],
  ['"standard" repeats while a condition holds; "multiInstance" runs once per item of a collection.', '"standard" 在条件成立时重复；"multiInstance" 对集合中的每一项各运行一次。'],
] as const;

const standardLoopSchema = z.strictObject({
  type: field(z.literal('standard'), ...loopTypeDoc),
  condition: field(
    feelExpressionSchema.optional(),
    ['Loop condition', '循环条件'],
    ['FEEL over the variables, checked after each iteration: the activity runs again while it holds.', '基于变量的 FEEL 表达式，每次迭代后检查：成立时活动再次执行。'],
  ),
  maxIterations: field(
    z.number().int().positive().optional(),
    ['Loop maximum', '最大循环次数'],
    [
      'The most iterations; the activity stops after this many even if the condition still holds (at most the host’s loop limit).',
      '最多迭代次数；达到后即使条件仍成立也停止（不超过宿主设定的循环上限）。',
    ],
  ),
});

const multiInstanceLoopSchema = z.strictObject({
  type: field(z.literal('multiInstance'), ...loopTypeDoc),
  sequential: field(z.boolean().default(false), ['Sequential', '串行'], ['Run the instances one after another instead of all at once.', '逐个执行各实例，而不是同时执行。']),
  collection: field(
    feelExpressionSchema.optional(),
    ['Input collection', '输入集合'],
    ['FEEL giving a list: one instance runs per element (Camunda 8 inputCollection).', '给出列表的 FEEL 表达式：每个元素执行一个实例（Camunda 8 的 inputCollection）。'],
  ),
  elementVariable: field(
    channelNameSchema.optional(),
    ['Input element', '输入元素'],
    ['The variable each instance finds its element in (Camunda 8 inputElement).', '每个实例中存放其元素的变量（Camunda 8 的 inputElement）。'],
  ),
  cardinality: field(
    feelExpressionSchema.optional(),
    ['Loop cardinality', '实例数'],
    ['FEEL giving how many instances run, when there is no input collection.', '没有输入集合时，给出实例个数的 FEEL 表达式。'],
  ),
  outputCollection: field(
    channelNameSchema.optional(),
    ['Output collection', '输出集合'],
    [
      'The variable that receives the list of the instances’ output elements, in element order (null for an instance that did not complete).',
      '接收各实例输出元素列表的变量，按元素顺序排列（未完成的实例为 null）。',
    ],
  ),
  outputElement: field(
    feelExpressionSchema.optional(),
    ['Output element', '输出元素'],
    [
      'FEEL over an instance’s variables giving its entry of the output collection; without it, the variables the instance wrote.',
      '基于实例变量给出其输出集合条目的 FEEL 表达式；省略时为实例写出的变量。',
    ],
  ),
  completionCondition: field(
    feelExpressionSchema.optional(),
    ['Completion condition', '完成条件'],
    [
      'FEEL checked after each instance completes; when it holds, the activity ends and the instances still open are closed. It sees the completed instance’s variables, numberOfInstances, numberOfCompletedInstances, numberOfActiveInstances and loopCounter.',
      '每个实例完成后检查的 FEEL 表达式；成立时活动结束，仍未完成的实例被关闭。可使用刚完成实例的变量以及 numberOfInstances、numberOfCompletedInstances、numberOfActiveInstances 和 loopCounter。',
    ],
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
  condition: field(feelExpressionSchema, ['When', '条件'], ['FEEL over the variables; the rule matches when it gives true.', '基于变量的 FEEL 表达式；结果为 true 时规则命中。']),
  output: field(
    feelExpressionSchema,
    ['Then', '结果'],
    ['FEEL giving the rule’s output: a value, or a context {a: …, b: …} for several.', '给出规则输出的 FEEL 表达式：一个值，或给出多个值的上下文 {a: …, b: …}。'],
  ),
});

/**
 * A decision table in FEEL, run by Loomflow itself (it has no DMN engine): the rules in order, and
 * what is written when none matches.
 */
export const decisionSchema = z.strictObject({
  hitPolicy: field(
    z.enum(['first', 'collect']).default('first'),
    ['Hit policy', '命中策略'],
    ['first: the output of the first rule that matches; collect: the list of the outputs of every rule that matches.', 'first：第一条命中规则的输出；collect：所有命中规则输出的列表。'],
  ),
  rules: field(z.array(decisionRuleSchema).min(1), ['Rules', '规则'], ['Checked in order.', '按顺序检查。']),
  default: field(
    feelExpressionSchema.optional(),
    ['Default output', '默认结果'],
    ['FEEL giving the result when no rule matches; without it, no match fails the task naming it.', '没有规则命中时的结果（FEEL）；省略时，无命中会使任务失败并指明该任务。'],
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
