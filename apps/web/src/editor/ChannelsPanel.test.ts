import type { FlowDocument } from '@loomflow/graph-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { useFlowDocumentStore } from '../stores/flow-document-store';
import { mountWithApp } from '../testing/mount-app';
import ChannelsPanel from './ChannelsPanel.vue';

function flow(): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'channels',
    name: 'Channels',
    kind: 'agent',
    state: { channels: [{ name: 'question', type: 'string', reducer: 'replace' }] },
    nodes: [],
    edges: [],
  };
}

async function mountPanel() {
  const { wrapper, pinia } = await mountWithApp(ChannelsPanel);
  const store = useFlowDocumentStore(pinia);
  store.open(flow());
  await nextTick();
  return { wrapper, store };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('ChannelsPanel', () => {
  it('adds, renames and removes channels through undoable commands', async () => {
    const { wrapper, store } = await mountPanel();
    await wrapper.get('[data-action="add-channel"]').trigger('click');
    expect(store.document.state.channels.map((channel) => channel.name)).toEqual(['question', 'channel_2']);

    const name = wrapper.get('[data-channel="channel_2"] input[data-field="channel-name"]');
    await name.setValue('answer');
    await name.trigger('change');
    expect(store.document.state.channels[1]).toEqual({ name: 'answer', type: 'any', reducer: 'replace' });

    await wrapper.get('[data-channel="question"] button').trigger('click');
    expect(store.document.state.channels.map((channel) => channel.name)).toEqual(['answer']);

    store.undo();
    store.undo();
    store.undo();
    expect(store.document.state.channels).toEqual(flow().state.channels);
  });

  it('refuses a name that is not an identifier or already taken, and says why', async () => {
    const { wrapper, store } = await mountPanel();
    await wrapper.get('[data-action="add-channel"]').trigger('click');
    await nextTick();
    const name = wrapper.get('[data-channel="channel_2"] input[data-field="channel-name"]');
    await name.setValue('2fast');
    await name.trigger('change');
    expect(wrapper.get('[role="alert"]').text()).toBe('A channel name is a letter or "_", then letters, digits or "_".');
    await name.setValue('question');
    await name.trigger('change');
    expect(wrapper.get('[role="alert"]').text()).toBe('There is already a channel called "question".');
    expect(store.document.state.channels.map((channel) => channel.name)).toEqual(['question', 'channel_2']);
  });
});
