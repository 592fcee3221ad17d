// The inspector is given a node and a run state, so the live run and a stored run's view show the
// same thing: each execution of the node, the one picked, and an error only the node's state has.
import type { FlowNode } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { h } from 'vue';
import { mountWithApp } from '../../testing/mount-app';
import NodeInspector from './NodeInspector.vue';
import { idleRunState, type NodeExecution, type RunState } from './run-state';

const node: FlowNode = { id: 'draft', type: 'agent.llm', name: 'Draft the answer', position: { x: 0, y: 0 }, config: {} };
const execution = (attempt: number, extra: Partial<NodeExecution>): NodeExecution => ({
  runId: 'run-1',
  attempt,
  startedAt: Date.UTC(2026, 11, 4, 10, 0, attempt),
  status: 'completed',
  input: { question: `try ${attempt}` },
  ...extra,
});

const run = (executions: readonly NodeExecution[], nodeError?: { code: string; message: string }): RunState => ({
  ...idleRunState,
  status: 'failed',
  nodes: new Map([['draft', { status: 'failed', ...(nodeError ? { error: nodeError } : {}) }]]),
  executions: new Map([['draft', executions]]),
});

async function inspect(state: RunState, locale: 'en' | 'zh-CN' = 'en') {
  const { wrapper } = await mountWithApp({ render: () => h(NodeInspector, { node, run: state }) }, { locale });
  return wrapper;
}

describe('NodeInspector', () => {
  it('lists every execution, shows the latest, and shows an earlier one when picked', async () => {
    const wrapper = await inspect(
      run([
        execution(1, { status: 'failed', error: { code: 'model_error', message: 'the model answered 500' } }),
        execution(2, { output: { text: 'Hello', usage: { inputTokens: 12, outputTokens: 3, totalTokens: 15 } }, update: { answer: 'Hello' } }),
      ]),
    );
    expect(wrapper.get('[data-testid="node-inspector"]').attributes('data-node-id')).toBe('draft');
    expect(wrapper.findAll('[data-execution]')).toHaveLength(2);
    expect(JSON.parse(wrapper.get('[data-testid="inspected-input"] pre').text())).toEqual({ question: 'try 2' });
    expect(wrapper.get('[data-testid="inspected-tokens"]').text()).toBe('12 in · 3 out · 15 total');
    expect(wrapper.find('[data-testid="inspected-error"]').exists()).toBe(false);

    await wrapper.get('[data-execution="0"]').trigger('click');
    expect(JSON.parse(wrapper.get('[data-testid="inspected-input"] pre').text())).toEqual({ question: 'try 1' });
    expect(wrapper.get('[data-testid="inspected-error"]').text()).toBe('model_error: the model answered 500');
    expect(wrapper.find('[data-testid="inspected-tokens"]').exists()).toBe(false);
  });

  it("shows a limit the node's state holds on its last execution only", async () => {
    const limit = { code: 'node_timeout', message: 'the node ran longer than nodeTimeoutMs (30000 ms)' };
    const wrapper = await inspect(run([execution(1, { status: 'running' }), execution(2, { status: 'running' })], limit));
    expect(wrapper.get('[data-testid="inspected-error"]').text()).toBe(`node_timeout: ${limit.message}`);
    await wrapper.get('[data-execution="0"]').trigger('click');
    expect(wrapper.find('[data-testid="inspected-error"]').exists()).toBe(false);
  });

  it('shows the error of a node that failed before any execution started, in Chinese too', async () => {
    const wrapper = await inspect(run([], { code: 'step_limit', message: 'the run took more than 25 steps' }), 'zh-CN');
    expect(wrapper.text()).toContain('这个节点在这次运行中还没有执行。');
    expect(wrapper.get('[data-testid="inspected-error"]').text()).toBe('step_limit: the run took more than 25 steps');
  });
});
