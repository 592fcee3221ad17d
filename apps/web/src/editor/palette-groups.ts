import type { FlowKind, LocalizedText, NodeType, NodeTypeRegistry } from '@loomflow/graph-schema';

export interface PaletteGroup {
  readonly category: string;
  readonly title: LocalizedText;
  readonly nodeTypes: readonly NodeType[];
}

/** The node types of one kind by category, both in registration order (the registry's palette order). */
export function paletteGroups(registry: NodeTypeRegistry, kind: FlowKind): PaletteGroup[] {
  const byCategory = new Map<string, NodeType[]>();
  for (const nodeType of registry.list(kind)) {
    const group = byCategory.get(nodeType.category);
    if (group) group.push(nodeType);
    else byCategory.set(nodeType.category, [nodeType]);
  }
  return [...byCategory].map(([category, nodeTypes]) => ({ category, title: registry.categoryTitle(category), nodeTypes }));
}
