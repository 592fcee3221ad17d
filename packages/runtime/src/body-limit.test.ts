import { describe, expect, it, vi } from 'vitest';
import { AnswerBudget, limitBody, SseEventCounter, TooLargeError } from './body-limit';

const bytes = (text: string) => new TextEncoder().encode(text);

/** Whether feeding `chunks` in turn passes a limit of `max` bytes per event. */
function passes(max: number, ...chunks: string[]): boolean {
  const counter = new SseEventCounter(max);
  return !chunks.some((chunk) => counter.add(bytes(chunk)));
}

describe('SseEventCounter', () => {
  it('counts each event on its own, whichever line ends the stream uses', () => {
    expect(passes(8, 'data: 12\n\n', 'data: 34\n\n')).toBe(true);
    expect(passes(8, 'data: 12\r\n\r\n', 'data: 34\r\n\r\n')).toBe(true);
    expect(passes(8, 'data: 12\r\r', 'data: 34\r\r')).toBe(true);
    expect(passes(8, 'data: 123\n\n')).toBe(false);
  });

  it('counts the lines of one event together, line ends not included', () => {
    expect(passes(12, 'data: 12\n', 'id: 3\n\n')).toBe(false);
    expect(passes(13, 'data: 12\r\n', 'id: 3\r\n\r\n')).toBe(true);
  });

  it('takes a CRLF split across chunks as one line end, and LF CR as two', () => {
    // "\r" then "\n" in the next chunk ends one line; the event goes on.
    expect(passes(10, 'data: 12\r', '\nid:3\r\n')).toBe(false);
    expect(passes(12, 'data: 12\r', '\nid:3\r\n')).toBe(true);
    // "\n\r" is an empty line: the event ends, and the next starts from nothing.
    expect(passes(8, 'data: 12\n\r', 'data: 34\n\n')).toBe(true);
  });

  it('fails an event that never ends, however it is cut', () => {
    const counter = new SseEventCounter(1000);
    let over = false;
    for (let index = 0; index < 200 && !over; index += 1) over = counter.add(bytes('xxxxxxx'));
    expect(over).toBe(true);
  });
});

/** A response whose body arrives in the given pieces. */
function responseOf(pieces: readonly string[], init: ResponseInit): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(bytes(piece));
      controller.close();
    },
  });
  return new Response(body, init);
}

async function piecesOf(response: Response): Promise<string[]> {
  const pieces: string[] = [];
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) pieces.push(decoder.decode(chunk));
  return pieces;
}

describe('limitBody', () => {
  const describeLimit = () => 'over the limit';
  const sse = { status: 200, headers: { 'content-type': 'Text/Event-Stream; charset=utf-8' } };

  it('hands on an event stream whole, joining tiny chunks up to a line end', async () => {
    const drip = [...'data: {"x":1}', '\n', '\n'];
    const limited = limitBody(responseOf(drip, sse), { maxBytes: 1000, perEvent: true }, describeLimit, () => expect.unreachable());
    expect(await piecesOf(limited)).toEqual(['data: {"x":1}\n', '\n']);
  });

  it('counts a 2xx event stream per event, in any letter case of its media type', async () => {
    const events = Array.from({ length: 50 }, () => 'data: 0123456789\n\n');
    const limited = limitBody(responseOf(events, sse), { maxBytes: 20, perEvent: true }, describeLimit, () => expect.unreachable());
    expect((await piecesOf(limited)).join('')).toBe(events.join(''));
  });

  it('counts an error answer whole, event stream or not: the SDK reads it whole', async () => {
    const events = Array.from({ length: 50 }, () => 'data: 0123456789\n\n');
    const failures: TooLargeError[] = [];
    const limited = limitBody(responseOf(events, { ...sse, status: 500 }), { maxBytes: 200, perEvent: true }, describeLimit, (error) => failures.push(error));
    await expect(limited.text()).rejects.toThrow('over the limit');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(TooLargeError);
  });

  it('keeps the answer\'s status, headers and URL', () => {
    const original = responseOf(['{}'], { status: 302, headers: { location: '/elsewhere', 'content-type': 'application/json' } });
    Object.defineProperty(original, 'url', { value: 'https://mcp.example.com/mcp' });
    const limited = limitBody(original, { maxBytes: 1000, perEvent: true }, describeLimit, () => expect.unreachable());
    expect([limited.status, limited.headers.get('location'), limited.url]).toEqual([302, '/elsewhere', 'https://mcp.example.com/mcp']);
  });

  it('hands on each line of a model\'s event stream as it comes, not 16 KiB later', async () => {
    let open: ReadableStreamDefaultController<Uint8Array> | undefined;
    const stream = new Response(new ReadableStream<Uint8Array>({ start: (controller) => void (open = controller) }), sse);
    const reader = (limitBody(stream, { maxBytes: 1000, perEvent: false }, describeLimit).body as ReadableStream<Uint8Array>).getReader();
    open?.enqueue(bytes('data: {"token":"Hel"}\n\n'));
    // The answer goes on; its first event is already readable.
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: {"token":"Hel"}\n\n');
    open?.close();
    expect((await reader.read()).done).toBe(true);
  });

  it('counts a whole event stream when not per event: a model may not stream without end', async () => {
    const events = Array.from({ length: 50 }, () => 'data: 0123456789\n\n');
    const limited = limitBody(responseOf(events, sse), { maxBytes: 200, perEvent: false }, describeLimit);
    await expect(limited.text()).rejects.toThrow('over the limit');
  });

  it('shares one budget between answers read at once, and gives each answer\'s bytes back when it ends', async () => {
    const budget = new AnswerBudget(100, 'ANSWER_BUDGET');
    const json = { status: 200, headers: { 'content-type': 'application/json' } };
    // An answer that has sent 80 bytes and goes on.
    let open: ReadableStreamDefaultController<Uint8Array> | undefined;
    const slow = new Response(new ReadableStream<Uint8Array>({ start: (controller) => void (open = controller) }), json);
    const first = limitBody(slow, { maxBytes: 1000, perEvent: false, budget }, describeLimit);
    const reader = (first.body as ReadableStream<Uint8Array>).getReader();
    open?.enqueue(bytes('x'.repeat(80)));
    // Asked for, the bytes are counted; they are handed on once 16 KiB or the end arrive.
    const firstRead = reader.read();
    await vi.waitFor(() => expect(budget.held).toBe(80));
    // Another answer of 40 bytes would pass the budget, though not its own limit.
    const second = limitBody(responseOf(['y'.repeat(40)], json), { maxBytes: 1000, perEvent: false, budget }, describeLimit);
    await expect(second.text()).rejects.toThrow('the answers being read at once would hold more than 100 bytes, the limit set by ANSWER_BUDGET');
    open?.close();
    expect((await firstRead).value?.byteLength).toBe(80);
    await vi.waitFor(() => expect(budget.held).toBe(0));
    const third = limitBody(responseOf(['y'.repeat(40)], json), { maxBytes: 1000, perEvent: false, budget }, describeLimit);
    expect(await third.text()).toBe('y'.repeat(40));
    await vi.waitFor(() => expect(budget.held).toBe(0));
  });

  it('holds only the event under way of a stream counted per event', async () => {
    const budget = new AnswerBudget(30);
    const events = Array.from({ length: 20 }, () => 'data: 0123456789\n\n');
    const limited = limitBody(responseOf(events, sse), { maxBytes: 100, perEvent: true, budget }, describeLimit);
    expect(await limited.text()).toBe(events.join(''));
    await vi.waitFor(() => expect(budget.held).toBe(0));
  });
});
