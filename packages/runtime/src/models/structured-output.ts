// How each provider is asked for a reply that is JSON matching a node's responseSchema. The
// answer is checked against the schema afterwards whatever the provider promised
// (executors/model-call.ts), so these only make a good answer likely.
//
// OpenAI-compatible servers are asked by the node's structuredOutput method (model-call.ts).
// Anthropic's own JSON output
// (`output_config.format`) exists on recent models only, and not on Anthropic-compatible servers;
// what all of them support since Claude 3 is a tool the model is forced to call (`tool_choice:
// { type: "tool" }`) whose input the schema describes: the answer is that call's input. The
// scripted model answers what it is given.
import { AIMessage, type AIMessageChunk } from '@langchain/core/messages';
import type { ModelConfig } from '@loomflow/graph-schema';

/** The tool Anthropic models are made to call with their answer. */
const ANSWER_TOOL = 'answer';

/** Call options that make an Anthropic model give JSON that `schema` accepts, as the answer tool's input. */
export function anthropicAnswerOptions(schema: Record<string, unknown>): Record<string, unknown> {
  return {
    tools: [{ name: ANSWER_TOOL, description: 'Gives your answer, in the form it must take.', input_schema: schema }],
    tool_choice: { type: 'tool', name: ANSWER_TOOL },
  };
}

/** Whether the answer arrives as the input of the answer tool rather than as text. */
export const answersByTool = (model: ModelConfig): boolean => model.provider === 'anthropic';

/** The answer tool's input as far as this chunk streams it: the JSON text the reply is. */
export function streamedAnswer(chunk: AIMessageChunk): string {
  return (chunk.tool_call_chunks ?? []).map((part) => part.args ?? '').join('');
}

/**
 * The reply with its answer as JSON text and no tool call: what the node reports, what the
 * schema check parses, and nothing a conversation would have to answer with a tool result.
 * A reply without the answer tool's call is left as it is (its text then fails the check).
 */
export function answerReply(reply: AIMessage): AIMessage {
  const call = reply.tool_calls?.find((candidate) => candidate.name === ANSWER_TOOL);
  if (!call) return reply;
  return new AIMessage({ content: JSON.stringify(call.args), ...(reply.usage_metadata ? { usage_metadata: reply.usage_metadata } : {}) });
}
