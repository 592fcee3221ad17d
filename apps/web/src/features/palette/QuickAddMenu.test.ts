import { createDefaultRegistry } from '@loomflow/graph-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { mountWithApp } from '../../testing/mount-app';
import QuickAddMenu, { type QuickAddRequest } from './QuickAddMenu.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

const registry = createDefaultRegistry();
const typesOf = (...ids: string[]) => ids.map((id) => registry.get(id) ?? (() => { throw new Error(id); })());

async function mountMenu(request: QuickAddRequest, locale: 'en' | 'zh-CN' = 'en') {
  const mounted = await mountWithApp(QuickAddMenu, { registry, locale });
  await mounted.wrapper.setProps({ request });
  return mounted;
}

describe('QuickAddMenu', () => {
  it('offers the given types, narrows them as a filter is typed, and hands back the picked one', async () => {
    const { wrapper } = await mountMenu({ x: 10, y: 20, sourceName: 'Start', types: typesOf('agent.llm', 'agent.template', 'agent.end') });
    expect(wrapper.get('[data-testid="quick-add-menu"]').attributes('aria-label')).toBe('Add a node here, connected from "Start"');
    expect(wrapper.findAll('[data-node-type]').map((item) => item.text())).toEqual(['LLM', 'Template', 'End']);

    await wrapper.get('input[data-testid="quick-add-filter"]').setValue('templ');
    expect(wrapper.findAll('[data-node-type]').map((item) => item.attributes('data-node-type'))).toEqual(['agent.template']);
    await wrapper.get('[data-node-type="agent.template"]').trigger('click');
    // Picked before closed: the canvas still knows where the node goes when it hears the pick.
    expect(Object.keys(wrapper.emitted())).toEqual(expect.arrayContaining(['pick', 'close']));
    expect(wrapper.emitted('pick')).toEqual([['agent.template']]);
  });

  it('takes the first type left on Enter, closes on Escape, and says when nothing matches', async () => {
    const { wrapper } = await mountMenu({ x: 0, y: 0, sourceName: 'Submit', types: typesOf('bpmn.userTask', 'bpmn.endEvent') }, 'zh-CN');
    const filter = wrapper.get('input[data-testid="quick-add-filter"]');
    await filter.setValue('结束');
    await filter.trigger('keydown', { key: 'Enter' });
    expect(wrapper.emitted('pick')).toEqual([['bpmn.endEvent']]);
    await filter.setValue('zzz');
    expect(wrapper.text()).toContain('没有既能接在“Submit”之后、又与“zzz”匹配的节点类型。');
    await filter.trigger('keydown', { key: 'Escape' });
    expect(wrapper.emitted('close')?.length).toBe(2);
  });

  it('says so when nothing may follow the source', async () => {
    const { wrapper } = await mountMenu({ x: 0, y: 0, sourceName: 'End', types: [] });
    expect(wrapper.text()).toContain('Nothing can follow "End".');
    expect(wrapper.find('input').exists()).toBe(false);
  });
});
