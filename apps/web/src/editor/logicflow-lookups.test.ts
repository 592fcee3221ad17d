import { LogicFlow } from '@logicflow/core';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheLogicFlowLookups } from './logicflow-lookups';

describe('LogicFlow id lookups', () => {
  let lf: LogicFlow | undefined;
  afterEach(() => lf?.destroy());

  it('are built once and read from cache until an element is added', () => {
    const container = document.createElement('div');
    document.body.append(container);
    lf = new LogicFlow({ container, width: 400, height: 300, history: false, keyboard: { enabled: false } });
    lf.renderRawData({ nodes: [{ id: 'a', type: 'rect', x: 100, y: 100 }], edges: [] });
    // Unobserved, LogicFlow builds a fresh index of the whole graph on every read.
    expect(lf.graphModel.nodesMap).not.toBe(lf.graphModel.nodesMap);

    const stop = cacheLogicFlowLookups(lf);
    const cached = lf.graphModel.nodesMap;
    expect(lf.graphModel.nodesMap).toBe(cached);
    lf.addNode({ id: 'b', type: 'rect', x: 300, y: 100 });
    expect(lf.graphModel.nodesMap).not.toBe(cached);
    expect(lf.getNodeModelById('b')?.id).toBe('b');
    stop();
  });
});
