import { fileURLToPath } from 'node:url';

/**
 * The server `pnpm build` bundles. This file sits one folder below apps/cli, as the CLI's own
 * bundle (dist/index.js) does, so the same relative path finds apps/server/dist from either.
 */
export function defaultServerBundle(): string {
  return fileURLToPath(new URL('../../server/dist/index.js', import.meta.url));
}
