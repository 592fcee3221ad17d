// One bpmn-moddle set-up for reading and writing: the BPMN 2.0 packages, Camunda 8's `zeebe:`
// package and Loomflow's own, so extension elements the export writes are typed when read back.
import { BpmnModdle } from 'bpmn-moddle';
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { loomflowDescriptor } from './export/loomflow-extension';

let shared: BpmnModdle | undefined;

/**
 * The one instance every import and export uses. A moddle holds no state of a document, only its
 * packages and a constructor per element type, built on first use; a fresh instance per call
 * built them all again and gave V8 new shapes to learn on every file (a fifth of an export's time
 * on generated diagrams of 1,000–4,000 elements).
 */
export function bpmnModdle(): BpmnModdle {
  shared ??= new BpmnModdle({ zeebe: zeebeDescriptor, loomflow: loomflowDescriptor });
  return shared;
}
