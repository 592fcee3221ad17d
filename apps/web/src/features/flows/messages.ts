// The words of the open flow as a whole in the editor: its name in the header, the warning before
// leaving it with unsaved changes, and the page shown for a flow id nothing is stored under.
// Registered under `flows` in i18n/en.ts and zh-cn.ts.
export const flowsEn = {
  rename: {
    label: 'Flow name',
    hint: 'Click to rename the flow',
    invalid: 'A flow name has 1 to 200 characters.',
  },
  leave: {
    title: 'Leave without saving?',
    message: 'This flow has changes that are not saved. If you leave now, they stay only as a local draft in this browser.',
    stay: 'Stay',
    leave: 'Leave',
  },
  notFound: {
    title: 'Flow not found',
    message: 'No flow with the id "{id}" is stored on this server. It may have been deleted, or the link is mistyped.',
    back: 'Back to all flows',
  },
};

export const flowsZhCn: typeof flowsEn = {
  rename: {
    label: '流程名称',
    hint: '点击重命名流程',
    invalid: '流程名称为 1 到 200 个字符。',
  },
  leave: {
    title: '不保存就离开？',
    message: '此流程有尚未保存的修改。现在离开的话，这些修改只会作为本地草稿保留在此浏览器中。',
    stay: '留下',
    leave: '离开',
  },
  notFound: {
    title: '未找到流程',
    message: '此服务器上没有 ID 为“{id}”的流程。它可能已被删除，或者链接有误。',
    back: '返回全部流程',
  },
};
