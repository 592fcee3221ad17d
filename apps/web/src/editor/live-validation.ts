// validateFlow after every change, debounced so that typing in the properties panel validates once
// per pause rather than once per key.
import { validateFlow, type ValidationIssue } from '@loomflow/graph-schema';
import { computed, onBeforeUnmount, shallowRef, watch } from 'vue';
import { useFlowDocumentStore } from '../stores/flow-document-store';
import { usePreferencesStore } from '../stores/preferences-store';
import { useNodeTypeRegistry } from './node-type-registry';

export const VALIDATION_DELAY_MS = 250;

export function useLiveValidation(delayMs = VALIDATION_DELAY_MS) {
  const store = useFlowDocumentStore();
  const preferences = usePreferencesStore();
  const registry = useNodeTypeRegistry();
  const issues = shallowRef<readonly ValidationIssue[]>([]);
  let timer: ReturnType<typeof setTimeout> | undefined;

  const validate = () => {
    issues.value = validateFlow(store.document, { registry, locale: preferences.locale });
  };

  watch([() => store.revision, () => preferences.locale], () => {
    clearTimeout(timer);
    timer = setTimeout(validate, delayMs);
  });
  validate();
  onBeforeUnmount(() => clearTimeout(timer));

  /** The nodes and edges that have at least one issue, for the canvas to mark. */
  const issueElementIds = computed<ReadonlySet<string>>(
    () => new Set(issues.value.flatMap((issue) => [issue.nodeId, issue.edgeId].filter((id): id is string => id !== undefined))),
  );

  return { issues, issueElementIds };
}
