import { createDefaultRegistry } from '@loomflow/graph-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { useFlowDocumentStore } from '../../stores/flow-document-store';
import { mountWithApp } from '../../testing/mount-app';
import NodePalette from '../NodePalette.vue';
import CanvasContextMenu from './CanvasContextMenu.vue';
import CanvasMinimap from './CanvasMinimap.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('the palette icons', () => {
  it('show each node type as the canvas draws it: BPMN notation with its marker, agent cards with their icon', async () => {
    const registry = createDefaultRegistry();
    const { wrapper, pinia } = await mountWithApp(NodePalette, { registry });
    // The palette offers the open flow's kind: each kind in turn.
    const store = useFlowDocumentStore(pinia);
    const open = async (kind: 'agent' | 'bpmn') => {
      store.open({ schemaVersion: 1, id: kind, name: kind, kind, state: { channels: [] }, nodes: [], edges: [] });
      await nextTick();
    };
    for (const kind of ['agent', 'bpmn'] as const) {
      await open(kind);
      for (const nodeType of registry.list(kind)) {
        expect(wrapper.find(`[data-node-type="${nodeType.type}"] svg[data-view-kind]`).exists(), nodeType.type).toBe(true);
      }
    }
    expect(wrapper.find('[data-node-type="agent.http"] [data-glyph="globe"]').exists()).toBe(false);
    expect(wrapper.get('[data-node-type="bpmn.userTask"] svg').attributes('data-view-kind')).toBe('activity');
    expect(wrapper.find('[data-node-type="bpmn.userTask"] [data-glyph="user"]').exists()).toBe(true);
    expect(wrapper.find('[data-node-type="bpmn.parallelGateway"] [data-glyph="parallel"]').exists()).toBe(true);
    await open('agent');
    expect(wrapper.find('[data-node-type="agent.http"] [data-glyph="globe"]').exists()).toBe(true);
    await open('bpmn');
    expect(wrapper.get('[data-node-type="bpmn.userTask"]').text()).toBe('User task');
  });
});

describe('CanvasContextMenu', () => {
  it('lists the actions for what was clicked, in the reader’s language, with paste off when nothing was copied', async () => {
    const { wrapper } = await mountWithApp(CanvasContextMenu, { locale: 'zh-CN' });
    await wrapper.setProps({ request: { x: 10, y: 20, target: 'blank' }, canPaste: false });
    const items = wrapper.findAll('[role="menuitem"]');
    expect(items.map((item) => item.attributes('data-menu-action'))).toEqual(['paste', 'selectAll', 'fit']);
    expect(items[0]?.text()).toContain('粘贴');
    expect(items[0]?.attributes('disabled')).toBeDefined();
    expect(items[1]?.text()).toContain('全选');
  });

  it('runs the chosen action and closes; Escape closes without running anything', async () => {
    const { wrapper } = await mountWithApp(CanvasContextMenu);
    await wrapper.setProps({ request: { x: 10, y: 20, target: 'node' }, canPaste: true });
    await wrapper.get('[data-menu-action="delete"]').trigger('click');
    expect(wrapper.emitted('run')).toEqual([['delete']]);
    expect(wrapper.emitted('close')).toHaveLength(1);

    await wrapper.get('[role="menu"]').trigger('keydown', { key: 'Escape' });
    expect(wrapper.emitted('close')).toHaveLength(2);
    expect(wrapper.emitted('run')).toHaveLength(1);
  });

  it('closes when the pointer goes down anywhere else', async () => {
    const { wrapper } = await mountWithApp(CanvasContextMenu);
    await wrapper.setProps({ request: { x: 0, y: 0, target: 'edge' }, canPaste: false });
    document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    expect(wrapper.emitted('close')).toHaveLength(1);
  });
});

describe('CanvasMinimap', () => {
  it('frames the visible part of the drawing and can be hidden and shown again', async () => {
    const { wrapper, pinia } = await mountWithApp(CanvasMinimap, { registry: createDefaultRegistry() });
    const store = useFlowDocumentStore(pinia);
    store.open({
      schemaVersion: 1,
      id: 'map',
      name: 'Map',
      kind: 'bpmn',
      state: { channels: [] },
      nodes: [
        { id: 'a', type: 'bpmn.task', position: { x: 0, y: 0 }, config: {} },
        { id: 'b', type: 'bpmn.task', position: { x: 1000, y: 500 }, config: {} },
      ],
      edges: [],
    });
    await wrapper.setProps({ visible: { x: -50, y: -40, width: 500, height: 300 } });
    const frame = wrapper.get('[data-testid="canvas-minimap-visible"]');
    const width = Number.parseFloat(String(frame.attributes('style')).match(/width: ([\d.]+)px/)?.[1] ?? '0');
    // The drawing spans 1,100 px across, the visible part 500: a bit under half the map.
    expect(width).toBeGreaterThan(70);
    expect(width).toBeLessThan(100);

    const toggle = wrapper.get('[data-action="toggle-minimap"]');
    await toggle.trigger('click');
    expect(wrapper.get('[role="img"]').isVisible()).toBe(false);
    expect(toggle.attributes('aria-pressed')).toBe('false');
    await toggle.trigger('click');
    await nextTick();
    expect(wrapper.get('[role="img"]').isVisible()).toBe(true);
  });
});
