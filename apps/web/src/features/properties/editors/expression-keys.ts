// Which text keys of a node's config are `{{channel}}` templates and which are FEEL expressions.
// The zod schema says only "string"; the node type's `references` (graph-schema) say what the
// validator and the runtime read a key as, so the editor asks them instead of keeping its own list.
import type { NodeType } from '@loomflow/graph-schema';
import type { ExpressionKind } from '../../../editor/config-form';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A text that is both a valid FEEL expression and a template, so that any reading parses. */
const PROBE = 'probe';

/**
 * The top-level text keys the type reads as a template or as FEEL, for this config. Each key is
 * probed with a text set, because an optional key that is absent has no reference; a key whose
 * reading depends on another (a script task's `script` is FEEL only when `scriptFormat` is
 * `feel`) is judged against the config as it is now.
 */
export function expressionKindsOf(nodeType: NodeType, config: Readonly<Record<string, unknown>>): Map<string, ExpressionKind> {
  const kinds = new Map<string, ExpressionKind>();
  const schema: unknown = nodeType.configSchema;
  const keys = isRecord(schema) && isRecord(schema.shape) ? Object.keys(schema.shape) : [];
  const defaults = isRecord(nodeType.defaults) ? nodeType.defaults : {};
  for (const key of keys) {
    if (config[key] !== undefined && typeof config[key] !== 'string') continue;
    const probed = [{ ...config, [key]: PROBE }, { ...defaults, ...config, [key]: PROBE }]
      .map((candidate) => nodeType.configSchema.safeParse(candidate))
      .find((parsed) => parsed.success);
    if (!probed) continue;
    const reference = nodeType.references(probed.data).find((found) => found.path.length === 1 && found.path[0] === key);
    if (reference?.kind === 'template' || reference?.kind === 'feel') kinds.set(key, reference.kind);
  }
  return kinds;
}
