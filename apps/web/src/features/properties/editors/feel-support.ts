// What the designer adds to @bpmn-io/feel-editor: the flow's variables in the shape it completes
// from, and a lint warning on each name graph-schema's FEEL rule (`findFeelProblems`, the rule the
// validator applies) says the flow does not declare.
import type { FeelEditorVariable } from '@bpmn-io/feel-editor';
import { linter, type Diagnostic } from '@codemirror/lint';
import type { Extension } from '@codemirror/state';
import { findFeelProblems } from '@loomflow/graph-schema';
import type { FlowVariable } from './flow-variables';

export interface FeelScope {
  readonly kind: string | undefined;
  readonly channels: ReadonlySet<string>;
}

export function feelVariablesOf(variables: readonly FlowVariable[], describeType: (type: string) => string): FeelEditorVariable[] {
  return variables.map((variable) => ({
    name: variable.name,
    ...(variable.type === undefined ? {} : { detail: describeType(variable.type) }),
    ...(variable.description ? { info: variable.description } : {}),
    ...(variable.fields.length > 0 ? { entries: feelVariablesOf(variable.fields, describeType) } : {}),
  }));
}

export function unknownNameDiagnostics(expression: string, scope: FeelScope, message: (name: string) => string): Diagnostic[] {
  return findFeelProblems(expression, scope).unknown.map((read) => ({ from: read.from, to: read.to, severity: 'warning', message: message(read.name) }));
}

export function unknownNameLinter(scope: () => FeelScope, message: (name: string) => string): Extension {
  return linter((view) => unknownNameDiagnostics(view.state.doc.toString(), scope(), message), { delay: 200 });
}
