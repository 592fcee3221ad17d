// The templates gallery's content: every valid example flow of the repository (`examples/`), read
// when the app is built, so that the examples later work adds (AI agents, BPMN processes) show up
// in the gallery without any change here. `examples/invalid/` holds broken flows on purpose, and
// the package's own files (package.json, tsconfig.json, node_modules) are not flows.
import { flowDocumentSchema, type FlowDocument } from '@loomflow/graph-schema';

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

/** A new flow with the template's content, under a fresh id derived from the template's. */
export function flowFromTemplate(template: FlowTemplate, now = Date.now()): FlowDocument {
  return { ...structuredClone(template.flow), id: `${template.flow.id}-${now.toString(36)}` };
}
