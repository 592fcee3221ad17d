// The template gallery's words (the list page): cards with a small drawing, the preview with the
// template's nodes, and "use template". Registered under `templates` in i18n/en.ts and zh-cn.ts.
// The templates' own names and descriptions are the flow files' English and template-texts.ts.
export const templatesEn = {
  title: 'Start from a template',
  filter: 'Show templates of one kind',
  all: 'All',
  nodeCount: 'no nodes | 1 node | {count} nodes',
  use: 'Use template',
  preview: 'Preview',
  previewOf: 'Drawing of "{name}"',
  nodes: 'Its nodes',
  runs: 'Runs "{name}", which is copied with it.',
  close: 'Close',
  createFailed: 'Could not create a flow from "{name}": {message}',
};

export const templatesZhCn: typeof templatesEn = {
  title: '从模板开始',
  filter: '按类型筛选模板',
  all: '全部',
  nodeCount: '没有节点 | 1 个节点 | {count} 个节点',
  use: '使用模板',
  preview: '预览',
  previewOf: '“{name}”的流程图',
  nodes: '包含的节点',
  runs: '会运行“{name}”，使用模板时一并复制。',
  close: '关闭',
  createFailed: '无法从“{name}”创建流程：{message}',
};
