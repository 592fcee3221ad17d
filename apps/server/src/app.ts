import type { Client } from '@libsql/client';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { bearerTokenAuth } from './auth';
import { requestBodyLimit } from './body-limit';
import { DEFAULT_SERVER_LIMITS, defaultWebDistDir } from './config';
import { apiError, DomainError } from './errors';
import { flowRoutes } from './flows/routes';
import { knowledgeRoutes } from './knowledge/routes';
import { openApiRoutes } from './openapi';
import { runRoutes } from './runs/routes';
import { settingsRoutes } from './settings/routes';
import { messageRoutes } from './messages/routes';
import { taskRoutes } from './tasks/routes';
import { hostGuard, jsonBodyGuard, jsonTextGuard, originGuard } from './request-guard';
import { healthRoutes } from './routes/health';
import type { ServerServices } from './services';
import { serverVersion } from './version';
import { hasBuiltWebApp, isApiPath, mountWebApp } from './web-app';

export interface AppOptions {
  /** The libsql database; the health check probes it. */
  readonly db: Pick<Client, 'execute'>;
  /** Stores and the run manager over the same database (`createServices`). */
  readonly services: ServerServices;
  readonly version?: string;
  /** The built web app; defaults to apps/web/dist. Without an index.html only /api is served. */
  readonly webDistDir?: string;
  /** When set, every /api request needs `Authorization: Bearer <apiToken>`. */
  readonly apiToken?: string;
  /** Origins allowed to call /api cross-site; CORS stays off when empty. */
  readonly corsOrigins?: readonly string[];
  /** Host names besides loopback's that requests may name in `Host`. */
  readonly allowedHosts?: readonly string[];
  readonly maxBodyBytes?: number;
  /** How deep request bodies may nest objects and arrays. */
  readonly maxJsonDepth?: number;
  /** The largest document a knowledge base takes, in bytes once decoded. */
  readonly maxDocumentBytes?: number;
}

/**
 * The Vue app and Element Plus load only same-origin bundles; Element Plus and LogicFlow set
 * inline style attributes (positions, sizes, CSS variables), hence 'unsafe-inline' for styles
 * only. Images may be data:/blob: URLs (icons, exported pictures of the canvas).
 */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export function createApp(options: AppOptions) {
  const webDistDir = options.webDistDir ?? defaultWebDistDir();
  const app = new Hono();

  app.use(
    secureHeaders({
      contentSecurityPolicy: CONTENT_SECURITY_POLICY,
      xFrameOptions: 'DENY',
      // The server speaks plain HTTP on loopback; HSTS belongs to the TLS proxy in front of it,
      // and sent from here it could pin `localhost` to HTTPS for every other local tool.
      strictTransportSecurity: false,
    }),
  );

  // Every request, the web app's files too: a rebound name must not even read the app.
  app.use(hostGuard({ allowedHosts: options.allowedHosts ?? [] }));
  const corsOrigins = options.corsOrigins ?? [];
  if (corsOrigins.length > 0) {
    app.use('/api/*', cors({ origin: [...corsOrigins], allowHeaders: ['Authorization', 'Content-Type'], maxAge: 600 }));
  }
  // After CORS, which answers the preflights of allowed origins itself.
  app.use('/api/*', originGuard({ corsOrigins }));
  // Authentication runs before the body limit so that anonymous clients cannot make the server
  // buffer request bodies.
  if (options.apiToken !== undefined) {
    app.use('/api/*', bearerTokenAuth(options.apiToken));
  }
  app.use('/api/*', jsonBodyGuard());
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_SERVER_LIMITS.maxBodyBytes;
  app.use(
    '/api/*',
    requestBodyLimit({
      maxBytes: maxBodyBytes,
      onError: (c) =>
        apiError(c, 413, 'payload_too_large', `The request body exceeds ${maxBodyBytes} bytes, the limit set by LOOMFLOW_MAX_BODY_BYTES.`, { maxBytes: maxBodyBytes }),
    }),
  );
  app.use('/api/*', jsonTextGuard(options.maxJsonDepth ?? DEFAULT_SERVER_LIMITS.maxJsonDepth));

  const api = new Hono()
    .route('/', healthRoutes({ db: options.db, version: options.version ?? serverVersion }))
    .route('/', flowRoutes(options.services))
    .route('/', runRoutes(options.services))
    .route('/', taskRoutes(options.services))
    .route('/', messageRoutes(options.services))
    .route('/', settingsRoutes(options.services))
    .route('/', knowledgeRoutes({ knowledge: options.services.knowledge, maxDocumentBytes: options.maxDocumentBytes ?? DEFAULT_SERVER_LIMITS.maxDocumentBytes }))
    .route('/', openApiRoutes(options.version ?? serverVersion));
  const routes = app.route('/api', api);

  if (hasBuiltWebApp(webDistDir)) mountWebApp(app, webDistDir);

  app.notFound((c) => {
    if (!isApiPath(c.req.path)) return c.text('Not found', 404);
    return apiError(c, 404, 'not_found', `No API route for ${c.req.method} ${c.req.path}.`, {
      method: c.req.method,
      path: c.req.path,
    });
  });

  app.onError((error, c) => {
    // The one place refusals thrown by stores and the run manager become responses.
    if (error instanceof DomainError) return apiError(c, error.status, error.code, error.message, error.details);
    if (error instanceof HTTPException) {
      return apiError(c, error.status as ContentfulStatusCode, codeForStatus(error.status), error.message || 'Request failed.');
    }
    // The stack goes to the operator's log, never to the client.
    console.error(`loomflow: ${c.req.method} ${c.req.path} failed:`, error);
    return apiError(c, 500, 'internal_error', 'The server failed to handle this request.');
  });

  return routes;
}

/** The typed route tree, for `hono/client` in the web app. */
export type AppType = ReturnType<typeof createApp>;

function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 421:
      return 'host_not_allowed';
    default:
      return status >= 500 ? 'internal_error' : 'bad_request';
  }
}
