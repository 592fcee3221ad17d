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
});
