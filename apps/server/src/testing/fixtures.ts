// Real parts for tests (docs/ARCHITECTURE.md § Tests): a libsql file database and a built-looking
// web app, each in its own temporary directory.
import type { Client } from '@libsql/client';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openLibsqlClient } from '@loomflow/checkpoint-libsql';
import { createApp, type AppOptions } from '../app';
import { createServices, type ServerServices, type ServiceOptions } from '../services';

export interface TempDatabase {
  readonly db: Client;
  readonly url: string;
  dispose(): void;
}

export async function createTempDatabase(): Promise<TempDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'loomflow-db-'));
  const url = pathToFileURL(join(dir, 'nested', 'loomflow.db')).href;
  const db = await openLibsqlClient(url);
  return {
    db,
    url,
    dispose: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const INDEX_HTML = '<!doctype html><html><head><title>Loomflow test</title></head><body><div id="app"></div></body></html>';

/**
 * A directory shaped like apps/web/dist (index.html, a favicon, one hashed bundle) inside a parent
 * that also holds `secret.txt`, which must never be served.
 */
export function createTempWebDist(): { readonly dir: string; dispose(): void } {
  const parent = mkdtempSync(join(tmpdir(), 'loomflow-web-'));
  writeFileSync(join(parent, 'secret.txt'), 'not part of the web app');
  const dir = join(parent, 'dist');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), INDEX_HTML);
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("loomflow")');
  return { dir, dispose: () => rmSync(parent, { recursive: true, force: true }) };
}

/** A temporary database with the server's tables and an app over it (API only, no web app). */
export async function createTestApp(options: ServiceOptions = {}, appOptions: Partial<Omit<AppOptions, 'db' | 'services'>> = {}): Promise<{ readonly app: ReturnType<typeof createApp>; readonly services: ServerServices; readonly database: TempDatabase; dispose(): Promise<void> }> {
  const database = await createTempDatabase();
  const services = await createServices(database.db, options);
  const app = createApp({ db: database.db, services, webDistDir: join(tmpdir(), 'loomflow-no-web-app'), ...appOptions });
  return {
    app,
    services,
    database,
    dispose: async () => {
      await services.close();
      database.dispose();
    },
  };
}

/** Another server over a test app's database, as a restarted process (or a second one) would be. */
export async function createAppOver(database: TempDatabase): Promise<{ readonly app: ReturnType<typeof createApp>; readonly services: ServerServices }> {
  const services = await createServices(database.db);
  return { app: createApp({ db: database.db, services, webDistDir: join(tmpdir(), 'loomflow-no-web-app') }), services };
}

/** A POST without a body, declared JSON as the server requires of every POST (request-guard.ts). */
export const EMPTY_JSON_POST: RequestInit = { method: 'POST', headers: { 'Content-Type': 'application/json' } };

/** A `RequestInit` sending `body` as JSON, for `app.request()`. */
export function jsonRequest(method: string, body: unknown): RequestInit {
  return { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}
