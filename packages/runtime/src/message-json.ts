// Messages as hosts show them. LangChain serialises a message to its constructor form
// ({ lc, type: "constructor", id: [...], kwargs }), which says how to rebuild the object, not what
// was said. Run events and thread states show LangGraph's message dict instead: what a person
// reads, what LangGraph's own API returns, and what the messages reducer accepts back (a fork or
// a state edit may send it as it came).
import { isBaseMessage, type BaseMessage } from '@langchain/core/messages';

interface MessageFields {
  readonly tool_calls?: readonly unknown[];
  readonly invalid_tool_calls?: readonly unknown[];
  readonly tool_call_id?: string;
  readonly status?: string;
  readonly usage_metadata?: unknown;
}

export function messageJson(message: BaseMessage): Record<string, unknown> {
  const fields = message as BaseMessage & MessageFields;
  return {
    type: message.getType(),
    content: message.content,
    ...(message.id ? { id: message.id } : {}),
    ...(message.name ? { name: message.name } : {}),
    ...(fields.tool_calls?.length ? { tool_calls: fields.tool_calls } : {}),
    ...(fields.invalid_tool_calls?.length ? { invalid_tool_calls: fields.invalid_tool_calls } : {}),
    ...(fields.tool_call_id ? { tool_call_id: fields.tool_call_id } : {}),
    ...(fields.status ? { status: fields.status } : {}),
    ...(fields.usage_metadata ? { usage_metadata: fields.usage_metadata } : {}),
  };
}

const isPlainObject = (value: object): boolean => {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/**
 * The value with every message in it, at any depth, as its message dict; the rest as it is. Only
 * the arrays and objects on the way to a message are copied: every run event passes through here,
 * and most hold none (copying them all was the runtime's largest own cost in a small flow's run).
 */
export function withMessageJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (isBaseMessage(value)) return messageJson(value) as T;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item: unknown, index) => {
      const shown = withMessageJson(item);
      if (shown === item) return;
      copy ??= [...value];
      copy[index] = shown;
    });
    return (copy ?? value) as T;
  }
  if (!isPlainObject(value)) return value;
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(record)) {
    const shown = withMessageJson(item);
    if (shown === item) continue;
    copy ??= { ...record };
    copy[key] = shown;
  }
  return (copy ?? value) as T;
}
