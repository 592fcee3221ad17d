// What the editor opens for a flow id nothing is stored under: only what its address asks for.
// Anything else is "flow not found", never a stand-in flow that a save would then store under a
// mistyped or deleted id.
import { flowKinds, type FlowKind } from '@loomflow/graph-schema';

/** `?new=agent|bpmn`: an empty flow of that kind; `?new=sample`: the sample; else nothing. */
export function flowToOpen(requested: unknown): FlowKind | 'sample' | undefined {
  if (requested === 'sample') return 'sample';
  return (flowKinds as readonly unknown[]).includes(requested) ? (requested as FlowKind) : undefined;
}
