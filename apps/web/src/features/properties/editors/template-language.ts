// CodeMirror 6 support for the `{{channel}}` templates of prompts, URLs and bodies
// (packages/graph-schema/src/template.ts): completion after `{{` with the flow's channels and the
// dotted paths under them, placeholders marked as known or unknown, and a lint warning on each
// unknown name. The grammar itself is graph-schema's `templatePlaceholders`, so the editor marks
// exactly what the validator checks and the runtime fills.
import { autocompletion, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { linter, type Diagnostic } from '@codemirror/lint';
import { RangeSetBuilder, type Extension } from '@codemirror/state';
import { Decoration, EditorView, ViewPlugin, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import { templatePlaceholders } from '@loomflow/graph-schema';
import { isKnownPath, variableAt, type FlowVariable } from './flow-variables';

export interface TemplateScope {
  readonly variables: readonly FlowVariable[];
  /** Agent flows declare their state up front; only there is an undeclared name a mistake. */
  readonly checkNames: boolean;
}

export interface TemplateWords {
  unknown(name: string): string;
  channel(type: string): string;
  field(channel: string): string;
}

/** What is typed inside an open `{{`: the dotted path so far, up to the cursor. */
const OPEN_PLACEHOLDER = /\{\{\s*([A-Za-z_]\w*(?:\.\w*)*)?$/;

export function templateCompletions(scope: () => TemplateScope, words: () => TemplateWords) {
  return (context: CompletionContext): CompletionResult | null => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    const open = OPEN_PLACEHOLDER.exec(before);
    if (!open) return null;
    const typed = open[1] ?? '';
    const steps = typed.split('.');
    const last = steps.pop() ?? '';
    const parent = steps.length > 0 ? variableAt(scope().variables, steps) : undefined;
    if (steps.length > 0 && !parent) return null;
    const level = parent ? parent.fields : scope().variables;
    // Close the placeholder unless the text after the cursor already does.
    const closes = /^\s*\}\}/.test(line.text.slice(context.pos - line.from));
    const options: Completion[] = level.map((variable) => ({
      label: variable.name,
      type: parent ? 'property' : 'variable',
      detail: parent ? words().field(steps.join('.')) : variable.type === undefined ? undefined : words().channel(variable.type),
      ...(variable.description ? { info: variable.description } : {}),
      apply: closes || variable.fields.length > 0 ? variable.name : `${variable.name}}}`,
    }));
    return { from: context.pos - last.length, options, validFor: /^\w*$/ };
  };
}

const knownMark = Decoration.mark({ class: 'cm-template-placeholder' });
const unknownMark = Decoration.mark({ class: 'cm-template-placeholder cm-template-placeholder--unknown' });

function placeholderMarks(view: EditorView, scope: TemplateScope): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  for (const placeholder of templatePlaceholders(view.state.doc.toString())) {
    const known = !scope.checkNames || isKnownPath(scope.variables, placeholder.path);
    builder.add(placeholder.from, placeholder.from + placeholder.match.length, known ? knownMark : unknownMark);
  }
  return builder.finish();
}

/** The unknown names of a template, as lint diagnostics. */
export function templateDiagnostics(text: string, scope: TemplateScope, words: TemplateWords): Diagnostic[] {
  if (!scope.checkNames) return [];
  return templatePlaceholders(text)
    .filter((placeholder) => !isKnownPath(scope.variables, placeholder.path))
    .map((placeholder) => ({
      from: placeholder.from,
      to: placeholder.from + placeholder.match.length,
      severity: 'warning',
      message: words.unknown(placeholder.path.split('.')[0] ?? placeholder.path),
    }));
}

/** Everything a template field needs; `scope` and `words` are read on each use, so they follow the flow and the language. */
export function templateSupport(scope: () => TemplateScope, words: () => TemplateWords): Extension {
  const marks = ViewPlugin.fromClass(
    class {
      decorations: DecorationSet;
      constructor(view: EditorView) {
        this.decorations = placeholderMarks(view, scope());
      }
      update(update: ViewUpdate): void {
        if (update.docChanged || update.viewportChanged) this.decorations = placeholderMarks(update.view, scope());
      }
    },
    { decorations: (plugin) => plugin.decorations },
  );
  return [
    marks,
    autocompletion({ override: [templateCompletions(scope, words)], activateOnTyping: true }),
    linter((view) => templateDiagnostics(view.state.doc.toString(), scope(), words()), { delay: 200 }),
    EditorView.baseTheme({
      '.cm-template-placeholder': { color: 'var(--el-color-primary)', fontWeight: '600' },
      '.cm-template-placeholder--unknown': { color: 'var(--el-color-warning-dark-2, #b88230)', textDecoration: 'underline wavy' },
    }),
  ];
}
