import type { MessageSchema } from './en';

export const zhCN: MessageSchema = {
  app: {
    name: 'Loomflow',
    tagline: '设计、运行和调试 AI 智能体与 BPMN 流程',
  },
  header: {
    language: '语言',
    theme: '深色主题',
    home: '全部流程',
  },
  flowList: {
    title: '流程',
    empty: '还没有流程。打开示例流程来熟悉编辑器。',
    openSample: '打开示例流程',
  },
  editor: {
    palette: '节点类型',
    canvas: '流程画布',
    toolbar: '画布工具',
    zoomIn: '放大',
    zoomOut: '缩小',
    fit: '适应屏幕',
    kinds: {
      agent: '智能体',
      bpmn: 'BPMN',
    },
  },
  sample: {
    name: '报销审批',
    submit: '提交报销',
    check: '金额超过 1000？',
    approve: '经理审批',
    autoApprove: '自动批准',
    pay: '付款',
    yes: '是',
    no: '否',
  },
  notFound: {
    title: '页面不存在',
    back: '返回全部流程',
  },
};
