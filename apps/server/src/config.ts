// The server's settings come from the environment only, so that `node dist/index.js`, the CLI's
// `serve` and the e2e harness configure it the same way. Defaults are safe: loopback only, no
// CORS, and a token is mandatory as soon as the server is reachable from other machines.
import { DEFAULT_DATABASE_URL } from '@loomflow/checkpoint-libsql';
import { DEFAULT_MAX_JSON_DEPTH } from '@loomflow/graph-schema';
import { DEFAULT_ANSWER_BUDGET, DEFAULT_MAX_MODEL_RESPONSE_BYTES, DEFAULT_RUN_LIMITS, MCP_POOL_DEFAULTS, type RunLimitNames, type RunLimits } from '@loomflow/runtime';
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ANY_HOST } from './request-guard';
import { DEFAULT_MAX_STALLED_RECOVERIES } from './runs/recovery';

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly databaseUrl: string;
  /** When set, every /api request must carry `Authorization: Bearer <apiToken>`. */
  readonly apiToken: string | undefined;
  /** Origins allowed to call /api from another site; empty means no CORS headers at all. */
  readonly corsOrigins: readonly string[];
  /** Host names besides loopback's that requests may name in `Host` (LOOMFLOW_ALLOWED_HOSTS). */
  readonly allowedHosts: readonly string[];
  readonly limits: ServerLimits;
  /** The built web app (apps/web/dist). */
  readonly webDistDir: string;
  /** LOOMFLOW_SECRET_KEY: encrypts provider API keys stored in the database (settings/secret-box.ts). */
  readonly secretKey: string | undefined;
  /** LOOMFLOW_RUN_LEASE_MS: how long a run stays this process's without renewal; unset = the run manager's default. */
  readonly runLeaseMs: number | undefined;
  /** LOOMFLOW_MAX_CONCURRENT_RUNS: runs executing at once in this process, the rest wait as `queued`; unset = the run manager's default. */
  readonly maxConcurrentRuns: number | undefined;
  /** LOOMFLOW_CODE_WORKERS: worker threads for code nodes; unset = the services' default. */
  readonly codeWorkers: number | undefined;
  /** LOOMFLOW_RUN_WORKERS: worker threads that execute runs, 0 = on the HTTP thread; unset = one fewer than the cores, from one to four (none with an in-memory database). */
  readonly runWorkers: number | undefined;
  /** LOOMFLOW_CODE_QUEUE / LOOMFLOW_CODE_QUEUE_WAIT_MS: code calls waiting for a worker, and for how long; unset = the pool's defaults. */
  readonly codeQueue: { readonly maxQueued: number | undefined; readonly maxWaitMs: number | undefined };
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** Every size and time limit of the server, each set by the variable in LIMIT_VARIABLES. */
export interface ServerLimits extends RunLimits {
  readonly maxBodyBytes: number;
  readonly maxJsonDepth: number;
  /** The largest document a knowledge base takes, decoded; its base64 must also fit the body limit. */
  readonly maxDocumentBytes: number;
  /** The largest single message an MCP server may send (an HTTP answer, an SSE event, a stdio line). */
  readonly maxMcpMessageBytes: number;
  /** Takeovers in a row that may find a run no further (the process died in its step) before it fails. */
  readonly maxStalledRecoveries: number;
  /** The largest answer a model's or an embedding model's provider may send. */
  readonly maxModelResponseBytes: number;
  /** The bytes all MCP and model answers being read at once may hold. */
  readonly answerBudgetBytes: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  ...DEFAULT_RUN_LIMITS,
  maxBodyBytes: 5 * 1024 * 1024,
  maxJsonDepth: DEFAULT_MAX_JSON_DEPTH,
  // In base64 (4/3 larger) this still fits the default body limit.
  maxDocumentBytes: 3 * 1024 * 1024,
  maxMcpMessageBytes: MCP_POOL_DEFAULTS.maxMessageBytes,
  maxStalledRecoveries: DEFAULT_MAX_STALLED_RECOVERIES,
  maxModelResponseBytes: DEFAULT_MAX_MODEL_RESPONSE_BYTES,
  answerBudgetBytes: DEFAULT_ANSWER_BUDGET.maxBytes,
  // A server's runs hold slots other runs wait for: none may go on unwatched for ever.
  defaultRunTimeoutMs: 10 * 60 * 1000,
  maxRunTimeoutMs: 60 * 60 * 1000,
  maxRecursionLimit: 25_000,
};

export const LIMIT_VARIABLES = {
  maxBodyBytes: 'LOOMFLOW_MAX_BODY_BYTES',
  maxJsonDepth: 'LOOMFLOW_MAX_JSON_DEPTH',
  maxDocumentBytes: 'LOOMFLOW_MAX_DOCUMENT_BYTES',
  maxMcpMessageBytes: 'LOOMFLOW_MAX_MCP_MESSAGE_BYTES',
  maxStalledRecoveries: 'LOOMFLOW_MAX_STALLED_RECOVERIES',
  maxModelResponseBytes: 'LOOMFLOW_MAX_MODEL_RESPONSE_BYTES',
  answerBudgetBytes: 'LOOMFLOW_ANSWER_BUDGET_BYTES',
  maxNodeOutputBytes: 'LOOMFLOW_MAX_NODE_OUTPUT_BYTES',
  maxStateBytes: 'LOOMFLOW_MAX_STATE_BYTES',
  maxRecursionLimit: 'LOOMFLOW_MAX_RECURSION_LIMIT',
  eventValuePreviewBytes: 'LOOMFLOW_VALUE_PREVIEW_BYTES',
  defaultRunTimeoutMs: 'LOOMFLOW_RUN_TIMEOUT_MS',
  maxRunTimeoutMs: 'LOOMFLOW_MAX_RUN_TIMEOUT_MS',
  maxLoopIterations: 'LOOMFLOW_MAX_LOOP_ITERATIONS',
  maxRunEvents: 'LOOMFLOW_MAX_RUN_EVENTS',
} as const satisfies Record<keyof ServerLimits, string> & RunLimitNames;

/** A setting that the server must not start with; the message is meant for the operator. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8787;
/** Shorter secrets are guessable from a copy of the database; `openssl rand -base64 32` gives 44. */
export const MIN_SECRET_KEY_LENGTH = 32;
/** An API token is all that stands between the network and the API: too short to guess, then. */
export const MIN_API_TOKEN_LENGTH = 32;

/**
 * Both the bundle (apps/server/dist/index.js) and the sources (apps/server/src/*.ts) sit one
 * directory below apps/server, so the same relative path finds apps/web/dist from either.
 * Resolved on use: the web app's DOM tests import this module with an import.meta.url that is
 * not a file URL, and they always pass their own web folder.
 */
export function defaultWebDistDir(): string {
  return fileURLToPath(new URL('../../web/dist', import.meta.url));
}

export function loadConfig(env: Environment): ServerConfig {
  const host = nonEmpty(env.LOOMFLOW_HOST) ?? DEFAULT_HOST;
  const apiToken = nonEmpty(env.LOOMFLOW_API_TOKEN);
  if (!isLoopbackHost(host) && apiToken === undefined) {
    throw new ConfigError(
      `LOOMFLOW_HOST=${host} makes the server reachable from other machines, which requires an API token. ` +
        'Set LOOMFLOW_API_TOKEN to a long random secret, or listen on 127.0.0.1.',
    );
  }
  if (apiToken !== undefined && apiToken.length < MIN_API_TOKEN_LENGTH) {
    // The length only: the value itself must never reach a log.
    throw new ConfigError(
      `LOOMFLOW_API_TOKEN must be at least ${MIN_API_TOKEN_LENGTH} characters long (it has ${apiToken.length}). Generate one with "openssl rand -base64 32".`,
    );
  }
  const allowedHosts = commaList(env.LOOMFLOW_ALLOWED_HOSTS).map((name) => name.toLowerCase());
  if (allowedHosts.includes(ANY_HOST) && apiToken === undefined) {
    throw new ConfigError(`LOOMFLOW_ALLOWED_HOSTS=${ANY_HOST} lets any web page rebind a name to this server; it needs LOOMFLOW_API_TOKEN.`);
  }
  if (isWildcardAddress(host) && allowedHosts.length === 0) {
    throw new ConfigError(
      `LOOMFLOW_HOST=${host} listens on every address; set LOOMFLOW_ALLOWED_HOSTS to the host names clients use to reach it (e.g. "loomflow.example.com,10.0.0.5"), or "${ANY_HOST}".`,
    );
  }
  // The address the server is bound to is a name clients may use.
  if (!isWildcardAddress(host) && !isLoopbackHost(host)) allowedHosts.push(host.toLowerCase().includes(':') && !host.startsWith('[') ? `[${host.toLowerCase()}]` : host.toLowerCase());
  const databaseUrl = nonEmpty(env.LOOMFLOW_DB_URL) ?? DEFAULT_DATABASE_URL;
  const runWorkers = parseCount('LOOMFLOW_RUN_WORKERS', nonEmpty(env.LOOMFLOW_RUN_WORKERS), 0);
  // An in-memory database is one per connection: runs stay where the server's own connection is.
  const inMemory = isInMemoryDatabase(databaseUrl);
  if (inMemory && runWorkers !== undefined && runWorkers > 0) {
    throw new ConfigError(`LOOMFLOW_RUN_WORKERS=${runWorkers} needs a database the workers can open too; LOOMFLOW_DB_URL=${databaseUrl} is one per connection. Use a file or sqld, or LOOMFLOW_RUN_WORKERS=0.`);
  }
  return {
    host,
    port: parsePort(nonEmpty(env.LOOMFLOW_PORT) ?? nonEmpty(env.PORT)),
    databaseUrl,
    apiToken,
    corsOrigins: commaList(env.LOOMFLOW_CORS_ORIGINS),
    allowedHosts,
    limits: parseLimits(env),
    webDistDir: nonEmpty(env.LOOMFLOW_WEB_DIST) ?? defaultWebDistDir(),
    secretKey: parseSecretKey(nonEmpty(env.LOOMFLOW_SECRET_KEY)),
    runLeaseMs: parseCount('LOOMFLOW_RUN_LEASE_MS', nonEmpty(env.LOOMFLOW_RUN_LEASE_MS), MIN_RUN_LEASE_MS),
    maxConcurrentRuns: parseCount('LOOMFLOW_MAX_CONCURRENT_RUNS', nonEmpty(env.LOOMFLOW_MAX_CONCURRENT_RUNS), 1),
    codeWorkers: parseCount('LOOMFLOW_CODE_WORKERS', nonEmpty(env.LOOMFLOW_CODE_WORKERS), 1),
    runWorkers: runWorkers ?? (inMemory ? 0 : undefined),
    codeQueue: {
      maxQueued: parseCount('LOOMFLOW_CODE_QUEUE', nonEmpty(env.LOOMFLOW_CODE_QUEUE), 0),
      maxWaitMs: parseCount('LOOMFLOW_CODE_QUEUE_WAIT_MS', nonEmpty(env.LOOMFLOW_CODE_QUEUE_WAIT_MS), 1),
    },
  };
}

/** `:memory:` (with or without `file:`): a database of its own per connection, so per thread. */
function isInMemoryDatabase(url: string): boolean {
  return /^(file:)?:memory:/.test(url) || url === 'file:';
}

function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function isWildcardAddress(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

function parseLimits(env: Environment): ServerLimits {
  const limits: { -readonly [Limit in keyof ServerLimits]: number } = { ...DEFAULT_SERVER_LIMITS };
  for (const limit of Object.keys(LIMIT_VARIABLES) as (keyof ServerLimits)[]) {
    const value = parseCount(LIMIT_VARIABLES[limit], nonEmpty(env[LIMIT_VARIABLES[limit]]), 1);
    if (value !== undefined) limits[limit] = value;
  }
  if (limits.defaultRunTimeoutMs > limits.maxRunTimeoutMs) {
    throw new ConfigError(
      `LOOMFLOW_RUN_TIMEOUT_MS (${limits.defaultRunTimeoutMs}) must not be larger than LOOMFLOW_MAX_RUN_TIMEOUT_MS (${limits.maxRunTimeoutMs}).`,
    );
  }
  return limits;
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare.toLowerCase().startsWith('::ffff:127.');
  return false;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new ConfigError(`LOOMFLOW_PORT/PORT must be a port number between 0 and 65535, got "${value}".`);
  }
  return port;
}

/** Shorter leases would expire between two renewals on a busy machine (renewal: every third of it). */
export const MIN_RUN_LEASE_MS = 300;

function parseCount(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < min || !Number.isSafeInteger(count)) throw new ConfigError(`${name} must be a whole number of at least ${min}, got "${value}".`);
  return count;
}

function parseSecretKey(value: string | undefined): string | undefined {
  if (value !== undefined && value.length < MIN_SECRET_KEY_LENGTH) {
    // The length only: the value itself must never reach a log.
    throw new ConfigError(
      `LOOMFLOW_SECRET_KEY must be at least ${MIN_SECRET_KEY_LENGTH} characters long (it has ${value.length}). Generate one with "openssl rand -base64 32".`,
    );
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === '' ? undefined : trimmed;
}
