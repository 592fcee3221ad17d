import { describe, expect, it } from 'vitest';
import { validateFlow } from '../validation/validate-flow';
import { mcpServerSchema } from './common';

const at = { x: 0, y: 0 };
const flowWith = (server: unknown) => ({
  schemaVersion: 1,
  id: 'mcp',
  name: 'MCP',
  kind: 'agent',
  state: { channels: [{ name: 'result', type: 'any' }] },
  nodes: [
    { id: 'start', type: 'agent.start', position: at },
    { id: 'tool', type: 'agent.mcp', position: at, config: { server, tool: 'echo' } },
    { id: 'end', type: 'agent.end', position: at },
  ],
  edges: [
    { id: 'e0', source: 'start', target: 'tool' },
    { id: 'e1', source: 'tool', target: 'end' },
  ],
});

describe('MCP server configs', () => {
  it('keeps stdio and http servers valid and accepts registered names', () => {
    expect(mcpServerSchema.parse({ transport: 'stdio', command: 'npx', args: ['server'] })).toEqual({ transport: 'stdio', command: 'npx', args: ['server'], env: {} });
    expect(mcpServerSchema.parse({ transport: 'http', url: 'https://mcp.example.com/mcp' })).toEqual({ transport: 'http', url: 'https://mcp.example.com/mcp', allowHosts: [] });
    expect(mcpServerSchema.parse({ transport: 'http', url: 'http://localhost:3001/mcp', allowHosts: ['localhost:3001'] })).toEqual({ transport: 'http', url: 'http://localhost:3001/mcp', allowHosts: ['localhost:3001'] });
    expect(validateFlow(flowWith({ transport: 'registered', name: 'files.v2' }))).toEqual([]);
    expect(validateFlow(flowWith({ transport: 'stdio', command: 'npx', args: ['my-mcp-server'] }))).toEqual([]);
  });

  it('explains a bad registered name in each language', () => {
    for (const name of ['-files', 'a'.repeat(65), 'with space']) {
      const [en] = validateFlow(flowWith({ transport: 'registered', name }));
      expect(en).toMatchObject({ code: 'invalid-config', nodeId: 'tool' });
      expect(en?.message).toContain('starting with a letter or digit');
      const [zh] = validateFlow(flowWith({ transport: 'registered', name }), { locale: 'zh-CN' });
      expect(zh?.message).toContain('且以字母或数字开头');
    }
  });

  it('takes only http(s) URLs without user info, explained in each language', () => {
    const withUserInfo = ['https://user:secret@mcp.example.com/mcp', 'https://token@mcp.example.com/mcp', 'http:///user:pw@host/', 'http://\\user:pw@host/', 'https://\t/user:pw@host/'];
    for (const url of ['file:///etc/passwd', 'data:text/plain,x', 'ftp://mcp.example.com/', 'ws://mcp.example.com/mcp', 'javascript:alert(1)', ...withUserInfo]) {
      const [en, ...rest] = validateFlow(flowWith({ transport: 'http', url }));
      expect(rest).toEqual([]);
      expect(en).toMatchObject({ code: 'invalid-config', nodeId: 'tool' });
      expect(en?.message).toContain('must be an http:// or https:// address without a user name or password');
      const [zh] = validateFlow(flowWith({ transport: 'http', url }), { locale: 'zh-CN' });
      expect(zh?.message).toContain('必须是不含用户名和密码的 http:// 或 https:// 地址');
    }
  });

  it('takes allowHosts entries the network guard can match, and refuses the rest naming the entry', () => {
    const valid = ['localhost', 'localhost:8080', 'LocalHost:8080', 'localhost.', '127.0.0.1:3000', 'mcp.internal.example', '[::1]:3000', '::1', 'fd00::1', 'my_host.local:443'];
    expect(validateFlow(flowWith({ transport: 'http', url: 'http://localhost:8080/mcp', allowHosts: valid }))).toEqual([]);
    // The URL parser would rewrite these (127.1 is 127.0.0.1, 010.0.0.1 is 8.0.0.1), so no request ever matches them.
    const rewritten = ['127.1', '010.0.0.1', '[0:0:0:0:0:0:0:1]'];
    const long = [':'.repeat(100_000) + 'x', 'a'.repeat(301)];
    for (const entry of ['*', '*.example.com', '10.0.0.0/8', 'localhost:8000-9000', 'localhost:99999', 'localhost:0', ':', 'http://localhost:8080', 'localhost/mcp', 'localhost ', '', ...rewritten, ...long]) {
      const [en, ...rest] = validateFlow(flowWith({ transport: 'http', url: 'http://localhost:8080/mcp', allowHosts: ['localhost', entry] }));
      expect(rest).toEqual([]);
      expect(en).toMatchObject({ code: 'invalid-config', nodeId: 'tool' });
      expect(en?.message).toMatch(/must be a host name or IP address, optionally with ":port"|expected string to have <=300 characters/);
      expect(JSON.stringify(en)).toContain('allowHosts');
      const [zh] = validateFlow(flowWith({ transport: 'http', url: 'http://localhost:8080/mcp', allowHosts: [entry] }), { locale: 'zh-CN' });
      if (entry.length <= 300) expect(zh?.message).toContain('必须是主机名或 IP 地址');
    }
    const [tooMany] = validateFlow(flowWith({ transport: 'http', url: 'http://localhost:8080/mcp', allowHosts: Array.from({ length: 101 }, (_, index) => `host${index}`) }));
    expect(tooMany).toMatchObject({ code: 'invalid-config', nodeId: 'tool' });
  });
});
