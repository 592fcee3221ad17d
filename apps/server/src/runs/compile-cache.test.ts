// The compile cache finds a flow by its document's JSON text, whether a caller holds the text (a run
// start, a run worker) or the document (resume, recovery).
import { LibsqlSaver } from '@loomflow/checkpoint-libsql';
import type { FlowDocument } from '@loomflow/graph-schema';
import { FlowRuntime } from '@loomflow/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnprocessableError } from '../errors';
import { createTempDatabase, type TempDatabase } from '../testing/fixtures';
import { chainFlow } from '../testing/flows';
import { CompileCache } from './compile-cache';

let database: TempDatabase;
beforeEach(async () => {
  database = await createTempDatabase();
});
afterEach(() => database.dispose());

const cacheOf = () => new CompileCache(new FlowRuntime({ checkpointer: new LibsqlSaver(database.db) }));

describe('CompileCache', () => {
  it('gives one compiled flow for a document and its JSON text, and another for another document', () => {
    const cache = cacheOf();
    const flow = chainFlow('cached', 2) as unknown as FlowDocument;
    const json = JSON.stringify(flow);
    const compiled = cache.compileJson(json);
    expect(compiled.flowId).toBe('cached');
    expect(cache.compileJson(json)).toBe(compiled);
    expect(cache.compile(JSON.parse(json) as FlowDocument)).toBe(compiled);
    const changed = cache.compileJson(JSON.stringify({ ...flow, name: 'Renamed' }));
    expect(changed).not.toBe(compiled);
    expect(cache.compileJson(json)).toBe(compiled);
  });

  it('refuses a document that cannot run with a 422 naming the flow, from its text too', () => {
    const cache = cacheOf();
    const broken = { ...(chainFlow('broken', 1) as unknown as FlowDocument), edges: [] };
    const refusal = (() => {
      try {
        return cache.compileJson(JSON.stringify(broken));
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(UnprocessableError);
    expect(refusal).toMatchObject({ status: 422, code: 'flow_invalid' });
    expect((refusal as Error).message).toMatch(/^Flow "broken" cannot run: /);
  });
});
