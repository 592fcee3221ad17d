import { describe, expect, it } from 'vitest';
import { runCli } from '../cli';
import { memoryIo } from '../memory-io';

describe('loomflow serve', () => {
  it('starts the server bundle with the options as its settings', async () => {
    const { io, started } = memoryIo({ '/srv/server.js': '' }, { LOOMFLOW_SERVER_BUNDLE: '/srv/server.js' });
    expect(await runCli(['serve', '--port', '9100', '--host', '127.0.0.1', '--db', 'file:/tmp/x.db'], io)).toBe(0);
    expect(started).toEqual([{ script: '/srv/server.js', env: { LOOMFLOW_PORT: '9100', LOOMFLOW_HOST: '127.0.0.1', LOOMFLOW_DB_URL: 'file:/tmp/x.db' } }]);
  });

  it('leaves unset options to the environment', async () => {
    const { io, started } = memoryIo({ '/srv/server.js': '' }, { LOOMFLOW_SERVER_BUNDLE: '/srv/server.js' });
    expect(await runCli(['serve'], io)).toBe(0);
    expect(started[0]?.env).toEqual({});
  });

  it('says to build first when there is no server bundle', async () => {
    const { io, output, started } = memoryIo({}, { LOOMFLOW_SERVER_BUNDLE: '/nowhere/server.js' });
    expect(await runCli(['serve'], io)).toBe(1);
    expect(output.stderr).toBe('loomflow serve: no server at /nowhere/server.js; run "pnpm build" first\n');
    expect(started).toEqual([]);
  });

  it('refuses a port that is not a number, naming it', async () => {
    const { io, output } = memoryIo({ '/srv/server.js': '' }, { LOOMFLOW_SERVER_BUNDLE: '/srv/server.js' });
    expect(await runCli(['serve', '--port', 'eighty'], io)).toBe(2);
    expect(output.stderr).toContain('--port must be a port number, got "eighty"');
  });
});
