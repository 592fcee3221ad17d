import { getRequestListener, RequestError } from '@hono/node-server';
import type { Hono } from 'hono';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiErrorBody } from './errors';

export interface RunningServer {
  /** The base URL the server answers on, with the port actually bound (useful with port 0). */
  readonly url: string;
  /** Stops accepting connections and resolves once the open ones are gone. */
  close(): Promise<void>;
}

/** Connections still open after this long on shutdown (long polls, streams) are cut. */
const SHUTDOWN_GRACE_MS = 3000;

/**
 * What a request that never became one gets: the adapter refuses a request with no `Host` or one it
 * cannot read, and would answer 400 with no body; the client is told which.
 */
function unreadableRequest(error: unknown): Response {
  if (error instanceof RequestError) return Response.json(apiErrorBody('bad_request', `The request cannot be read: ${error.message}.`), { status: 400 });
  return Response.json(apiErrorBody('internal_error', 'The server failed to answer this request.'), { status: 500 });
}

export function startHttpServer(app: Pick<Hono, 'fetch'>, host: string, port: number): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    // No default host name: a request that names no Host (HTTP/1.0 allows it) is refused rather
    // than taken for one to the bound address, which would pass the host check.
    // requireHostHeader off: Node would answer an HTTP/1.1 request without Host with a bare 400 of its own.
    const server = createServer({ requireHostHeader: false }, getRequestListener(app.fetch, { errorHandler: unreadableRequest }));
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({ url: `http://${formatHost(host)}:${(server.address() as AddressInfo).port}`, close: () => closeServer(server) });
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
  });
}

function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
