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

/**
 * The update that turns `before` into `after` through each channel's reducer: what a subgraph run
 * over the same channels changed. Appended items and added sums are written as such, so the
 * reducer does not count them twice.
 */
export function updateBetween(channels: readonly ChannelIR[], before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const update: Record<string, unknown> = {};
  for (const channel of channels) {
    const { name } = channel;
    if (!(name in after) || JSON.stringify(before[name]) === JSON.stringify(after[name])) continue;
    if (channel.reducer === 'append') update[name] = toList(after[name]).slice(toList(before[name]).length);
    else if (channel.reducer === 'sum') update[name] = Number(after[name] ?? 0) - Number(before[name] ?? 0);
    else update[name] = after[name];
  }
  return update;
}
