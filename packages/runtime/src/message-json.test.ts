import { AIMessage, HumanMessage, isBaseMessage, ToolMessage } from '@langchain/core/messages';
import { MemorySaver } from '@langchain/langgraph';
import type { FlowDocumentInput, RunEvent } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { FlowRuntime } from './flow-runtime';
import { withMessageJson } from './message-json';
import { createModelFactory } from './models/model-factory';

const at = { x: 0, y: 0 };

const chat: FlowDocumentInput = {
  schemaVersion: 1,
  id: 'chat',
  name: 'Chat',
  kind: 'agent',
  state: { channels: [{ name: 'question', type: 'string' }, { name: 'messages', type: 'messages', reducer: 'messages' }] },
  nodes: [
    { id: 'start', type: 'agent.start', position: at },
    { id: 'ask', type: 'agent.llm', position: at, config: { model: { provider: 'scripted', replies: [{ text: 'Hello!' }] }, prompt: '{{question}}' } },
    { id: 'end', type: 'agent.end', position: at },
  ],
  edges: [
    { id: 'e0', source: 'start', target: 'ask' },
    { id: 'e1', source: 'ask', target: 'end' },
  ],
};

describe('messages in events and states', () => {
  it('become message dicts at any depth, leaving other values alone', () => {
    const call = { name: 'add', args: { a: 1 }, id: 'c1', type: 'tool_call' as const };
    const value = {
      n: 1,
      list: [new HumanMessage({ content: 'hi', id: 'h1' }), 'text'],
      nested: { reply: new AIMessage({ content: '', tool_calls: [call] }), answer: new ToolMessage({ content: '2', tool_call_id: 'c1', status: 'success', name: 'add' }) },
    };
    expect(withMessageJson(value)).toEqual({
      n: 1,
      list: [{ type: 'human', content: 'hi', id: 'h1' }, 'text'],
      nested: { reply: { type: 'ai', content: '', tool_calls: [call] }, answer: { type: 'tool', content: '2', name: 'add', tool_call_id: 'c1', status: 'success' } },
    });
    // What holds no message is given back as it is; what holds one is a copy, the original untouched.
    const plain = { n: 1, list: [1, { a: 'b' }] };
    expect(withMessageJson(plain)).toBe(plain);
    expect(withMessageJson(value)).not.toBe(value);
    expect(withMessageJson(value).nested).not.toBe(value.nested);
    expect(isBaseMessage(value.list[0])).toBe(true);
  });

  it('show as dicts in run events and thread states, and a state edit may send them back as they came', async () => {
    const compiled = new FlowRuntime({ checkpointer: new MemorySaver(), hostServices: { models: createModelFactory({ resolveProvider: async () => undefined }) } }).compile(chat);
    const events: RunEvent[] = [];
    for await (const event of compiled.run({ question: 'Hi?' }, { threadId: 't' })) events.push(event);
    const done = events.at(-1) as Extract<RunEvent, { type: 'run.completed' }>;
    expect(done.type, JSON.stringify(done)).toBe('run.completed');
    expect(done.state.messages).toMatchObject([{ type: 'human', content: 'Hi?' }, { type: 'ai', content: 'Hello!' }]);

    const state = await compiled.getState('t');
    const shown = state.values.messages as { type: string; content: string; id: string }[];
    expect(shown.map((message) => message.type)).toEqual(['human', 'ai']);
    // A person edits the reply in the inspector and forks: the dicts go back as they came.
    await compiled.updateState('t', { messages: [{ ...shown[1], content: 'Hello, edited!' }, { type: 'human', content: 'And?' }] }, { asNode: 'ask' });
    const edited = (await compiled.getState('t')).values.messages as { type: string; content: string }[];
    expect(edited.map((message) => [message.type, message.content])).toEqual([
      ['human', 'Hi?'],
      ['ai', 'Hello, edited!'],
      ['human', 'And?'],
    ]);
  });
});
