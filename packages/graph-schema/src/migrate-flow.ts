// Node type versions: a stored node records the version of its type its config was written for
// (`typeVersion`, absent = 1), and its type carries one migration per version step. Hosts call
// `migrateFlow` where a flow is loaded to run, so the compiler only ever sees current configs.
import { createDefaultRegistry } from './default-registry';
import type { NodeType, NodeTypeRegistry } from './node-type';

/** One node's config upgraded by one version of its type. */
export interface AppliedMigration {
  readonly nodeId: string;
  readonly type: string;
  readonly from: number;
  readonly to: number;
}

export interface MigrateFlowOptions {
  readonly registry?: NodeTypeRegistry;
}

export interface MigrationResult<Document> {
  /** A new document; the one given is never changed. */
  readonly flow: Document;
  /** In the order they were applied: node by node, each node's steps in ascending version. */
  readonly applied: readonly AppliedMigration[];
}

/** The version a node's config was written for: its `typeVersion`, 1 when absent. */
export function typeVersionOf(node: { readonly typeVersion?: number | undefined }): number {
  return node.typeVersion ?? 1;
}

/**
 * Runs the migrations of `nodeType` from version `from` up to its current version over `config`.
 * The caller makes sure `from` is a version the type knows (1 to its current version).
 */
export function migrateConfig(
  nodeType: NodeType,
  config: Readonly<Record<string, unknown>>,
  from: number,
): { config: Record<string, unknown>; steps: number[] } {
  let current: Record<string, unknown> = { ...config };
  const steps: number[] = [];
  for (let version = from; version < nodeType.version; version += 1) {
    const migration = nodeType.migrations[version];
    // defineNodeType refuses a type with a missing step, so this is a registry built by hand.
    if (!migration) throw new Error(`node type "${nodeType.type}" has no migration from version ${version}`);
    current = migration(current);
    steps.push(version);
  }
  return { config: current, steps };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Upgrades every node to its type's current version. Pure: it returns a new document and leaves
 * the given one as it was. Whatever it cannot upgrade it leaves as it is for `validateFlow` to
 * report: a document that is not one, a node of an unknown type, a `typeVersion` that is not a
 * whole number from 1, or one newer than the registry knows (`type-version-too-new`).
 */
export function migrateFlow<Document>(document: Document, options: MigrateFlowOptions = {}): MigrationResult<Document> {
  if (!isRecord(document) || !Array.isArray(document.nodes)) return { flow: document, applied: [] };
  const registry = options.registry ?? createDefaultRegistry();
  const applied: AppliedMigration[] = [];
  const nodes = document.nodes.map((node: unknown) => {
    if (!isRecord(node) || typeof node.type !== 'string' || typeof node.id !== 'string') return node;
    const nodeType = registry.get(node.type);
    const from = node.typeVersion === undefined ? 1 : node.typeVersion;
    if (!nodeType || typeof from !== 'number' || !Number.isInteger(from) || from < 1 || from >= nodeType.version) return node;
    const { config, steps } = migrateConfig(nodeType, isRecord(node.config) ? node.config : {}, from);
    for (const step of steps) applied.push({ nodeId: node.id, type: node.type, from: step, to: step + 1 });
    return { ...node, config, typeVersion: nodeType.version };
  });
  // The cast is sound: only `nodes` changed, each node keeping its shape with a newer config.
  return { flow: { ...document, nodes } as Document, applied };
}
