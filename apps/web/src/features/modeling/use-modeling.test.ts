import type { FlowDocument } from '@loomflow/graph-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { mountWithApp } from '../../testing/mount-app';
import { useFlowDocumentStore } from '../../stores/flow-document-store';
import type { Locale } from '../../i18n';
import { useModeling } from './use-modeling';

function agentFlow(): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'triage',
    name: 'Triage',
    kind: 'agent',
    state: { channels: [] },
    nodes: [
      { id: 'start', type: 'agent.start', position: { x: 0, y: 0 }, config: {} },
      { id: 'end', type: 'agent.end', name: 'End', position: { x: 400, y: 0 }, config: {} },
    ],
    edges: [],
  };
}

/** Mounts a component that only holds the modeling calls, on the example flow. */
async function modelingIn(locale: Locale) {
  let modeling: ReturnType<typeof useModeling> | undefined;
  const Host = defineComponent({
    setup() {
      modeling = useModeling();
      return () => h('div');
    },
  });
  const { wrapper, pinia } = await mountWithApp(Host, { locale });
  useFlowDocumentStore(pinia).open(agentFlow());
  if (!modeling) throw new Error('useModeling did not run');
  return { modeling, wrapper };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('useModeling', () => {
  it.each([
    ['en', 'Nothing can leave "End": it is an end.'],
    ['zh-CN', '结束节点 "End" 不能有出线。'],
  ] as const)('shows a refused connection rendered in the reader’s language (%s)', async (locale, text) => {
    const { modeling, wrapper } = await modelingIn(locale);
    modeling.connect('end', 'start');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(document.body.querySelector('.connection-refused')?.textContent).toContain(text);
    wrapper.unmount();
  });
});
