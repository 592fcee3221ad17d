// Which text keys of a node's config are `{{channel}}` templates and which are FEEL expressions.
// The zod schema says only "string"; the node type's `references` (graph-schema) say what the
// validator and the runtime read a key as, so the editor asks them instead of keeping its own list.
import type { NodeType } from '@loomflow/graph-schema';
import type { ExpressionKind } from '../../../editor/config-form';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A text that is both a valid FEEL expression and a template, so that any reading parses. */
const PROBE = 'probe';

/**
 * The top-level keys the type reads as a template or as FEEL, for this config: a text key itself,
 * or each value of a key that maps names to texts (a sub-flow's inputs, an MCP tool's arguments,
 * HTTP headers). Each key is probed with a value set, because an optional key that is absent has
 * no reference; a key whose reading depends on another (a script task's `script` is FEEL only
 * when `scriptFormat` is `feel`) is judged against the config as it is now.
 */
export function expressionKindsOf(nodeType: NodeType, config: Readonly<Record<string, unknown>>): Map<string, ExpressionKind> {
  const kinds = new Map<string, ExpressionKind>();
  const schema: unknown = nodeType.configSchema;
  const keys = isRecord(schema) && isRecord(schema.shape) ? Object.keys(schema.shape) : [];
  const defaults = isRecord(nodeType.defaults) ? nodeType.defaults : {};
  for (const key of keys) {
    const current = config[key];
    const kind =
      current === undefined || typeof current === 'string' ? probedKind(nodeType, defaults, config, key, PROBE, [key]) : undefined;
    const valueKind =
      kind === undefined && (current === undefined || isRecord(current)) ? probedKind(nodeType, defaults, config, key, { [PROBE]: PROBE }, [key, PROBE]) : undefined;
    const found = kind ?? valueKind;
    if (found) kinds.set(key, found);
  }
  return kinds;
}

/** How the type reads `path` once `key` holds `value`, when as a template or as FEEL. */
function probedKind(
  nodeType: NodeType,
  defaults: Readonly<Record<string, unknown>>,
  config: Readonly<Record<string, unknown>>,
  key: string,
  value: unknown,
  path: readonly (string | number)[],
): ExpressionKind | undefined {
  const probed = [{ ...config, [key]: value }, { ...defaults, ...config, [key]: value }]
    .map((candidate) => nodeType.configSchema.safeParse(candidate))
    .find((parsed) => parsed.success);
  if (!probed) return undefined;
  const reference = nodeType.references(probed.data).find((found) => found.path.length === path.length && found.path.every((part, index) => part === path[index]));
  return reference?.kind === 'template' || reference?.kind === 'feel' ? reference.kind : undefined;
}
