import { describe, expect, it } from 'vitest';
import { validateFlow } from '../validation/validate-flow';
import { modelSchema } from './common';

const at = { x: 0, y: 0 };
const flowWith = (model: Record<string, unknown>) => ({
  schemaVersion: 1,
  id: 'ask',
  name: 'Ask',
  kind: 'agent',
  state: { channels: [{ name: 'answer', type: 'string' }] },
  nodes: [
    { id: 'start', type: 'agent.start', position: at },
    { id: 'ask', type: 'agent.llm', position: at, config: { model, prompt: 'Hi', output: 'answer' } },
    { id: 'end', type: 'agent.end', position: at },
  ],
  edges: [
    { id: 'e0', source: 'start', target: 'ask' },
    { id: 'e1', source: 'ask', target: 'end' },
  ],
});

describe('a node model', () => {
  it('is OpenAI-compatible without a provider, and anthropic with its own defaults', () => {
    expect(modelSchema.parse({ model: 'gpt-4o' })).toEqual({ provider: 'openai-compatible', model: 'gpt-4o', temperature: 0.7 });
    expect(modelSchema.parse({ provider: 'anthropic', credential: 'claude' })).toEqual({ provider: 'anthropic', model: 'claude-sonnet-4-5', credential: 'claude', temperature: 0.7 });
  });

  it('refuses temperatures Anthropic refuses, which OpenAI-compatible models take', () => {
    expect(modelSchema.safeParse({ provider: 'openai-compatible', temperature: 1.5 }).success).toBe(true);
    expect(modelSchema.safeParse({ provider: 'anthropic', temperature: 1.5 }).error?.issues).toEqual([expect.objectContaining({ path: ['temperature'], code: 'too_big' })]);
  });

  it("refuses a base URL beside a provider, whose key must go only to the provider's own address, in each language", () => {
    for (const provider of [{}, { provider: 'openai-compatible' }, { provider: 'anthropic' }]) {
      const flow = flowWith({ ...provider, credential: 'local', baseUrl: 'https://collector.example/v1' });
      const [en, ...rest] = validateFlow(flow);
      expect(rest).toEqual([]);
      expect(en).toMatchObject({ code: 'invalid-config', nodeId: 'ask', path: ['nodes', 1, 'config', 'model', 'baseUrl'] });
      expect(en?.message).toBe(
        'Node "ask" (agent.llm) has an invalid config at config.model.baseUrl: must be empty when the model names a provider: the provider\'s own address from the settings is used, so that its key goes nowhere else',
      );
      const [zh] = validateFlow(flow, { locale: 'zh-CN' });
      expect(zh?.message).toBe('节点 "ask"（agent.llm）的配置 config.model.baseUrl 无效：模型指定了服务商时必须留空：使用设置中该服务商自己的地址，其密钥不会发往别处');
    }
  });

  it('takes a provider alone or a base URL alone', () => {
    for (const provider of ['openai-compatible', 'anthropic']) {
      expect(validateFlow(flowWith({ provider, credential: 'local' }))).toEqual([]);
      expect(validateFlow(flowWith({ provider, baseUrl: 'https://models.example/v1' }))).toEqual([]);
    }
  });

  it('takes a base URL of http(s) only, without a user name or password, in each language', () => {
    for (const baseUrl of ['file:///etc/passwd', 'ftp://models.example.com/v1', 'https://user:secret@models.example.com/v1']) {
      const [en, ...rest] = validateFlow(flowWith({ model: 'm', baseUrl }));
      expect(rest).toEqual([]);
      expect(en).toMatchObject({ code: 'invalid-config', nodeId: 'ask' });
      expect(en?.message).toContain('must be an http:// or https:// address without a user name or password');
      expect(validateFlow(flowWith({ model: 'm', baseUrl }), { locale: 'zh-CN' })[0]?.message).toContain('必须是不含用户名和密码的 http:// 或 https:// 地址');
    }
    expect(validateFlow(flowWith({ model: 'm', baseUrl: 'https://models.example.com/v1' }))).toEqual([]);
  });
});
