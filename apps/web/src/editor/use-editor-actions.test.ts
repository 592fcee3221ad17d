// Importing a flow file through the editor's actions: a good file replaces the document as one
// undoable step, a bad one changes nothing and says what is wrong, in the reader's language.
import type { FlowDocument } from '@loomflow/graph-schema';
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent } from 'vue';
import type { Locale } from '../i18n';
import { useFlowDocumentStore } from '../stores/flow-document-store';
import { mountWithApp } from '../testing/mount-app';
import { flowToJson } from './flow-file-io';
import { useEditorActions } from './use-editor-actions';

function openFlow(): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'open-flow',
    name: 'Open flow',
    kind: 'agent',
    state: { channels: [] },
    nodes: [{ id: 'start', type: 'agent.start', position: { x: 0, y: 0 }, config: {} }],
    edges: [],
  };
}

function fileFlow(): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'from-a-file',
    name: 'From a file',
    kind: 'bpmn',
    state: { channels: [] },
    nodes: [
      { id: 'begin', type: 'bpmn.startEvent', name: 'Begin', position: { x: 100, y: 100 }, config: {} },
      { id: 'finish', type: 'bpmn.endEvent', name: 'Finish', position: { x: 300, y: 100 }, config: {} },
    ],
    edges: [{ id: 'f1', source: 'begin', target: 'finish' }],
  };
}

const Harness = defineComponent({
  setup(_props, { expose }) {
    expose({ actions: useEditorActions() });
    return () => null;
  },
});

async function mountActions(locale: Locale = 'en') {
  const { wrapper, pinia } = await mountWithApp(Harness, { locale });
  const store = useFlowDocumentStore(pinia);
  store.open(openFlow());
  const { actions } = wrapper.vm as unknown as { actions: ReturnType<typeof useEditorActions> };
  return { actions, store };
}

const problemsShown = () => document.body.querySelector('[data-testid="import-problems"]')?.textContent ?? '';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('importing a flow file', () => {
  it('replaces the document under the open flow id, as one step that undo takes back', async () => {
    const { actions, store } = await mountActions();
    await actions.importFile(new File([flowToJson(fileFlow())], 'from-a-file.json', { type: 'application/json' }));
    expect(store.document).toEqual({ ...fileFlow(), id: 'open-flow' });
    expect(store.dirty).toBe(true);
    store.undo();
    expect(store.document).toEqual(openFlow());
    store.redo();
    expect(store.document.nodes.map((node) => node.id)).toEqual(['begin', 'finish']);
  });

  it('names the broken field of a file that is not a flow, and changes nothing', async () => {
    const { actions, store } = await mountActions();
    const broken = { ...fileFlow(), nodes: [{ id: 'begin', type: 'bpmn.startEvent', position: { x: 'left', y: 0 } }] };
    await actions.importFile(new File([JSON.stringify(broken)], 'broken.json'));
    await vi.waitFor(() => expect(problemsShown()).toContain('nodes[0].position.x'));
    expect(document.body.textContent).toContain('Could not import broken.json');
    expect(problemsShown()).toContain('This file is not a Loomflow flow document');
    expect(store.document).toEqual(openFlow());
    expect(store.canUndo).toBe(false);
  });

  it('names the line of a JSON syntax error, in Chinese for a Chinese reader', async () => {
    const { actions, store } = await mountActions('zh-CN');
    await actions.importFile(new File(['{\n  "schemaVersion": 1,\n  "nodes": [,]\n}'], 'typo.json'));
    await vi.waitFor(() => expect(problemsShown()).toMatch(/^第 3 行第 \d+ 列：不是有效的 JSON/));
    expect(document.body.textContent).toContain('无法导入 typo.json');
    expect(store.document).toEqual(openFlow());
  });

  it('leaves a file that is neither JSON nor BPMN alone', async () => {
    const { actions, store } = await mountActions();
    await actions.importFile(new File(['hello'], 'notes.txt', { type: 'text/plain' }));
    await flushPromises();
    expect(document.body.textContent).toContain('"notes.txt" is neither a JSON nor a BPMN file');
    expect(store.document).toEqual(openFlow());
  });
});

// A small process as another tool writes it: the default namespace, DI bounds, a complex gateway
// Loomflow has no type for.
const otherToolsXml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="defs" targetNamespace="urn:test">
  <process id="order" name="Order">
    <startEvent id="received" name="Received"/>
    <complexGateway id="route"/>
    <sequenceFlow id="f1" sourceRef="received" targetRef="route"/>
  </process>
  <bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" bpmnElement="order">
    <bpmndi:BPMNShape id="received_di" bpmnElement="received"><dc:Bounds x="100" y="80" width="36" height="36"/></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="route_di" bpmnElement="route"><dc:Bounds x="200" y="73" width="50" height="50"/></bpmndi:BPMNShape>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</definitions>`;

describe('BPMN files', () => {
  it('imports BPMN XML at its diagram positions as one undoable step, and lists what it kept by id', async () => {
    const { actions, store } = await mountActions();
    await actions.importFile(new File([otherToolsXml], 'order.bpmn', { type: 'application/xml' }));
    await flushPromises();
    expect(store.document).toMatchObject({ id: 'open-flow', name: 'Order', kind: 'bpmn' });
    expect(store.document.nodes.find((node) => node.id === 'received')).toMatchObject({ position: { x: 118, y: 98 }, size: { width: 36, height: 36 } });
    const report = document.body.querySelector('[data-testid="bpmn-import-report"]')?.textContent ?? '';
    expect(report).toContain('route (bpmn:ComplexGateway)');
    expect(report).toContain('f1: no DI edge; drawn straight');
    store.undo();
    expect(store.document).toEqual(openFlow());
  });

  it('says where XML that does not parse breaks, in the reader’s language, and changes nothing', async () => {
    const { actions, store } = await mountActions('zh-CN');
    await actions.importFile(new File(['<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p">'], 'broken.bpmn'));
    await flushPromises();
    expect(problemsShown()).toContain('此文件不是可读取的 BPMN 2.0 XML');
    expect(problemsShown()).toMatch(/line \d+, column \d+/);
    expect(store.document).toEqual(openFlow());
  });

  it('exports a BPMN flow as XML that imports back, and refuses an agent flow', async () => {
    const { actions, store } = await mountActions();
    await actions.exportBpmn();
    await flushPromises();
    expect(document.body.textContent).toContain('Only BPMN flows export as BPMN XML');

    const downloads: Blob[] = [];
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      downloads.push(blob as Blob);
      return 'blob:bpmn';
    });
    store.open(fileFlow());
    await actions.exportBpmn();
    createObjectURL.mockRestore();
    expect(downloads).toHaveLength(1);
    const { importBpmnXml } = await import('@loomflow/bpmn');
    const { flow } = await importBpmnXml(await (downloads[0] as Blob).text());
    expect(flow.nodes.map((node) => [node.id, node.type, node.position])).toEqual(fileFlow().nodes.map((node) => [node.id, node.type, node.position]));
    expect(flow.edges.map((edge) => [edge.id, edge.source, edge.target])).toEqual([['f1', 'begin', 'finish']]);
  });
});
