import { createDefaultRegistry } from '@loomflow/graph-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { mountWithApp } from '../testing/mount-app';
import NodePalette from './NodePalette.vue';
import { paletteGroups } from './palette-groups';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('paletteGroups', () => {
  it('puts every type of a kind exactly once under its category, in registration order', () => {
    const registry = createDefaultRegistry();
    for (const kind of ['agent', 'bpmn'] as const) {
      const groups = paletteGroups(registry, kind);
      expect(groups.flatMap((group) => group.nodeTypes.map((nodeType) => nodeType.type)).sort()).toEqual(
        registry.list(kind).map((nodeType) => nodeType.type).sort(),
      );
      for (const group of groups) {
        expect(group.nodeTypes.every((nodeType) => nodeType.category === group.category && nodeType.kind === kind)).toBe(true);
        expect(group.title).toEqual(registry.categoryTitle(group.category));
      }
      expect(new Set(groups.map((group) => group.category)).size).toBe(groups.length);
    }
  });
});

describe('NodePalette', () => {
  it('lists agent and BPMN node types grouped by category, each carrying its type id', async () => {
    const registry = createDefaultRegistry();
    const { wrapper } = await mountWithApp(NodePalette, { registry });

    for (const kind of ['agent', 'bpmn'] as const) {
      const section = wrapper.get(`[data-kind="${kind}"]`);
      const groups = section.findAll('[data-category]');
      expect(groups.map((group) => group.attributes('data-category'))).toEqual(paletteGroups(registry, kind).map((group) => group.category));
      for (const group of groups) {
        const category = group.attributes('data-category') ?? '';
        expect(group.get('h4').text()).toBe(registry.categoryTitle(category).en);
        for (const item of group.findAll('[data-node-type]')) {
          expect(registry.get(item.attributes('data-node-type') ?? '')?.category).toBe(category);
        }
      }
    }
    expect(wrapper.findAll('[data-node-type]')).toHaveLength(registry.list().length);
    expect(wrapper.get('[data-node-type="bpmn.userTask"]').text()).toBe('User task');
  });

  it('shows titles in the chosen language', async () => {
    const { wrapper, preferences } = await mountWithApp(NodePalette);
    preferences.locale = 'zh-CN';
    await wrapper.vm.$nextTick();
    expect(wrapper.get('[data-node-type="bpmn.userTask"]').text()).toBe('用户任务');
    expect(wrapper.get('[data-category="gateways"] h4').text()).toBe('网关');
    expect(wrapper.get('h2').text()).toBe('节点类型');
  });
});
