// The names a template or a FEEL expression of the open flow can read, for completion: the state
// channels it declares and, in a BPMN flow whose variables come into being when written, the
// variables its nodes write (a user task's form fields). An object channel's default value tells
// the dotted paths under it (`{{customer.name}}`).
import type { FlowDocument, NodeTypeRegistry } from '@loomflow/graph-schema';

export interface FlowVariable {
  readonly name: string;
  /** The channel type (`string`, `object`…), or undefined for a BPMN variable that is only written. */
  readonly type: string | undefined;
  readonly description: string | undefined;
  readonly fields: readonly FlowVariable[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Bounds the paths offered under an object, so that a large default does not flood the list. */
const MAX_DEPTH = 3;

function fieldsOf(value: unknown, depth: number): FlowVariable[] {
  if (!isRecord(value) || depth >= MAX_DEPTH) return [];
  return Object.entries(value)
    .filter(([key]) => /^\w+$/.test(key))
    .map(([key, field]) => ({ name: key, type: undefined, description: undefined, fields: fieldsOf(field, depth + 1) }));
}

export function flowVariablesOf(flow: FlowDocument, registry: NodeTypeRegistry): FlowVariable[] {
  const variables = new Map<string, FlowVariable>();
  for (const channel of flow.state?.channels ?? []) {
    variables.set(channel.name, { name: channel.name, type: channel.type, description: channel.description, fields: fieldsOf(channel.default, 0) });
  }
  if (flow.kind === 'bpmn') {
    for (const node of flow.nodes) {
      const nodeType = registry.get(node.type);
      const parsed = nodeType?.configSchema.safeParse(node.config);
      if (!nodeType || !parsed?.success) continue;
      for (const reference of nodeType.references(parsed.data)) {
        if (reference.kind === 'channel' && !variables.has(reference.name)) {
          variables.set(reference.name, { name: reference.name, type: undefined, description: undefined, fields: [] });
        }
      }
    }
  }
  return [...variables.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The variable at a dotted path (`customer.address`), or undefined. */
export function variableAt(variables: readonly FlowVariable[], path: readonly string[]): FlowVariable | undefined {
  let level: readonly FlowVariable[] = variables;
  let found: FlowVariable | undefined;
  for (const step of path) {
    found = level.find((variable) => variable.name === step);
    if (!found) return undefined;
    level = found.fields;
  }
  return found;
}

/** Whether a template's placeholder path reads a channel of the flow (its first name). */
export function isKnownPath(variables: readonly FlowVariable[], path: string): boolean {
  const root = path.split('.')[0] ?? '';
  return variables.some((variable) => variable.name === root);
}
