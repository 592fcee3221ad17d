// The palette feature's words: searching the node types of the open flow's kind, and quick-add
// (the node types offered where a connection was dropped on empty canvas). Registered under
// `palette` in i18n/en.ts and zh-cn.ts.
export const paletteEn = {
  search: 'Search node types',
  searchHint: 'Name or description, in English or Chinese',
  noMatch: 'No node type matches "{query}".',
  quickAdd: {
    title: 'Add a node here, connected from "{source}"',
    search: 'Filter',
    none: 'Nothing can follow "{source}".',
    noMatch: 'No node type that can follow "{source}" matches "{query}".',
  },
};

export const paletteZhCn: typeof paletteEn = {
  search: '搜索节点类型',
  searchHint: '名称或说明，中英文均可',
  noMatch: '没有与“{query}”匹配的节点类型。',
  quickAdd: {
    title: '在此添加节点，由“{source}”连入',
    search: '筛选',
    none: '“{source}”之后不能再连接任何节点。',
    noMatch: '没有既能接在“{source}”之后、又与“{query}”匹配的节点类型。',
  },
};
