// Nodes whose type invokes a flow (`agent.subflow`) name it by id. The runtime asks its host for that flow when the
// node runs; the CLI's host is the file system: `<flowId>.json` in one folder (`--flows-dir`,
// by default the folder of the flow file). Every sub-flow a run may reach is read and validated
// before the run starts, so a missing or broken file is reported up front, and the documents are
// stored with the thread so that a later `resume` runs the same sub-flows.
import { basename, join } from 'node:path';
import { createDefaultRegistry, flowDocumentSchema, migrateFlow, type NodeTypeRegistry } from '@loomflow/graph-schema';
import { checkFlow } from './flow-check';
import { readJsonFile } from './flow-file';
import type { CliIo } from './io';

interface SubflowReference {
  readonly nodeId: string;
  readonly flowId: string;
}

/** The flows a flow's nodes run, by their types' `invokesFlow` trait. */
function subflowReferences(document: unknown, registry: NodeTypeRegistry): SubflowReference[] {
  // Configs are read here before the runtime sees the flow, so they are brought up to their types'
  // current versions first, as lowering will: an older config would not parse and its sub-flow
  // would go unread.
  return flowDocumentSchema.parse(migrateFlow(document, { registry }).flow).nodes.flatMap((node) => {
    const nodeType = registry.get(node.type);
    const invokesFlow = nodeType?.traits.invokesFlow;
    if (!nodeType || !invokesFlow) return [];
    // The flow was validated, so its config parses.
    const config = nodeType.configSchema.safeParse(node.config);
    // A type that runs a flow in some configs only (a service task) names none in the others.
    const invoked = config.success ? invokesFlow(config.data) : undefined;
    return invoked ? [{ nodeId: node.id, flowId: invoked.flowId }] : [];
  });
}

/**
 * Reads the sub-flows a valid flow may run, and theirs in turn, from `flowsDir`. Resolves to the
 * documents by flow id, or to undefined after printing what is wrong on stderr.
 */
export async function loadSubflows(flow: unknown, flowsDir: string, io: CliIo): Promise<Record<string, unknown> | undefined> {
  const subflows: Record<string, unknown> = {};
  const registry = createDefaultRegistry();
  const pending = subflowReferences(flow, registry);
  for (let reference = pending.shift(); reference !== undefined; reference = pending.shift()) {
    const { nodeId, flowId } = reference;
    if (flowId in subflows) continue;
    if (basename(flowId) !== flowId || flowId === '.' || flowId === '..') {
      io.stderr(`loomflow: node "${nodeId}" runs sub-flow "${flowId}", which is not a file name; sub-flows are read from <flows-dir>/<flowId>.json\n`);
      return undefined;
    }
    const path = join(flowsDir, `${flowId}.json`);
    const file = await readJsonFile(path, io);
    if (!file.ok) {
      io.stderr(`loomflow: node "${nodeId}" runs sub-flow "${flowId}": ${file.message} (sub-flows are read from --flows-dir, by default the flow file's folder)\n`);
      return undefined;
    }
    if (!checkFlow(io, `sub-flow ${path}`, file.document)) return undefined;
    const { id } = flowDocumentSchema.parse(file.document);
    if (id !== flowId) {
      io.stderr(`loomflow: node "${nodeId}" runs sub-flow "${flowId}", but ${path} holds the flow "${id}"\n`);
      return undefined;
    }
    subflows[flowId] = file.document;
    pending.push(...subflowReferences(file.document, registry));
  }
  return subflows;
}
