// Every node type's generator, by type id: the agent and plain BPMN types (generators.ts), the AI
// nodes (generators-ai.ts), HTTP (generators-http.ts), sub-flows (generators-flows.ts) and the BPMN types that wait for events or leave other than by their
// edges (generators-bpmn.ts).
import { aiGenerators } from './generators-ai';
import { bpmnGenerators } from './generators-bpmn';
import { flowGenerators } from './generators-flows';
import { httpGenerators } from './generators-http';
import type { NodeGenerator } from './generator-context';
import { generators as coreGenerators } from './generators';

/** Exactly the types the default registry marks `codegen: generates`. */
export const generators: Readonly<Record<string, NodeGenerator>> = { ...coreGenerators, ...aiGenerators, ...bpmnGenerators, ...httpGenerators, ...flowGenerators };
