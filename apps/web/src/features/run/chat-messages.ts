// A messages channel as a conversation: LangGraph's message dicts (runtime message-json.ts), as
// run events and thread states carry them, read into what a chat view shows.
export type ChatRole = 'human' | 'ai' | 'system' | 'tool';

export interface ChatMessage {
  readonly role: ChatRole;
  readonly text: string;
  /** The tools an AI message calls, by name with their arguments. */
  readonly toolCalls: readonly { readonly name: string; readonly args: unknown }[];
  /** A tool message's tool. */
  readonly name?: string;
}

const roles: ReadonlySet<string> = new Set<ChatRole>(['human', 'ai', 'system', 'tool']);

/** Text parts of a message's content ({ type: 'text', text } blocks), joined. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return JSON.stringify(content) ?? '';
  return content
    .map((part: unknown) => (typeof part === 'string' ? part : typeof part === 'object' && part !== null && 'text' in part ? String((part as { text: unknown }).text) : ''))
    .join('');
}

/** The value of a messages channel as chat messages; anything that is not a message is left out. */
export function chatMessagesOf(value: unknown): ChatMessage[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown): ChatMessage[] => {
    if (typeof item !== 'object' || item === null) return [];
    const message = item as { type?: unknown; content?: unknown; tool_calls?: unknown; name?: unknown };
    if (typeof message.type !== 'string' || !roles.has(message.type)) return [];
    const calls = Array.isArray(message.tool_calls) ? (message.tool_calls as { name?: unknown; args?: unknown }[]) : [];
    return [
      {
        role: message.type as ChatRole,
        text: textOf(message.content),
        toolCalls: calls.map((call) => ({ name: String(call.name ?? ''), args: call.args })),
        ...(typeof message.name === 'string' ? { name: message.name } : {}),
      },
    ];
  });
}
