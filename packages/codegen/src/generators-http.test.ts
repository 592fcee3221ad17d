// The project's src/http.ts carries the runtime's network guard written out (generators-http.ts
// says why it cannot import it). Both must judge every address and allow list alike: the
// generated module is loaded here and compared with the runtime's on the same inputs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The runtime's guard is not part of its public API; only this comparison reaches into it.
import { classifyAddress, isAllowedHost } from '../../runtime/src/executors/network-guard';
import { generateProject } from './index';

interface Guard {
  readonly classifyAddress: typeof classifyAddress;
  readonly isAllowedHost: typeof isAllowedHost;
}

const at = { x: 0, y: 0 };
let folder: string;
let generated: Guard;

beforeAll(async () => {
  const files = await generateProject({
    schemaVersion: 1,
    id: 'fetch',
    name: 'Fetch',
    kind: 'agent',
    state: { channels: [{ name: 'response', type: 'object' }] },
    nodes: [
      { id: 'start', type: 'agent.start', position: at },
      { id: 'get', type: 'agent.http', position: at, config: { url: 'https://example.com/', output: 'response' } },
      { id: 'end', type: 'agent.end', position: at },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'get' },
      { id: 'e2', source: 'get', target: 'end' },
    ],
  });
  // Inside the package, so that undici and ipaddr.js resolve from its node_modules.
  folder = mkdtempSync(join(import.meta.dirname, '../.http-guard-'));
  writeFileSync(join(folder, 'http.ts'), files['src/http.ts'] as string);
  generated = (await import(join(folder, 'http.ts'))) as Guard;
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("the generated project's network guard", () => {
  it.each([
    '8.8.8.8', '2606:4700::1111', '127.0.0.1', '::1', '0.0.0.0', '::', '10.0.0.7', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1',
    '192.0.2.1', '224.0.0.1', '255.255.255.255', 'fe80::1', 'fc00::1', 'ff02::1', '2001:db8::1', '::ffff:127.0.0.1', '::ffff:8.8.8.8', '64:ff9b::a00:1',
    '64:ff9b:1::7f00:1', '2002:7f00:1::1', '::127.0.0.1', '::8.8.8.8', 'localhost', '0x7f.1', '',
  ])('judges %j as the runtime does', (address) => {
    expect(generated.classifyAddress(address)).toEqual(classifyAddress(address));
  });

  it.each<[{ hostname: string; port: string; protocol: string }, string[]]>([
    [{ hostname: '127.0.0.1', port: '8080', protocol: 'http:' }, ['127.0.0.1:8080']],
    [{ hostname: '127.0.0.1', port: '8080', protocol: 'http:' }, ['127.0.0.1:9090']],
    [{ hostname: 'intranet', port: '', protocol: 'https:' }, ['intranet:443']],
    [{ hostname: '[::1]', port: '', protocol: 'http:' }, ['::1']],
    [{ hostname: 'Example.COM', port: '', protocol: 'http:' }, ['example.com']],
  ])('allows %j with %j as the runtime does', (origin, allowHosts) => {
    expect(generated.isAllowedHost(origin, allowHosts)).toBe(isAllowedHost(origin, allowHosts));
  });
});
