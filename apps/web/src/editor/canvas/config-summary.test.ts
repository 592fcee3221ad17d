import { describe, expect, it } from 'vitest';
import { configSummary } from './config-summary';

describe('configSummary', () => {
  it.each([
    ['agent.llm', { model: { model: 'qwen-max' } }, 'qwen-max'],
    ['agent.http', { method: 'DELETE', url: 'https://api.example.com/x' }, 'DELETE https://api.example.com/x'],
    ['agent.http', { url: 'https://api.example.com/x' }, 'GET https://api.example.com/x'],
    ['agent.router', { intents: [{ id: 'refund' }, { id: 'technical' }] }, 'refund · technical'],
    ['agent.template', { template: 'Hello {{name}}\nBye' }, 'Hello {{name}}'],
    ['agent.assign', { assignments: [{ key: 'count', value: 'count + 1' }, { key: 'done', value: 'true' }] }, 'count · done'],
    ['agent.map', { items: 'orders', node: 'price' }, 'orders → price'],
    ['agent.tools', { tools: [{ kind: 'http', name: 'weather' }, { kind: 'mcp', server: { transport: 'stdio', command: 'npx' } }] }, 'weather · npx'],
    ['agent.tools', { tools: [{ kind: 'mcp', server: { transport: 'registered', name: 'files' } }] }, 'files'],
  ])('sums up %s %j as %s', (type, config, summary) => {
    expect(configSummary(type, config)).toBe(summary);
  });

  it('says nothing when the config holds nothing to show or the type has no summary', () => {
    expect(configSummary('agent.llm', {})).toBeUndefined();
    expect(configSummary('agent.llm', 'not an object')).toBeUndefined();
    expect(configSummary('agent.start', {})).toBeUndefined();
    expect(configSummary('bpmn.userTask', { assignee: 'kim' })).toBeUndefined();
  });
});
