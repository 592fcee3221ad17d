import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  /** The base URL the server answers on, with the port actually bound (useful with port 0). */
  readonly url: string;
  /** Stops accepting connections and resolves once the open ones are gone. */
  close(): Promise<void>;
}

/** Connections still open after this long on shutdown (long polls, streams) are cut. */
const SHUTDOWN_GRACE_MS = 3000;

export function startHttpServer(app: Pick<Hono, 'fetch'>, host: string, port: number): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info: AddressInfo) => {
      server.off('error', reject);
      resolve({ url: `http://${formatHost(host)}:${info.port}`, close: () => closeServer(server) });
    });
    server.once('error', reject);
  });
}

function closeServer(server: ReturnType<typeof serve>): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    if (server instanceof Server) {
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    }
  });
}

function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
