import type { Client } from '@libsql/client';
import { Hono } from 'hono';

export interface HealthDependencies {
  readonly db: Pick<Client, 'execute'>;
  readonly version: string;
}

/** `GET /health`: 200 when the database answers, 503 otherwise (for load balancers and the e2e harness). */
export function healthRoutes({ db, version }: HealthDependencies) {
  return new Hono().get('/health', async (c) => {
    const dbOk = await databaseAnswers(db);
    const body = { ok: dbOk, version, db: { ok: dbOk } };
    return dbOk ? c.json(body, 200) : c.json(body, 503);
  });
}

async function databaseAnswers(db: Pick<Client, 'execute'>): Promise<boolean> {
  try {
    await db.execute('select 1');
    return true;
  } catch (error) {
    // The reason may name files or hosts; it is for the operator's log, not the response.
    console.error('loomflow: health check: the database did not answer:', error);
    return false;
  }
}
