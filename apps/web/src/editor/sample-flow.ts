import type { FlowDocument } from '@loomflow/graph-schema';

/** The sample's texts are looked up per language, so that it reads naturally in either. */
export type SampleText = (key: 'name' | 'submit' | 'check' | 'approve' | 'autoApprove' | 'pay' | 'yes' | 'no') => string;

/**
 * A small BPMN process shown in the editor until flows are stored on the server: an expense is
 * submitted, large amounts go to a manager, small ones are approved automatically, then paid.
 */
export function createSampleFlow(text: SampleText): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'sample-expense-approval',
    name: text('name'),
    kind: 'bpmn',
    state: {
      channels: [
        { name: 'amount', type: 'number', reducer: 'replace', default: 0 },
        { name: 'approved', type: 'boolean', reducer: 'replace', default: false },
      ],
    },
    nodes: [
      { id: 'start', type: 'bpmn.startEvent', position: { x: 80, y: 200 }, config: {} },
      { id: 'submit', type: 'bpmn.userTask', name: text('submit'), position: { x: 220, y: 200 }, config: {} },
      { id: 'check', type: 'bpmn.exclusiveGateway', name: text('check'), position: { x: 380, y: 200 }, config: {} },
      { id: 'approve', type: 'bpmn.userTask', name: text('approve'), position: { x: 540, y: 110 }, config: {} },
      { id: 'autoApprove', type: 'bpmn.task', name: text('autoApprove'), position: { x: 540, y: 290 }, config: {} },
      { id: 'merge', type: 'bpmn.exclusiveGateway', position: { x: 700, y: 200 }, config: {} },
      { id: 'pay', type: 'bpmn.task', name: text('pay'), position: { x: 840, y: 200 }, config: {} },
      { id: 'end', type: 'bpmn.endEvent', position: { x: 980, y: 200 }, config: {} },
    ],
    edges: [
      { id: 'toSubmit', source: 'start', target: 'submit' },
      { id: 'toCheck', source: 'submit', target: 'check' },
      { id: 'toApprove', source: 'check', target: 'approve', label: text('yes'), condition: 'amount > 1000' },
      { id: 'toAutoApprove', source: 'check', target: 'autoApprove', label: text('no'), isDefault: true },
      { id: 'approvedToMerge', source: 'approve', target: 'merge' },
      { id: 'autoApprovedToMerge', source: 'autoApprove', target: 'merge' },
      { id: 'toPay', source: 'merge', target: 'pay' },
      { id: 'toEnd', source: 'pay', target: 'end' },
    ],
  };
}
