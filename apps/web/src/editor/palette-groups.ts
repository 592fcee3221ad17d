import { locales, type FlowKind, type LocalizedText, type NodeType, type NodeTypeRegistry } from '@loomflow/graph-schema';

export interface PaletteGroup {
  readonly category: string;
  readonly title: LocalizedText;
  readonly nodeTypes: readonly NodeType[];
}

/**
 * Whether a node type answers a palette search: every word of the query is found in its title or
 * description, in either language, so that a reader finds "用户任务" typing "user" and the other
 * way round. Case is ignored; an empty query matches everything.
 */
export function matchesSearch(nodeType: NodeType, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return true;
  const haystack = locales.map((locale) => `${nodeType.title[locale]} ${nodeType.description[locale]}`).join(' ').toLowerCase();
  return words.every((word) => haystack.includes(word));
}

/**
 * The node types a flow of `kind` may hold (the registry's `list(kind)`, the same rule the create
 * command and validateFlow apply) that match `query`, by category, both in registration order
 * (the registry's palette order). Categories left empty by the search are left out.
 */
export function paletteGroups(registry: NodeTypeRegistry, kind: FlowKind, query = ''): PaletteGroup[] {
  const byCategory = new Map<string, NodeType[]>();
  for (const nodeType of registry.list(kind)) {
    if (!matchesSearch(nodeType, query)) continue;
    const group = byCategory.get(nodeType.category);
    if (group) group.push(nodeType);
    else byCategory.set(nodeType.category, [nodeType]);
  }
  return [...byCategory].map(([category, nodeTypes]) => ({ category, title: registry.categoryTitle(category), nodeTypes }));
}
