// The server runs flows that anyone holding the API token wrote: a flow carrying a stdio MCP
// command line (`{ transport: 'stdio', command }`) would run that program on the server. Such a
// flow is refused before it runs, naming the node; flows name servers registered in settings.
import type { FlowDocument } from '@loomflow/graph-schema';
import { UnprocessableError } from '../errors';

interface InlineCommand {
  readonly nodeId: string;
  readonly path: readonly (string | number)[];
  readonly command: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * Every stdio MCP server in a node's config, wherever the node type keeps it (agent.mcp's
 * `server`, an MCP tool of agent.tools or agent.react), so a node type added later is covered too.
 */
export function findInlineMcpCommands(flow: FlowDocument): InlineCommand[] {
  const found: InlineCommand[] = [];
  const visit = (nodeId: string, value: unknown, path: (string | number)[]) => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(nodeId, item, [...path, index]));
    } else if (isRecord(value)) {
      if (value.transport === 'stdio' && typeof value.command === 'string') found.push({ nodeId, path, command: value.command });
      else for (const [key, item] of Object.entries(value)) visit(nodeId, item, [...path, key]);
    }
  };
  for (const node of flow.nodes) visit(node.id, node.config, ['config']);
  return found;
}

/** Throws a 422 `mcp_command_refused` naming the first node that carries a stdio command line. */
export function refuseInlineMcpCommands(flow: FlowDocument): void {
  const [first, ...others] = findInlineMcpCommands(flow);
  if (!first) return;
  const more = others.length > 0 ? ` (and ${others.length} more)` : '';
  throw new UnprocessableError(
    'mcp_command_refused',
    `Flow "${flow.id}" cannot run on the server: node "${first.nodeId}" starts an MCP server from a command line ("${first.command}") at ${first.path.join('.')}${more}. ` +
      'The server starts only MCP servers registered in its settings (PUT /api/settings/mcp-servers/:name); name one with { "transport": "registered", "name": "…" }.',
    { nodeId: first.nodeId, path: first.path, nodes: [first, ...others].map((item) => item.nodeId) },
  );
}
