// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { chatMessagesOf } from './chat-messages';

describe('chatMessagesOf', () => {
  it('reads message dicts, their text parts and tool calls, and skips what is not a message', () => {
    const messages = chatMessagesOf([
      { type: 'system', content: 'Be brief.' },
      { type: 'human', content: [{ type: 'text', text: 'Weather in ' }, { type: 'text', text: 'Oslo?' }] },
      { type: 'ai', content: '', tool_calls: [{ name: 'weather', args: { city: 'Oslo' }, id: 'c1' }] },
      { type: 'tool', content: '{"c":3}', name: 'weather', tool_call_id: 'c1' },
      { lc: 1, type: 'constructor' },
      'stray',
    ]);
    expect(messages).toEqual([
      { role: 'system', text: 'Be brief.', toolCalls: [] },
      { role: 'human', text: 'Weather in Oslo?', toolCalls: [] },
      { role: 'ai', text: '', toolCalls: [{ name: 'weather', args: { city: 'Oslo' } }] },
      { role: 'tool', text: '{"c":3}', toolCalls: [], name: 'weather' },
    ]);
    expect(chatMessagesOf('not a list')).toEqual([]);
  });
});
