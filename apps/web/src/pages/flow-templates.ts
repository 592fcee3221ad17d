// The templates gallery's content: every valid example flow of the repository (`examples/`), read
// when the app is built, so that the examples later work adds (AI agents, BPMN processes) show up
// in the gallery without any change here. `examples/invalid/` holds broken flows on purpose, and
// the package's own files (package.json, tsconfig.json, node_modules) are not flows.
import { flowDocumentSchema, type FlowDocument } from '@loomflow/graph-schema';
import { templateTextsZhCn } from './template-texts';

const exampleFiles = import.meta.glob<unknown>(
  ['../../../../examples/**/*.json', '!../../../../examples/*.json', '!../../../../examples/invalid/**', '!../../../../examples/node_modules/**'],
  { eager: true, import: 'default' },
);

export interface FlowTemplate {
  /** The file it comes from, relative to `examples/` (e.g. `bpmn/expense-approval.json`). */
  readonly file: string;
  readonly flow: FlowDocument;
}

/** Templates by kind, then name. A file that is not a flow document is left out (examples.test.ts forbids that). */
export const flowTemplates: readonly FlowTemplate[] = Object.entries(exampleFiles)
  .flatMap(([path, content]) => {
    const parsed = flowDocumentSchema.safeParse(content);
    return parsed.success ? [{ file: path.replace(/^(\.\.\/)+examples\//, ''), flow: parsed.data }] : [];
  })
  .sort((a, b) => a.flow.kind.localeCompare(b.flow.kind) || a.flow.name.localeCompare(b.flow.name));

/** The template's name and description in the reader's language (the file's English otherwise). */
export function templateText(template: FlowTemplate, locale: string): { readonly name: string; readonly description: string } {
  const translated = locale === 'zh-CN' ? templateTextsZhCn[template.file] : undefined;
  return translated ?? { name: template.flow.name, description: template.flow.description ?? '' };
}

/** A new flow with the template's content, named as the reader saw it, under a fresh id derived from the template's. */
export function flowFromTemplate(template: FlowTemplate, now = Date.now(), locale = 'en'): FlowDocument {
  return { ...structuredClone(template.flow), id: `${template.flow.id}-${now.toString(36)}`, name: templateText(template, locale).name };
}
