import { createDefaultRegistry, type FlowDocument, type FlowKind } from '@loomflow/graph-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { useFlowDocumentStore } from '../stores/flow-document-store';
import { mountWithApp } from '../testing/mount-app';
import NodePalette from './NodePalette.vue';
import { matchesSearch, paletteGroups } from './palette-groups';

afterEach(() => {
  document.body.innerHTML = '';
});

const emptyFlow = (kind: FlowKind): FlowDocument => ({ schemaVersion: 1, id: `empty-${kind}`, name: 'Empty', kind, state: { channels: [] }, nodes: [], edges: [] });

/** The palette with a flow of `kind` open in the editor's store. */
async function mountPalette(kind: FlowKind, locale: 'en' | 'zh-CN' = 'en') {
  const registry = createDefaultRegistry();
  const mounted = await mountWithApp(NodePalette, { registry, locale });
  useFlowDocumentStore(mounted.pinia).open(emptyFlow(kind));
  await mounted.wrapper.vm.$nextTick();
  return { ...mounted, registry };
}

const shownTypes = (wrapper: Awaited<ReturnType<typeof mountPalette>>['wrapper']) => wrapper.findAll('[data-node-type]').map((item) => item.attributes('data-node-type'));

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

  it('keeps only the types a search finds, and drops the categories it empties', () => {
    const registry = createDefaultRegistry();
    const found = paletteGroups(registry, 'bpmn', 'user task');
    expect(found.flatMap((group) => group.nodeTypes.map((nodeType) => nodeType.type))).toContain('bpmn.userTask');
    expect(found.every((group) => group.nodeTypes.length > 0)).toBe(true);
    expect(paletteGroups(registry, 'agent', 'user task').flatMap((group) => group.nodeTypes).every((nodeType) => nodeType.kind === 'agent')).toBe(true);
    expect(paletteGroups(registry, 'bpmn', 'no such words here')).toEqual([]);
  });
});

describe('matchesSearch', () => {
  const registry = createDefaultRegistry();
  const userTask = registry.get('bpmn.userTask');
  if (!userTask) throw new Error('bpmn.userTask is not registered');

  it('finds a type by its title or description in either language, ignoring case and word order', () => {
    expect(matchesSearch(userTask, '')).toBe(true);
    expect(matchesSearch(userTask, 'USER')).toBe(true);
    expect(matchesSearch(userTask, 'task user')).toBe(true);
    expect(matchesSearch(userTask, '用户')).toBe(true);
    // A word only its description holds.
    const descriptionWord = userTask.description.en.split(/\W+/).find((word) => word.length > 4 && !userTask.title.en.toLowerCase().includes(word.toLowerCase()));
    expect(descriptionWord).toBeDefined();
    expect(matchesSearch(userTask, descriptionWord ?? '')).toBe(true);
    expect(matchesSearch(userTask, 'user zzzz')).toBe(false);
  });
});

describe('NodePalette', () => {
  it("offers only the node types of the open flow's kind, grouped by category, each carrying its type id", async () => {
    for (const kind of ['agent', 'bpmn'] as const) {
      const { wrapper, registry } = await mountPalette(kind);
      const other = kind === 'agent' ? 'bpmn' : 'agent';
      expect(wrapper.find(`[data-kind="${other}"]`).exists()).toBe(false);
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
      expect(shownTypes(wrapper).sort()).toEqual(registry.list(kind).map((nodeType) => nodeType.type).sort());
      wrapper.unmount();
    }
  });

  it('follows the kind of the flow that is opened next', async () => {
    const { wrapper, pinia } = await mountPalette('agent');
    expect(shownTypes(wrapper)).toContain('agent.llm');
    useFlowDocumentStore(pinia).open(emptyFlow('bpmn'));
    await wrapper.vm.$nextTick();
    expect(shownTypes(wrapper)).toContain('bpmn.userTask');
    expect(shownTypes(wrapper)).not.toContain('agent.llm');
  });

  it('narrows the list as a search is typed, in either language, and says when nothing matches', async () => {
    const { wrapper } = await mountPalette('bpmn');
    const search = wrapper.get('input[data-testid="palette-search"]');
    await search.setValue('用户任务');
    expect(shownTypes(wrapper)).toEqual(['bpmn.userTask']);
    await search.setValue('user task');
    expect(shownTypes(wrapper)).toContain('bpmn.userTask');
    expect(shownTypes(wrapper)).not.toContain('bpmn.serviceTask');
    expect(wrapper.find('[data-testid="palette-no-match"]').exists()).toBe(false);
    await search.setValue('xyzzy');
    expect(shownTypes(wrapper)).toEqual([]);
    expect(wrapper.get('[data-testid="palette-no-match"]').text()).toBe('No node type matches "xyzzy".');
  });

  it('shows titles in the chosen language', async () => {
    const { wrapper, preferences } = await mountPalette('bpmn');
    preferences.locale = 'zh-CN';
    await wrapper.vm.$nextTick();
    expect(wrapper.get('[data-node-type="bpmn.userTask"]').text()).toBe('用户任务');
    expect(wrapper.get('[data-category="gateways"] h4').text()).toBe('网关');
    expect(wrapper.get('h2').text()).toBe('节点类型');
    expect(wrapper.get('input[data-testid="palette-search"]').attributes('placeholder')).toBe('搜索节点类型');
  });
});
