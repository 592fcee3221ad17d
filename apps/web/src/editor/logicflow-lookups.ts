// LogicFlow finds elements by id through MobX computed maps of the whole graph (`nodesMap`,
// `edgesMap`, `modelsMap`). Read outside a reaction, a computed value is rebuilt on every read, so
// each lookup walks every node: building the edges of a 2,000-node flow (each edge looks up its
// two nodes) was quadratic, and every drag frame looked the dragged node up again. Observed by a
// reaction, the maps are rebuilt once when elements are added or removed, and read from cache.
import { reaction, type LogicFlow } from '@logicflow/core';

/** Keeps LogicFlow's id lookups cached until the returned function is called. */
export function cacheLogicFlowLookups(lf: LogicFlow): () => void {
  const { graphModel } = lf;
  return reaction(
    () => [graphModel.nodesMap, graphModel.edgesMap, graphModel.modelsMap],
    () => undefined,
  );
}
