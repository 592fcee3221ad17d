// English is the reference: every other language must provide the same keys (see zh-cn.ts).
export const en = {
  app: {
    name: 'Loomflow',
    tagline: 'Design, run and debug AI agents and BPMN processes',
  },
  header: {
    language: 'Language',
    theme: 'Dark theme',
    home: 'All flows',
  },
  flowList: {
    title: 'Flows',
    empty: 'No flows yet. Open the sample flow to look around the editor.',
    openSample: 'Open the sample flow',
  },
  editor: {
    palette: 'Node types',
    canvas: 'Flow canvas',
    toolbar: 'Canvas tools',
    zoomIn: 'Zoom in',
    zoomOut: 'Zoom out',
    fit: 'Fit to screen',
    kinds: {
      agent: 'Agent',
      bpmn: 'BPMN',
    },
  },
  sample: {
    name: 'Expense approval',
    submit: 'Submit expense',
    check: 'Amount over 1000?',
    approve: 'Manager approval',
    autoApprove: 'Approve automatically',
    pay: 'Pay out',
    yes: 'yes',
    no: 'no',
  },
  notFound: {
    title: 'Page not found',
    back: 'Back to all flows',
  },
};

export type MessageSchema = typeof en;
