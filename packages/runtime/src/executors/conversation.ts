import type { BaseMessage } from '@langchain/core/messages';
import type { State } from './executor';

/** The conversation a messages channel holds, or none while the channel is empty. */
export function conversationIn(state: State, channel: string): BaseMessage[] {
  const value = state[channel];
  return Array.isArray(value) ? (value as BaseMessage[]) : [];
}
