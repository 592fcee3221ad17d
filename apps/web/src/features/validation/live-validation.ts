// validateFlow after every change, debounced so that typing in the properties panel validates once
// per pause rather than once per key, and run off the page's thread where it can (validator.ts).
import type { ValidationIssue } from '@loomflow/graph-schema';
import { computed, onBeforeUnmount, shallowRef, watch } from 'vue';
import { useNodeTypeRegistry } from '../../editor/node-type-registry';
import { useFlowDocumentStore } from '../../stores/flow-document-store';
import { usePreferencesStore } from '../../stores/preferences-store';
import { createInlineValidator, createWorkerValidator, type Validator } from './validator';

export const VALIDATION_DELAY_MS = 250;

export function useLiveValidation(delayMs = VALIDATION_DELAY_MS) {
  const store = useFlowDocumentStore();
  const preferences = usePreferencesStore();
  const registry = useNodeTypeRegistry();
  // Started by the first validation rather than with the page: see `later` below.
  let validator: Validator | undefined;
  const issues = shallowRef<readonly ValidationIssue[]>([]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The latest validation asked for: an answer to an earlier one, arriving later, is dropped. */
  let latest = 0;

  const validate = async () => {
    latest += 1;
    const asked = latest;
    try {
      validator ??= typeof Worker === 'function' ? createWorkerValidator() : createInlineValidator(registry);
      const found = await validator.validate(store.document, preferences.locale);
      if (asked === latest) issues.value = found;
    } catch (error) {
      // Validation is advice while drawing; saving and running validate again on the server.
      console.error(`loomflow: live validation failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void validate(), delayMs);
  };
  watch([() => store.revision, () => preferences.locale], later);
  // The first validation waits its pause too. An editor page opens its flow within it, and the
  // canvas draws it: starting the worker then (loading its script, building the registry) and
  // validating the document the page had before took a core from the first picture on a
  // two-core machine (issue 15: 20–40 ms of 540 at 500 nodes).
  later();
  onBeforeUnmount(() => {
    clearTimeout(timer);
    validator?.dispose();
  });

  /** The nodes and edges that have at least one issue, for the canvas to mark. */
  const issueElementIds = computed<ReadonlySet<string>>(
    () => new Set(issues.value.flatMap((issue) => [issue.nodeId, issue.edgeId].filter((id): id is string => id !== undefined))),
  );

  return { issues, issueElementIds };
}
