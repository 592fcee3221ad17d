import { DEFAULT_DATABASE_URL } from '@loomflow/checkpoint-libsql';
import { ExitCode, UsageError, parseCommandArgs, type Command } from '../command';
import { defaultServerBundle } from '../server-bundle';

const usage = `Usage: loomflow serve [--port N] [--host H] [--db URL]

Starts the Loomflow server: the designer and the JSON API, in the foreground until Ctrl-C. The
options are the server's LOOMFLOW_PORT, LOOMFLOW_HOST and LOOMFLOW_DB_URL; every other setting
(LOOMFLOW_API_TOKEN, LOOMFLOW_ALLOWED_HOSTS, limits, …) is read from the environment as
docs/http-api.md describes. Without an API token the server listens on loopback only.

Options:
  --port N      Port to listen on (default 8787; 0 picks a free one)
  --host H      Address to listen on (default 127.0.0.1)
  --db URL      libsql database (default: ${DEFAULT_DATABASE_URL})
  -h, --help    Show this help

The server is the one \`pnpm build\` bundles (apps/server/dist/index.js; LOOMFLOW_SERVER_BUNDLE
names another).

Exit codes: the server's own: 0 after Ctrl-C or SIGTERM, 1 when it cannot start; 2 usage error
`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Start the server: the designer and the API',
  usage,
  async run(args, io) {
    const { values } = parseCommandArgs({
      args: [...args],
      options: { port: { type: 'string' }, host: { type: 'string' }, db: { type: 'string' } },
      allowPositionals: false,
      strict: true,
    });
    if (values.port !== undefined && !/^\d{1,5}$/.test(values.port)) throw new UsageError(`--port must be a port number, got "${values.port}"`);
    if (values.host !== undefined && values.host.trim() === '') throw new UsageError('--host must name an address');
    const bundle = io.env.LOOMFLOW_SERVER_BUNDLE ?? defaultServerBundle();
    if (!io.exists(bundle)) {
      io.stderr(`loomflow serve: no server at ${bundle}; run "pnpm build" first\n`);
      return ExitCode.invalidInput;
    }
    // The server reads its settings from the environment only; the options become those settings.
    return io.runNode(bundle, {
      ...(values.port === undefined ? {} : { LOOMFLOW_PORT: values.port }),
      ...(values.host === undefined ? {} : { LOOMFLOW_HOST: values.host }),
      ...(values.db === undefined ? {} : { LOOMFLOW_DB_URL: values.db }),
    });
  },
};
