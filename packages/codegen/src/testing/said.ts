// Comparing a Loomflow run's final state with a generated project's printed one, for the tests.
import { isBaseMessage } from '@langchain/core/messages';

interface SerializedMessage {
  readonly lc: 1;
  readonly type: 'constructor';
  readonly id: readonly string[];
  readonly kwargs: Record<string, unknown>;
}

const messageTypes: Record<string, string> = { HumanMessage: 'human', AIMessage: 'ai', ToolMessage: 'tool', SystemMessage: 'system' };
const isSerializedMessage = (value: object): value is SerializedMessage => 'lc' in value && 'kwargs' in value && (value as { type?: unknown }).type === 'constructor';

const isMessageDict = (value: object): value is Record<string, unknown> => {
  const { type } = value as { type?: unknown };
  return 'content' in value && typeof type === 'string' && Object.values(messageTypes).includes(type);
};

/**
 * Messages as what was said, from a Loomflow run (message objects or dicts) and from the project's
 * output (LangChain's serialised form) alike. Message ids are left out (both graphs' messages
 * reducer gives a message without one a random id), and token counts are compared without the
 * empty per-kind details a streamed reply's chunks add up to.
 */
export function said(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(said);
  if (typeof value !== 'object' || value === null) return value;
  const message = isBaseMessage(value)
    ? { ...(value as unknown as Record<string, unknown>), type: value.getType() }
    : isSerializedMessage(value)
      ? { ...value.kwargs, type: messageTypes[value.id.at(-1) ?? ''] ?? value.id.at(-1) }
      : isMessageDict(value)
        ? value
        : undefined;
  if (!message) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, said(item)]));
  const usage = message.usage_metadata as { input_tokens: number; output_tokens: number; total_tokens: number } | undefined;
  const fields: Record<string, unknown> = {
    type: message.type,
    content: message.content,
    name: message.name,
    tool_calls: message.tool_calls,
    tool_call_id: message.tool_call_id,
    status: message.status,
    usage: usage && [usage.input_tokens, usage.output_tokens, usage.total_tokens],
  };
  return Object.fromEntries(Object.entries(fields).filter(([, field]) => field !== undefined && !(Array.isArray(field) && field.length === 0)));
}
