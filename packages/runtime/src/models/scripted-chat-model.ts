// The `scripted` provider: a chat model that answers with replies written in the node's config,
// for trying a flow's logic with no key and no network (as n8n's pinned data). It streams each
// reply word by word, like a provider, so token events show in the designer as they would live.
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';

export interface ScriptedReply {
  readonly when?: string | undefined;
  readonly text: string;
  readonly toolCalls?: readonly { readonly name: string; readonly args: Readonly<Record<string, unknown>> }[] | undefined;
}

/**
 * Which reply answers a conversation: the first whose `when` the last prompt contains (a critic
 * that approves only a revised draft); else, of the replies without `when`, the one at the number
 * of assistant messages the conversation holds, so a loop (call a tool, then answer) goes through
 * the script in order, and the same conversation always gets the same reply, on a retry or a
 * replay too. After the last, the last.
 */
function replyFor(replies: readonly ScriptedReply[], messages: readonly BaseMessage[]): ScriptedReply {
  const prompt = messages.findLast((message) => message.getType() === 'human')?.content;
  const asked = typeof prompt === 'string' ? prompt : JSON.stringify(prompt ?? '');
  const matched = replies.find((reply) => reply.when !== undefined && asked.includes(reply.when));
  if (matched) return matched;
  const inTurn = replies.filter((reply) => reply.when === undefined);
  const turn = messages.filter((message) => message.getType() === 'ai').length;
  return inTurn[Math.min(turn, inTurn.length - 1)] ?? (replies.at(-1) as ScriptedReply);
}

/** Ids unique in the conversation (by its turn), as a provider's are: a tool runner answers each id once. */
const toolCallsOf = (reply: ScriptedReply, messages: readonly BaseMessage[]) => {
  const turn = messages.filter((message) => message.getType() === 'ai').length + 1;
  return (reply.toolCalls ?? []).map((call, index) => ({ id: `scripted_${turn}_${index + 1}`, name: call.name, args: { ...call.args }, type: 'tool_call' as const }));
};

/** Word-ish tokens with their spacing, as providers stream them. */
const tokensOf = (text: string) => text.match(/\S+\s*|\s+/g) ?? [];

const usageOf = (messages: readonly BaseMessage[], reply: ScriptedReply) => {
  const input = messages.reduce((count, message) => count + tokensOf(typeof message.content === 'string' ? message.content : JSON.stringify(message.content)).length, 0);
  const output = tokensOf(reply.text).length;
  return { input_tokens: input, output_tokens: output, total_tokens: input + output };
};

export class ScriptedChatModel extends BaseChatModel {
  constructor(private readonly replies: readonly ScriptedReply[]) {
    super({});
  }

  override _llmType(): string {
    return 'scripted';
  }

  /** The script says which tools it calls; the tools' descriptions change nothing. */
  override bindTools(): this {
    return this;
  }

  override async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const reply = replyFor(this.replies, messages);
    const message = new AIMessage({ content: reply.text, tool_calls: toolCallsOf(reply, messages), usage_metadata: usageOf(messages, reply) });
    return { generations: [{ text: reply.text, message }] };
  }

  override async *_streamResponseChunks(messages: BaseMessage[], options: this['ParsedCallOptions'], runManager?: CallbackManagerForLLMRun): AsyncGenerator<ChatGenerationChunk> {
    const reply = replyFor(this.replies, messages);
    for (const token of tokensOf(reply.text)) {
      options.signal?.throwIfAborted();
      yield new ChatGenerationChunk({ text: token, message: new AIMessageChunk({ content: token }) });
      await runManager?.handleLLMNewToken(token);
    }
    const calls = toolCallsOf(reply, messages);
    yield new ChatGenerationChunk({
      text: '',
      message: new AIMessageChunk({
        content: '',
        tool_call_chunks: calls.map((call, index) => ({ id: call.id, name: call.name, args: JSON.stringify(call.args), index, type: 'tool_call_chunk' as const })),
        usage_metadata: usageOf(messages, reply),
      }),
    });
  }
}
