// @vitest-environment node
import type { FlowDocument } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from './history-api';
import { groupByThread, runDurationMs, runErrorOf, sameDocument, threadRunsUpTo } from './run-history';

function run(id: string, threadId: string, createdAt: number, extra: Partial<RunSummary> = {}): RunSummary {
  return { id, flowId: 'f', version: null, threadId, status: 'completed', trigger: 'start', error: null, createdAt, startedAt: createdAt, finishedAt: createdAt + 10, ...extra };
}

describe('runErrorOf', () => {
  it("reads a failed run's stored error, and nothing else", () => {
    expect(runErrorOf({ code: 'timeout', message: 'too slow', nodeId: 'n1' })).toEqual({ code: 'timeout', message: 'too slow', nodeId: 'n1' });
    expect(runErrorOf({ code: 'timeout', message: 'too slow', nodeId: 3 })).toEqual({ code: 'timeout', message: 'too slow' });
    expect(runErrorOf(null)).toBeUndefined();
    expect(runErrorOf({ code: 'x' })).toBeUndefined();
    expect(runErrorOf('boom')).toBeUndefined();
  });
});

describe('runDurationMs', () => {
  it('counts from the start to the end, and has none before the end', () => {
    expect(runDurationMs({ createdAt: 100, startedAt: 150, finishedAt: 400 })).toBe(250);
    // Cancelled while queued: it never started.
    expect(runDurationMs({ createdAt: 100, startedAt: null, finishedAt: 130 })).toBe(30);
    expect(runDurationMs({ createdAt: 100, startedAt: 150, finishedAt: null })).toBeUndefined();
  });
});

describe('groupByThread', () => {
  it("shows each thread once at its newest run, with its earlier runs under it, newest first", () => {
    const listed = [
      run('r4', 't2', 40, { trigger: 'resume' }),
      run('r3', 't1', 30, { trigger: 'resume' }),
      run('r2', 't2', 20, { status: 'waiting' }),
      run('r1', 't1', 10, { status: 'waiting' }),
      run('r0', 't0', 5),
    ];
    const rows = groupByThread(listed);
    expect(rows.map((row) => [row.id, row.children?.map((child) => child.id)])).toEqual([
      ['r4', ['r2']],
      ['r3', ['r1']],
      ['r0', undefined],
    ]);
  });
});

describe('threadRunsUpTo', () => {
  it("answers the thread's runs up to the one asked for, oldest first", () => {
    const thread = [run('c', 't', 30), run('b', 't', 20), run('a', 't', 10)];
    expect(threadRunsUpTo(thread, 'b').map((item) => item.id)).toEqual(['a', 'b']);
    expect(threadRunsUpTo(thread, 'c').map((item) => item.id)).toEqual(['a', 'b', 'c']);
    expect(threadRunsUpTo(thread, 'ghost')).toEqual([]);
  });
});

describe('sameDocument', () => {
  const flow: FlowDocument = { schemaVersion: 1, id: 'f', name: 'F', kind: 'agent', state: { channels: [] }, nodes: [], edges: [] };
  it('compares documents by content, whatever the order of their keys', () => {
    const reordered = JSON.parse(JSON.stringify({ edges: [], nodes: [], state: { channels: [] }, kind: 'agent', name: 'F', id: 'f', schemaVersion: 1 })) as FlowDocument;
    expect(sameDocument(flow, reordered)).toBe(true);
    expect(sameDocument(flow, { ...flow, name: 'G' })).toBe(false);
  });
});
