// Serves the built single-page app: its files as they are, and index.html for every other page
// URL, because the router runs in history mode (/flows/abc is a page, not a file).
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Vite puts content-hashed bundles under /assets, so a changed file always gets a new URL. */
const IMMUTABLE_ASSET = /^\/assets\//;

export function hasBuiltWebApp(webDistDir: string): boolean {
  return existsSync(join(webDistDir, 'index.html'));
}

export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

export function mountWebApp(app: Hono, webDistDir: string): void {
  const serveFiles = withCacheControl(serveStatic({ root: webDistDir }), (path) =>
    IMMUTABLE_ASSET.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
  );
  const serveIndex = withCacheControl(serveStatic({ path: join(webDistDir, 'index.html') }), () => 'no-cache');

  // Browsers ask for /favicon.ico on their own; answer with the app's SVG icon instead of a 404.
  app.get('/favicon.ico', serveStatic({ path: join(webDistDir, 'favicon.svg') }));
  app.get('*', outsideApi(serveFiles));
  app.get('*', outsideApi(async (c, next) => (acceptsHtml(c) ? serveIndex(c, next) : next())));
}

function outsideApi(handler: MiddlewareHandler): MiddlewareHandler {
  return async (c, next) => (isApiPath(c.req.path) ? next() : handler(c, next));
}

/** Sets Cache-Control on the files `serveFile` answers with; its fall-throughs stay untouched. */
function withCacheControl(serveFile: MiddlewareHandler, cacheControl: (path: string) => string): MiddlewareHandler {
  return async (c, next) => {
    const result = await serveFile(c, next);
    // A fall-through resolves to whatever `next` produced, not to a file response.
    if (result instanceof Response) result.headers.set('Cache-Control', cacheControl(c.req.path));
    return result;
  };
}

/**
 * Only requests for an HTML page fall back to index.html. A missing script or image must stay a
 * 404: answering it with HTML would surface as a confusing MIME-type error in the browser.
 */
function acceptsHtml(c: Context): boolean {
  return (c.req.header('Accept') ?? '').includes('text/html');
}
