import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { ModelConfig, StructuredOutputMethod } from '@loomflow/graph-schema';
import type { Executor } from './executor';
import { callModel } from './model-call';
import { renderTemplate } from './template';

interface RouterConfig {
  readonly model: ModelConfig;
  readonly instruction: string;
  readonly input: string;
  readonly intents: readonly { readonly id: string; readonly description: string; readonly examples: readonly string[] }[];
  readonly output: string;
  readonly reasonOutput?: string;
  readonly structuredOutput: StructuredOutputMethod;
}

const FALLBACK = 'fallback';

/** The classifier's instructions: the node's own, then each intent with its examples as few-shot. */
function systemPromptOf(settings: RouterConfig, instruction: string): string {
  const intents = settings.intents.map((intent) =>
    [`- ${intent.id}: ${intent.description}`, ...intent.examples.map((example) => `  example: ${JSON.stringify(example)}`)].join('\n'),
  );
  return [
    instruction,
    'Classify the message into exactly one of these intents:',
    ...intents,
    `If none of them fits, answer "${FALLBACK}".`,
    'Answer with JSON: {"intent": "<intent id>", "reason": "<one sentence on why>"}.',
  ]
    .filter((line) => line.trim() !== '')
    .join('\n');
}

/**
 * Has the model classify the input (a template over the state) into one of the node's intents,
 * asking for JSON by schema; the intent's id goes to the output channel, which picks the output
 * port the run leaves by, and an id the model made up leaves by `fallback`. The model's reason
 * goes to `reasonOutput` when the node names a channel for it.
 */
export const runRouter: Executor = async (context) => {
  const { node, state } = context;
  const settings = node.config as unknown as RouterConfig;
  const input = renderTemplate(settings.input, state, node.id);
  const instruction = renderTemplate(settings.instruction, state, node.id);
  const ids = settings.intents.map((intent) => intent.id);
  const responseSchema = {
    type: 'object',
    properties: { intent: { type: 'string', description: `one of ${[...ids, FALLBACK].join(', ')}` }, reason: { type: 'string' } },
    required: ['intent'],
  };
  const { value, usage } = await callModel(context, {
    model: settings.model,
    messages: [new SystemMessage(systemPromptOf(settings, instruction)), new HumanMessage(input)],
    responseSchema,
    structuredOutput: settings.structuredOutput,
    stream: false,
  });
  const answer = value as { intent: string; reason?: string };
  const intent = ids.includes(answer.intent) ? answer.intent : FALLBACK;
  const reason = answer.reason ?? '';
  return {
    update: { [settings.output]: intent, ...(settings.reasonOutput ? { [settings.reasonOutput]: reason } : {}) },
    output: { intent, reason, ...(intent === answer.intent ? {} : { answered: answer.intent }), ...(usage ? { usage } : {}) },
  };
};
