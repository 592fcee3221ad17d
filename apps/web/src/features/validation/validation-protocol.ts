// The messages between the page and the validation worker, and the worker's answer to one.
import { validateFlow, type FlowDocument, type Locale, type NodeTypeRegistry, type ValidationIssue } from '@loomflow/graph-schema';

export interface ValidationRequest {
  readonly id: number;
  readonly document: FlowDocument;
  readonly locale: Locale;
}

export interface ValidationAnswer {
  readonly id: number;
  readonly issues: readonly ValidationIssue[];
}

/** What the worker answers. validateFlow reports bad input as issues; were it to throw, the worker's `error` event says so (validator.ts). */
export function answerValidation(request: ValidationRequest, registry: NodeTypeRegistry): ValidationAnswer {
  return { id: request.id, issues: validateFlow(request.document, { registry, locale: request.locale }) };
}
