// The run start's document lookups are prepared once per store and bound anew on every call.
import type { FlowDocument } from '@loomflow/graph-schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateServerDatabase, serverDatabase } from '../db/database';
import { createTempDatabase, type TempDatabase } from '../testing/fixtures';
import { chainFlow } from '../testing/flows';
import { FlowStore } from './flow-store';

let database: TempDatabase;
beforeEach(async () => {
  database = await createTempDatabase();
  await migrateServerDatabase(database.db);
});
afterEach(() => database.dispose());

describe('the document a run executes', () => {
  it('is the draft or the version of the flow each call asks for, and undefined when there is none', async () => {
    const flows = new FlowStore(serverDatabase(database.db));
    for (const id of ['one', 'two']) expect(await flows.create(chainFlow(id, 1) as unknown as FlowDocument)).toBe(true);
    expect(await flows.publish('one', 'first', (await flows.get('one')) as NonNullable<Awaited<ReturnType<FlowStore['get']>>>)).toBe(1);
    expect(await flows.update({ ...(chainFlow('one', 2) as unknown as FlowDocument), name: 'Edited' }, 1)).toMatchObject({ status: 'updated' });

    const parsed = async (id: string, version: number | undefined) => JSON.parse((await flows.documentJson(id, version)) ?? 'null') as unknown;
    expect(await parsed('one', undefined)).toMatchObject({ id: 'one', name: 'Edited' });
    expect(await parsed('two', undefined)).toMatchObject({ id: 'two' });
    expect(await parsed('one', 1)).toMatchObject({ id: 'one', name: 'Chain of 1' });
    // The text as stored: what JSON.stringify made of the document, which the compile cache keys by.
    expect(await flows.documentJson('one', 1)).toBe(JSON.stringify((await flows.getVersion('one', 1))?.flow));
    expect(await flows.documentJson('three', undefined)).toBeUndefined();
    expect(await flows.documentJson('two', 1)).toBeUndefined();
    expect(await flows.documentJson('one', 2)).toBeUndefined();
  });
});
