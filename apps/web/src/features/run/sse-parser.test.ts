// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from './sse-parser';

function parse(...chunks: string[]): SseMessage[] {
  const messages: SseMessage[] = [];
  const parser = createSseParser((message) => messages.push(message));
  for (const chunk of chunks) parser.push(chunk);
  return messages;
}

describe('createSseParser', () => {
  it('reads the frames the server writes: event, data and id', () => {
    expect(parse('event: node.started\ndata: {"seq":0}\nid: 0\n\nevent: run.completed\ndata: {"seq":1}\nid: 1\n\n')).toEqual([
      { event: 'node.started', data: '{"seq":0}', id: '0' },
      { event: 'run.completed', data: '{"seq":1}', id: '1' },
    ]);
  });

  it('puts together frames split anywhere, one character at a time', () => {
    const text = 'event: a\ndata: x\nid: 7\n\nevent: b\r\ndata: y\r\n\r\n';
    expect(parse(...text.split(''))).toEqual([
      { event: 'a', data: 'x', id: '7' },
      { event: 'b', data: 'y', id: '7' },
    ]);
  });

  it('treats a \\r\\n split across chunks as one line end', () => {
    expect(parse('data: x\r', '\ndata: y\r', '\n\r', '\n')).toEqual([{ event: 'message', data: 'x\ny', id: '' }]);
  });

  it('ignores comments (the keep-alive), unknown fields and frames without data', () => {
    expect(parse(': keep-alive\n\nretry: 10\nevent: lonely\n\ndata:no space\n\n')).toEqual([{ event: 'message', data: 'no space', id: '' }]);
  });

  it('keeps an unfinished frame until its blank line arrives', () => {
    expect(parse('event: a\ndata: x\n')).toEqual([]);
  });
});
