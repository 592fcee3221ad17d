// The open flow as a whole in the editor: its name in the header, what an unknown id opens, and
// the warning before leaving unsaved edits (inside the app and for the browser's own navigation).
import type { FlowDocument } from '@loomflow/graph-schema';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { RouterView } from 'vue-router';
import { useFlowDocumentStore } from '../../stores/flow-document-store';
import { settled } from '../../testing/form-fields';
import { mountWithApp } from '../../testing/mount-app';
import { flowToOpen } from './flow-to-open';
import FlowNotFound from './FlowNotFound.vue';
import FlowTitle from './FlowTitle.vue';
import { renameFlow } from './rename-flow';
import { hasUnsavedEdits, useLeaveGuard } from './use-leave-guard';

const mountedApps: { unmount(): void }[] = [];
afterEach(() => {
  for (const wrapper of mountedApps.splice(0)) wrapper.unmount();
  document.body.innerHTML = '';
});

const flow = (): FlowDocument => ({ schemaVersion: 1, id: 'greeter', name: 'Greeter', kind: 'agent', state: { channels: [] }, nodes: [], edges: [] });

describe('FlowTitle', () => {
  async function mountTitle(locale: 'en' | 'zh-CN' = 'en') {
    const mounted = await mountWithApp(FlowTitle, { locale });
    const store = useFlowDocumentStore(mounted.pinia);
    store.open(flow());
    await mounted.wrapper.vm.$nextTick();
    return { ...mounted, store };
  }

  it('renames the flow from a field opened by a click: one undoable edit that marks the flow unsaved', async () => {
    const { wrapper, store } = await mountTitle();
    expect(wrapper.get('h1').text()).toBe('Greeter');
    await wrapper.get('[data-action="rename-flow"]').trigger('click');
    const input = wrapper.get<HTMLInputElement>('input[data-testid="flow-name-input"]');
    expect(input.element.value).toBe('Greeter');
    await input.setValue('  Welcome desk ');
    await input.trigger('keydown', { key: 'Enter' });
    expect(store.document.name).toBe('Welcome desk');
    expect(store.dirty).toBe(true);
    expect(wrapper.get('h1').text()).toBe('Welcome desk');

    store.undo();
    await wrapper.vm.$nextTick();
    expect(store.document.name).toBe('Greeter');
    expect(wrapper.get('h1').text()).toBe('Greeter');
  });

  it('keeps the name on Escape, and refuses an empty one with the reason, in the reader’s language', async () => {
    const { wrapper, store } = await mountTitle('zh-CN');
    await wrapper.get('[data-action="rename-flow"]').trigger('click');
    let input = wrapper.get('input[data-testid="flow-name-input"]');
    await input.setValue('Lost');
    await input.trigger('keydown', { key: 'Escape' });
    expect(wrapper.find('input').exists()).toBe(false);
    expect(store.document.name).toBe('Greeter');

    await wrapper.get('[data-action="rename-flow"]').trigger('click');
    input = wrapper.get('input[data-testid="flow-name-input"]');
    await input.setValue('   ');
    await input.trigger('blur');
    expect(wrapper.get('[role="alert"]').text()).toBe('流程名称为 1 到 200 个字符。');
    expect(input.attributes('aria-invalid')).toBe('true');
    expect(store.canUndo).toBe(false);
  });

  it('adds no step when the name is left as it was', async () => {
    const { wrapper, store } = await mountTitle();
    await wrapper.get('[data-action="rename-flow"]').trigger('click');
    await wrapper.get('input[data-testid="flow-name-input"]').trigger('keydown', { key: 'Enter' });
    expect(store.canUndo).toBe(false);
  });
});

describe('an id nothing is stored under', () => {
  it('opens only what the address asks for', () => {
    expect(flowToOpen('agent')).toBe('agent');
    expect(flowToOpen('bpmn')).toBe('bpmn');
    expect(flowToOpen('sample')).toBe('sample');
    expect(flowToOpen(undefined)).toBeUndefined();
    expect(flowToOpen('sql')).toBeUndefined();
    expect(flowToOpen(['agent'])).toBeUndefined();
  });

  it('shows "flow not found" naming the id, with the way back, in both languages', async () => {
    const { wrapper } = await mountWithApp(FlowNotFound, { locale: 'zh-CN' });
    await wrapper.setProps({ flowId: 'no-such-flow' });
    expect(wrapper.get('h1').text()).toBe('未找到流程');
    expect(wrapper.text()).toContain('没有 ID 为“no-such-flow”的流程');
    expect(wrapper.get('[data-action="back-to-flows"]').attributes('href')).toBe('/');
  });
});

describe('leaving with unsaved edits', () => {
  it('counts only edits the person made and did not save', () => {
    expect(hasUnsavedEdits({ dirty: true, canUndo: true })).toBe(true);
    // A new flow, the sample or a restored draft opens unsaved with nothing to undo.
    expect(hasUnsavedEdits({ dirty: true, canUndo: false })).toBe(false);
    expect(hasUnsavedEdits({ dirty: false, canUndo: true })).toBe(false);
  });

  /** Clicks a button of the newest box: a closed one may linger in the page while it fades out. */
  function clickInLastBox(selector: string): void {
    const button = [...document.querySelectorAll('.leave-guard')].at(-1)?.querySelector<HTMLButtonElement>(selector);
    if (!button) throw new Error(`no ${selector} in the leave warning`);
    button.click();
  }

  /** The app's router showing a page that uses the guard, at `/guarded/:id`. */
  async function mountGuarded() {
    const Guarded = defineComponent({
      setup() {
        useLeaveGuard();
        return () => h('p', 'editor');
      },
    });
    const Shell = () => h(RouterView);
    // Starts on the app's not-found page, which needs no server.
    const mounted = await mountWithApp(Shell, { path: '/nowhere' });
    mountedApps.push(mounted.wrapper);
    mounted.router.addRoute({ path: '/guarded/:id', component: Guarded });
    await mounted.router.push('/guarded/a');
    const store = useFlowDocumentStore(mounted.pinia);
    store.open(flow());
    return { ...mounted, store };
  }

  // The message boxes open and close with transitions: seconds on a loaded machine, bounded by `settled`.
  it('asks before leaving the page or opening another flow, and stays unless told to leave', { timeout: 30_000 }, async () => {
    const { router, store } = await mountGuarded();
    await router.push('/guarded/a?tab=x');
    expect(router.currentRoute.value.fullPath).toBe('/guarded/a?tab=x');

    store.execute(renameFlow('Edited'));
    const staying = router.push('/guarded/b');
    await settled(() => expect(document.querySelector('.leave-guard')?.textContent).toContain('Leave without saving?'));
    const first = document.querySelector('.leave-guard');
    clickInLastBox('.el-button:not(.el-button--primary)');
    await staying;
    expect(router.currentRoute.value.path).toBe('/guarded/a');

    // The first box may still be fading out, or already gone: wait for a box that is not it.
    const leaving = router.push('/elsewhere');
    await settled(() => expect([...document.querySelectorAll('.leave-guard')].some((box) => box !== first)).toBe(true));
    clickInLastBox('.el-button--primary');
    await leaving;
    expect(router.currentRoute.value.path).toBe('/elsewhere');
  });

  it('lets the browser ask before the tab is closed or reloaded', async () => {
    const { store, wrapper } = await mountGuarded();
    const unload = () => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(unload()).toBe(false);
    store.execute(renameFlow('Edited'));
    expect(unload()).toBe(true);
    store.markSaved();
    expect(unload()).toBe(false);
    // Gone with the page.
    store.execute(renameFlow('Edited again'));
    const removed = vi.spyOn(window, 'removeEventListener');
    wrapper.unmount();
    expect(removed).toHaveBeenCalledWith('beforeunload', expect.any(Function));
  });
});
