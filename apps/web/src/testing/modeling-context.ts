// The modeling layer's context as the editor builds it (use-modeling.ts), for tests without a
// mounted app: the default registry and the canvas's drawn sizes.
import { createDefaultRegistry, type FlowDocument } from '@loomflow/graph-schema';
import { canvasNodeSize } from '../editor/logicflow-graph';
import type { ModelingContext } from '../features/modeling/modeling-rules';
import { flowTemplates } from '../features/templates/flow-templates';

export function testModelingContext(): ModelingContext {
  const registry = createDefaultRegistry();
  return { registry, sizeOf: (node) => canvasNodeSize(node, registry) };
}

/** A fresh copy of an example flow of the repository (`examples/<file>`), as the gallery reads it. */
export function exampleFlow(file: string): FlowDocument {
  const template = flowTemplates.find((candidate) => candidate.file === file);
  if (!template) throw new Error(`no example flow ${file}`);
  return structuredClone(template.flow);
}
