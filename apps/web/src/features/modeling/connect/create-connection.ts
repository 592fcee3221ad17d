// Connecting two nodes: the port rules are graph-schema's `checkConnection`, shared with the
// validator, so the canvas can never draw an edge that validation then rejects.
import { checkConnection, formatConnectionRefusal, type ConnectionRequest } from '@loomflow/graph-schema';
import { allowed, defineModelingCommand, refuse, type ModelingCommand } from '../modeling-command';
import type { ModelingContext } from '../modeling-rules';

/** `connection.create`: an edge `edgeId` stored with the ports the check resolved. */
export function createConnection(context: ModelingContext, edgeId: string, request: ConnectionRequest): ModelingCommand {
  return defineModelingCommand(
    'connection.create',
    (flow) => {
      if (flow.nodes.some((node) => node.id === edgeId) || flow.edges.some((edge) => edge.id === edgeId)) return refuse({ code: 'id-taken' });
      const check = checkConnection(flow, context.registry, request);
      return check.allowed ? allowed : refuse({ code: 'connection', reason: check.reason });
    },
    (edit) => {
      const check = checkConnection(edit.flow, context.registry, request);
      if (!check.allowed) throw new Error(`connection refused: ${formatConnectionRefusal(check.reason, edit.flow, 'en')}`);
      edit.addEdge({ id: edgeId, source: request.source, target: request.target, sourcePort: check.sourcePort, targetPort: check.targetPort });
    },
  );
}
