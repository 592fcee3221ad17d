// State channels: each drawn channel becomes a LangGraph channel with the reducer it names.
import { Annotation, messagesStateReducer, type BaseChannel, type Messages } from '@langchain/langgraph';
import type { ChannelType, Reducer } from '@loomflow/graph-schema';
import type { ChannelIR } from './ir';

const emptyValues: Record<ChannelType, unknown> = {
  string: '',
  number: 0,
  boolean: false,
  object: {},
  array: [],
  messages: [],
  any: null,
};

type Merge = (current: unknown, update: unknown) => unknown;

const toList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === null || value === undefined ? [] : [value]);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const reducerFunctions: Record<Reducer, Merge> = {
  replace: (_current, update) => update,
  append: (current, update) => [...toList(current), ...(Array.isArray(update) ? update : [update])],
  merge: (current, update) => ({ ...(isPlainObject(current) ? current : {}), ...(isPlainObject(update) ? update : {}) }),
  messages: (current, update) => messagesStateReducer((current ?? []) as Messages, update as Messages),
  sum: (current, update) => Number(current ?? 0) + Number(update ?? 0),
};

/** The channel's reducer as a plain function, for code that combines updates outside LangGraph. */
export function reducerOf(channel: ChannelIR): Merge {
  return reducerFunctions[channel.reducer];
}

export function initialValueOf(channel: ChannelIR): unknown {
  // structuredClone: every thread starts from its own copy, never a shared mutable default.
  return structuredClone(channel.default !== undefined ? channel.default : emptyValues[channel.type]);
}

export function buildStateDefinition(channels: readonly ChannelIR[]): Record<string, BaseChannel> {
  return Object.fromEntries(
    channels.map((channel) => [
      channel.name,
      Annotation<unknown>({ reducer: reducerOf(channel), default: () => initialValueOf(channel) }),
    ]),
  );
}
