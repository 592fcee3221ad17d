// The open flow's variables (flow-variables.ts), recomputed as the document changes, and what
// graph-schema's FEEL rule needs to know of the flow (its kind and declared channels).
import { computed } from 'vue';
import { useNodeTypeRegistry } from '../../../editor/node-type-registry';
import { useFlowDocumentStore } from '../../../stores/flow-document-store';
import { flowVariablesOf } from './flow-variables';

export function useFlowVariables() {
  const store = useFlowDocumentStore();
  const registry = useNodeTypeRegistry();
  const variables = computed(() => flowVariablesOf(store.document, registry));
  /** Agent flows declare their state up front; only there is an undeclared name a mistake. */
  const checkNames = computed(() => store.document.kind === 'agent');
  const flowScope = computed(() => ({
    kind: store.document.kind,
    channels: new Set((store.document.state?.channels ?? []).map((channel) => channel.name)),
  }));
  return { variables, checkNames, flowScope };
}
