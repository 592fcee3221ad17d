// One bpmn-moddle set-up for reading and writing: the BPMN 2.0 packages, Camunda 8's `zeebe:`
// package and Loomflow's own, so extension elements the export writes are typed when read back.
import { BpmnModdle } from 'bpmn-moddle';
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { loomflowDescriptor } from './export/loomflow-extension';

export function createBpmnModdle(): BpmnModdle {
  return new BpmnModdle({ zeebe: zeebeDescriptor, loomflow: loomflowDescriptor });
}
