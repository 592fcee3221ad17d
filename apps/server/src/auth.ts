import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { apiError } from './errors';

/**
 * Requires `Authorization: Bearer <token>`. Both sides are hashed first so that the comparison
 * runs in constant time over equal-length buffers and leaks neither content nor length.
 */
export function bearerTokenAuth(expectedToken: string): MiddlewareHandler {
  const expectedDigest = sha256(expectedToken);
  return async (c, next) => {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '')?.[1];
    if (presented === undefined || !timingSafeEqual(sha256(presented), expectedDigest)) {
      c.header('WWW-Authenticate', 'Bearer realm="loomflow"');
      return apiError(c, 401, 'unauthorized', 'A valid API token is required: send "Authorization: Bearer <token>".');
    }
    await next();
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
