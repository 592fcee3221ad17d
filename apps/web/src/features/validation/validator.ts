// Where live validation runs. In the browser, in a Web Worker (validation.worker.ts): validateFlow
// takes 100–300 ms per edit at 2,000 nodes, which on the page's thread would hold up drag frames
// and typing. Where no Worker exists (unit tests under happy-dom), on the calling thread with the
// registry given. Both run the same validateFlow.
import { validateFlow, type FlowDocument, type Locale, type NodeTypeRegistry, type ValidationIssue } from '@loomflow/graph-schema';
import type { ValidationAnswer, ValidationRequest } from './validation-protocol';

export interface Validator {
  /** The issues of `document`; a later call's answer may come first (the caller keeps the latest). */
  validate(document: FlowDocument, locale: Locale): Promise<readonly ValidationIssue[]>;
  dispose(): void;
}

export function createInlineValidator(registry: NodeTypeRegistry): Validator {
  return {
    validate: async (document, locale) => validateFlow(document, { registry, locale }),
    dispose: () => undefined,
  };
}

/**
 * The worker validates with the default registry, the one main.ts gives the app. The document is
 * copied to it (structured clone), which costs a small part of what validating it does.
 */
export function createWorkerValidator(): Validator {
  const worker = new Worker(new URL('./validation.worker.ts', import.meta.url), { type: 'module', name: 'loomflow-validation' });
  const pending = new Map<number, { resolve: (issues: readonly ValidationIssue[]) => void; reject: (error: Error) => void }>();
  let next = 0;
  worker.addEventListener('message', (event: MessageEvent<ValidationAnswer>) => {
    const answer = event.data;
    pending.get(answer.id)?.resolve(answer.issues);
    pending.delete(answer.id);
  });
  // A worker that cannot start (its script failed to load) or that threw fails every validation waiting on it.
  worker.addEventListener('error', (event) => {
    for (const waiting of pending.values()) waiting.reject(new Error(`the validation worker failed: ${event.message}`));
    pending.clear();
  });
  return {
    validate(document, locale) {
      next += 1;
      const request: ValidationRequest = { id: next, document, locale };
      return new Promise((resolve, reject) => {
        pending.set(request.id, { resolve, reject });
        worker.postMessage(request);
      });
    },
    dispose: () => worker.terminate(),
  };
}
