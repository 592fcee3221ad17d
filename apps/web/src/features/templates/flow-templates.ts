// The templates gallery's content: every valid example flow of the repository (`examples/`), read
// when the app is built, so that the examples later work adds (AI agents, BPMN processes) show up
// in the gallery without any change here. `examples/invalid/` holds broken flows on purpose, and
// the package's own files (package.json, tsconfig.json, node_modules) are not flows.
import { flowDocumentSchema, type ConfigPath, type FlowDocument, type FlowNode, type NodeTypeRegistry } from '@loomflow/graph-schema';
import { templateTextsZhCn } from './template-texts';

const exampleFiles = import.meta.glob<unknown>(
  ['../../../../../examples/**/*.json', '!../../../../../examples/*.json', '!../../../../../examples/invalid/**', '!../../../../../examples/node_modules/**'],
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

/** The flows a node runs (its type's `invokesFlow` trait), with where its config names them. */
function invokedFlow(node: FlowNode, registry: NodeTypeRegistry): { readonly flowId: string; readonly path: ConfigPath } | undefined {
  const nodeType = registry.get(node.type);
  const invokesFlow = nodeType?.traits.invokesFlow;
  if (!nodeType || !invokesFlow) return undefined;
  const config = nodeType.configSchema.safeParse(node.config);
  return config.success ? invokesFlow(config.data) : undefined;
}

function setAt(target: Record<string, unknown>, path: ConfigPath, value: unknown): void {
  let holder: unknown = target;
  for (const key of path.slice(0, -1)) holder = (holder as Record<string | number, unknown>)[key];
  const last = path.at(-1);
  if (last !== undefined && typeof holder === 'object' && holder !== null) (holder as Record<string | number, unknown>)[last] = value;
}

/**
 * The flows "use template" stores: a copy of the template and of every template it runs as a
 * sub-flow or call activity, at any depth, each under a fresh id derived from its own and named
 * as the reader saw it. A copy that runs another copied template points at that copy, so the
 * copied checkout runs the copied pricing flow rather than an id nothing may be stored under.
 * The flows it runs come first and the template's own copy last, so that each is stored before
 * anything runs it.
 */
export function flowsFromTemplate(template: FlowTemplate, registry: NodeTypeRegistry, now = Date.now(), locale = 'en', templates: readonly FlowTemplate[] = flowTemplates): FlowDocument[] {
  const byFlowId = new Map(templates.map((candidate) => [candidate.flow.id, candidate]));
  const copyId = (flowId: string) => `${flowId}-${now.toString(36)}`;
  const ordered: FlowTemplate[] = [];
  const seen = new Set<string>();
  const visit = (current: FlowTemplate) => {
    if (seen.has(current.flow.id)) return;
    seen.add(current.flow.id);
    for (const node of current.flow.nodes) {
      const invoked = invokedFlow(node, registry);
      const runs = invoked && byFlowId.get(invoked.flowId);
      if (runs) visit(runs);
    }
    ordered.push(current);
  };
  visit(template);
  return ordered.map((current) => {
    const flow: FlowDocument = { ...structuredClone(current.flow), id: copyId(current.flow.id), name: templateText(current, locale).name };
    for (const node of flow.nodes) {
      const invoked = invokedFlow(node, registry);
      if (invoked && seen.has(invoked.flowId)) setAt(node.config, invoked.path, copyId(invoked.flowId));
    }
    return flow;
  });
}
