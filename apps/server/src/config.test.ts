import { describe, expect, it } from 'vitest';
import { DEFAULT_DATABASE_URL } from '@loomflow/checkpoint-libsql';
import { ConfigError, DEFAULT_SERVER_LIMITS, defaultWebDistDir, isLoopbackHost, loadConfig } from './config';

const TOKEN = 'a-token-of-forty-four-characters-0123456789';

describe('loadConfig', () => {
  it('defaults to loopback, port 8787, a local file database, no token and no CORS', () => {
    expect(loadConfig({})).toEqual({
      host: '127.0.0.1',
      port: 8787,
      databaseUrl: DEFAULT_DATABASE_URL,
      apiToken: undefined,
      corsOrigins: [],
      allowedHosts: [],
      limits: DEFAULT_SERVER_LIMITS,
      codeQueue: { maxQueued: undefined, maxWaitMs: undefined },
      webDistDir: defaultWebDistDir(),
    });
    expect(defaultWebDistDir()).toMatch(/apps[/\\]web[/\\]dist$/);
  });

  it('reads every setting from the environment', () => {
    const config = loadConfig({
      LOOMFLOW_HOST: '0.0.0.0',
      LOOMFLOW_PORT: '9000',
      LOOMFLOW_DB_URL: 'file:/var/lib/loomflow.db',
      LOOMFLOW_API_TOKEN: TOKEN,
      LOOMFLOW_CORS_ORIGINS: 'https://a.example, https://b.example ,',
      LOOMFLOW_ALLOWED_HOSTS: 'Loomflow.example.com, 10.0.0.5',
      LOOMFLOW_WEB_DIST: '/srv/web',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      databaseUrl: 'file:/var/lib/loomflow.db',
      apiToken: TOKEN,
      corsOrigins: ['https://a.example', 'https://b.example'],
      allowedHosts: ['loomflow.example.com', '10.0.0.5'],
      webDistDir: '/srv/web',
    });
  });

  it('reads the run lease, the run capacity and the number of code workers, refusing values that cannot work', () => {
    expect(loadConfig({ LOOMFLOW_RUN_LEASE_MS: '5000', LOOMFLOW_CODE_WORKERS: '4', LOOMFLOW_MAX_CONCURRENT_RUNS: '3' })).toMatchObject({ runLeaseMs: 5000, codeWorkers: 4, maxConcurrentRuns: 3 });
    expect(loadConfig({})).toMatchObject({ runLeaseMs: undefined, maxConcurrentRuns: undefined, codeWorkers: undefined, codeQueue: { maxQueued: undefined, maxWaitMs: undefined } });
    expect(loadConfig({ LOOMFLOW_CODE_QUEUE: '0', LOOMFLOW_CODE_QUEUE_WAIT_MS: '2000' }).codeQueue).toEqual({ maxQueued: 0, maxWaitMs: 2000 });
    expect(() => loadConfig({ LOOMFLOW_RUN_LEASE_MS: '100' })).toThrow(/LOOMFLOW_RUN_LEASE_MS must be a whole number of at least 300/);
    expect(() => loadConfig({ LOOMFLOW_CODE_WORKERS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOOMFLOW_CODE_WORKERS: 'two' })).toThrow(/LOOMFLOW_CODE_WORKERS/);
    expect(() => loadConfig({ LOOMFLOW_MAX_CONCURRENT_RUNS: '0' })).toThrow(/LOOMFLOW_MAX_CONCURRENT_RUNS must be a whole number of at least 1/);
  });

  it('reads how many worker threads execute runs; 0 keeps them on the HTTP thread', () => {
    expect(loadConfig({}).runWorkers).toBeUndefined();
    expect(loadConfig({ LOOMFLOW_RUN_WORKERS: '0' }).runWorkers).toBe(0);
    expect(loadConfig({ LOOMFLOW_RUN_WORKERS: '3' }).runWorkers).toBe(3);
    expect(() => loadConfig({ LOOMFLOW_RUN_WORKERS: '-1' })).toThrow(/LOOMFLOW_RUN_WORKERS must be a whole number of at least 0/);
    expect(loadConfig({ LOOMFLOW_DB_URL: ':memory:', LOOMFLOW_RUN_WORKERS: '0' }).runWorkers).toBe(0);
    expect(loadConfig({ LOOMFLOW_DB_URL: ':memory:' }).runWorkers).toBe(0);
    expect(() => loadConfig({ LOOMFLOW_DB_URL: 'file::memory:', LOOMFLOW_RUN_WORKERS: '1' })).toThrow(/LOOMFLOW_RUN_WORKERS=1 needs a database the workers can open too/);
  });

  it('takes PORT when LOOMFLOW_PORT is not set, as hosting platforms provide it', () => {
    expect(loadConfig({ PORT: '3000' }).port).toBe(3000);
    expect(loadConfig({ PORT: '3000', LOOMFLOW_PORT: '4000' }).port).toBe(4000);
  });

  it.each(['0.0.0.0', '::', '192.168.1.10', 'loomflow.example.com'])('refuses to listen on %s without a token', (host) => {
    expect(() => loadConfig({ LOOMFLOW_HOST: host })).toThrow(ConfigError);
    expect(() => loadConfig({ LOOMFLOW_HOST: host, LOOMFLOW_API_TOKEN: '   ' })).toThrow(/LOOMFLOW_API_TOKEN/);
  });

  it('accepts a non-loopback host with a token, and answers to the name it is bound to', () => {
    expect(loadConfig({ LOOMFLOW_HOST: '0.0.0.0', LOOMFLOW_API_TOKEN: TOKEN, LOOMFLOW_ALLOWED_HOSTS: '*' }).host).toBe('0.0.0.0');
    expect(loadConfig({ LOOMFLOW_HOST: '192.168.1.10', LOOMFLOW_API_TOKEN: TOKEN }).allowedHosts).toEqual(['192.168.1.10']);
    expect(loadConfig({ LOOMFLOW_HOST: 'fd00::5', LOOMFLOW_API_TOKEN: TOKEN }).allowedHosts).toEqual(['[fd00::5]']);
  });

  it('refuses a token shorter than 32 characters without printing it', () => {
    const short = 'secret-but-short';
    expect(() => loadConfig({ LOOMFLOW_API_TOKEN: short })).toThrow(/LOOMFLOW_API_TOKEN must be at least 32 characters long \(it has 16\)/);
    try {
      loadConfig({ LOOMFLOW_API_TOKEN: short });
    } catch (error) {
      expect(String(error)).not.toContain(short);
    }
  });

  it('wants the host names clients use when listening on every address, and a token to allow any', () => {
    expect(() => loadConfig({ LOOMFLOW_HOST: '0.0.0.0', LOOMFLOW_API_TOKEN: TOKEN })).toThrow(/LOOMFLOW_ALLOWED_HOSTS/);
    expect(() => loadConfig({ LOOMFLOW_ALLOWED_HOSTS: '*' })).toThrow(/needs LOOMFLOW_API_TOKEN/);
  });

  it('reads every limit, refusing values that cannot work', () => {
    const limits = loadConfig({
      LOOMFLOW_MAX_BODY_BYTES: '1000',
      LOOMFLOW_MAX_JSON_DEPTH: '10',
      LOOMFLOW_MAX_DOCUMENT_BYTES: '800',
      LOOMFLOW_MAX_MCP_MESSAGE_BYTES: '900',
      LOOMFLOW_MAX_STALLED_RECOVERIES: '5',
      LOOMFLOW_MAX_MODEL_RESPONSE_BYTES: '7000',
      LOOMFLOW_ANSWER_BUDGET_BYTES: '8000',
      LOOMFLOW_MAX_NODE_OUTPUT_BYTES: '2000',
      LOOMFLOW_MAX_STATE_BYTES: '3000',
      LOOMFLOW_MAX_RECURSION_LIMIT: '400',
      LOOMFLOW_VALUE_PREVIEW_BYTES: '500',
      LOOMFLOW_RUN_TIMEOUT_MS: '600',
      LOOMFLOW_MAX_RUN_TIMEOUT_MS: '700',
      LOOMFLOW_MAX_LOOP_ITERATIONS: '50',
      LOOMFLOW_MAX_RUN_EVENTS: '60',
    }).limits;
    expect(limits).toEqual({
      maxBodyBytes: 1000,
      maxJsonDepth: 10,
      maxDocumentBytes: 800,
      maxMcpMessageBytes: 900,
      maxStalledRecoveries: 5,
      maxModelResponseBytes: 7000,
      answerBudgetBytes: 8000,
      maxNodeOutputBytes: 2000,
      maxStateBytes: 3000,
      maxRecursionLimit: 400,
      eventValuePreviewBytes: 500,
      defaultRunTimeoutMs: 600,
      maxRunTimeoutMs: 700,
      maxLoopIterations: 50,
      maxRunEvents: 60,
    });
    expect(loadConfig({}).limits.maxLoopIterations).toBe(1000);
    expect(loadConfig({}).limits.maxRunEvents).toBe(250_000);
    expect(() => loadConfig({ LOOMFLOW_MAX_STATE_BYTES: 'lots' })).toThrow(/LOOMFLOW_MAX_STATE_BYTES must be a whole number/);
    expect(() => loadConfig({ LOOMFLOW_RUN_TIMEOUT_MS: '5000', LOOMFLOW_MAX_RUN_TIMEOUT_MS: '1000' })).toThrow(/must not be larger than LOOMFLOW_MAX_RUN_TIMEOUT_MS/);
  });

  it.each(['http', '-1', '65536', '80.5'])('rejects the port "%s"', (port) => {
    expect(() => loadConfig({ LOOMFLOW_PORT: port })).toThrow(ConfigError);
  });

  it('accepts port 0, which lets the OS choose', () => {
    expect(loadConfig({ LOOMFLOW_PORT: '0' }).port).toBe(0);
  });
});

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.8.9.10', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'localhost.example.com', '::ffff:10.0.0.1'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});
