// What keeps other web pages out of a server that answers on loopback without a token. A browser
// lets any site send "simple" requests (GET, and POST with a form or text body) to 127.0.0.1, and
// a DNS-rebinding attacker's page can even read the answers, under its own host name. So:
// - a request must name this server in `Host` (rebinding sends the attacker's name);
// - a request from a page of another origin is refused unless that origin is allowed for CORS;
// - a state-changing request must declare a JSON body, which no form or simple request can do
//   cross-site without a CORS preflight that this server does not grant.
import type { MiddlewareHandler } from 'hono';
import { findJsonDepthExcess, findJsonSyntaxError, locationOf } from '@loomflow/graph-schema';
import { apiError } from './errors';

export interface RequestGuardOptions {
  /** Host names (without port) this server answers to; loopback names are always allowed. */
  readonly allowedHosts: readonly string[];
  /** Origins allowed to call /api from another site (LOOMFLOW_CORS_ORIGINS). */
  readonly corsOrigins: readonly string[];
}

/** The names a loopback server is reached by from the same machine. */
const LOOPBACK_HOST_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** LOOMFLOW_ALLOWED_HOSTS entry that lets every host name through (only with an API token). */
export const ANY_HOST = '*';

/** Lower-cased host name of a URL's host, brackets kept for IPv6 (as URL.hostname gives it). */
function hostNameOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function hasUserInfo(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}

/** Refuses requests whose `Host` is not one of this server's names (DNS rebinding). */
export function hostGuard(options: Pick<RequestGuardOptions, 'allowedHosts'>): MiddlewareHandler {
  const allowed = new Set([...LOOPBACK_HOST_NAMES, ...options.allowedHosts.map((host) => host.toLowerCase())]);
  const anyHost = allowed.has(ANY_HOST);
  return async (c, next) => {
    // Node's server builds the request URL from the Host header, so its host name is the one the
    // client asked for.
    const hostName = hostNameOf(c.req.url);
    // Only a request line in absolute form can carry them; the Request such a URL makes is refused later as a 500.
    if (hasUserInfo(c.req.url)) return apiError(c, 400, 'bad_request', 'The request URL may not carry a user name or password.');
    if (!anyHost && (hostName === undefined || !allowed.has(hostName))) {
      return apiError(
        c,
        421,
        'host_not_allowed',
        `This server does not answer to the host name "${hostName ?? ''}". If that name is yours, add it to LOOMFLOW_ALLOWED_HOSTS.`,
        { host: hostName ?? null },
      );
    }
    await next();
  };
}

/**
 * Refuses /api requests made by pages of other origins: `Origin` names another origin than the
 * request's own, or `Sec-Fetch-Site` says the request is cross-site or same-site (another port of
 * localhost is the same site, but another origin), unless CORS allows that origin.
 */
export function originGuard(options: Pick<RequestGuardOptions, 'corsOrigins'>): MiddlewareHandler {
  const corsOrigins = new Set(options.corsOrigins);
  return async (c, next) => {
    const origin = c.req.header('Origin');
    const fetchSite = c.req.header('Sec-Fetch-Site');
    const allowedByCors = origin !== undefined && corsOrigins.has(origin);
    const ownHost = new URL(c.req.url).host;
    const foreignOrigin = origin !== undefined && !sameHost(origin, ownHost);
    const foreignSite = fetchSite === 'cross-site' || fetchSite === 'same-site';
    if ((foreignOrigin || foreignSite) && !allowedByCors) {
      return apiError(
        c,
        403,
        'cross_origin_refused',
        `Requests from other web pages are refused (Origin: ${origin ?? 'none'}, Sec-Fetch-Site: ${fetchSite ?? 'none'}). To allow an origin, add it to LOOMFLOW_CORS_ORIGINS.`,
        { origin: origin ?? null, secFetchSite: fetchSite ?? null },
      );
    }
    await next();
  };
}

/** Compares hosts only: behind a TLS proxy the page is https while this server sees http. */
function sameHost(origin: string, ownHost: string): boolean {
  try {
    return new URL(origin).host === ownHost;
  } catch {
    // `null` (sandboxed frames, file: pages) and garbage are never this server.
    return false;
  }
}

const STATE_CHANGING_METHODS = new Set(['POST', 'PUT', 'PATCH']);

function isJsonMediaType(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json';
}

/** POST, PUT and PATCH must declare a JSON body, even an empty one (see the file comment). */
export function jsonBodyGuard(): MiddlewareHandler {
  return async (c, next) => {
    if (STATE_CHANGING_METHODS.has(c.req.method) && !isJsonMediaType(c.req.header('Content-Type'))) {
      return apiError(
        c,
        415,
        'unsupported_media_type',
        `${c.req.method} requests must send "Content-Type: application/json" (even without a body); got ${c.req.header('Content-Type') ?? 'none'}.`,
        { contentType: c.req.header('Content-Type') ?? null },
      );
    }
    await next();
  };
}

/**
 * Refuses JSON bodies nested deeper than `maxDepth` before they are parsed into objects (see
 * graph-schema's json-depth.ts for why), and bodies that are not JSON, at the line and column
 * where they stop being JSON (the validator's own parse says only "Malformed JSON"). An empty body
 * passes: routes without input take one. The text stays cached on the request for the handler.
 */
export function jsonTextGuard(maxDepth: number): MiddlewareHandler {
  return async (c, next) => {
    if (STATE_CHANGING_METHODS.has(c.req.method) && isJsonMediaType(c.req.header('Content-Type'))) {
      const text = await c.req.text();
      const syntaxError = text.trim() === '' ? undefined : findJsonSyntaxError(text);
      if (syntaxError !== undefined) {
        const { line, column } = locationOf(text, syntaxError);
        return apiError(c, 400, 'invalid_json', `The request body is not valid JSON at line ${line}, column ${column}.`, { line, column, offset: syntaxError });
      }
      const excess = findJsonDepthExcess(text, maxDepth);
      if (excess !== undefined) {
        return apiError(
          c,
          400,
          'json_too_deep',
          `The request body nests objects and arrays more than ${maxDepth} levels deep (at character ${excess.offset}); the limit is LOOMFLOW_MAX_JSON_DEPTH.`,
          { maxDepth, offset: excess.offset },
        );
      }
    }
    await next();
  };
}
