// Running the tool calls of a model's reply, for agent.tools and for the tools step inside
// agent.react: a person approves the calls of the tools the node names first (all of them before
// any tool runs, so a resumed step never runs a tool twice), then the calls run in parallel, each
// reported as tool.call / tool.result events and answered with a ToolMessage. A failed call is
// shown to the model, which may try again; too many failures in a row end the node.
import { interrupt, type LangGraphRunnableConfig } from '@langchain/langgraph';
import { AIMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { HumanRequest } from '@loomflow/graph-schema';
import { validateAnswer } from '../answer-schema';
import { DETERMINISTIC, NodeExecutionError } from '../errors';
import type { ExecutionContext } from '../executors/executor';
import { ToolCallError, type RunnableTool } from './node-tools';

export interface ToolPolicy {
  /** Tool names whose calls a person approves, edits or rejects first. */
  readonly approveTools: readonly string[];
  /** More failed calls in a row than this end the node. */
  readonly maxConsecutiveErrors: number;
}

interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly args: Record<string, unknown>;
}

/** A person's answer to an approval request. */
interface Approval {
  readonly decision: 'approve' | 'edit' | 'reject';
  readonly arguments?: Record<string, unknown>;
  readonly reason?: string;
}

/** The approval form: both languages in one text, since the request is stored before anyone reads it. */
const APPROVAL_SCHEMA = {
  type: 'object',
  properties: {
    decision: { type: 'string', enum: ['approve', 'edit', 'reject'], title: 'Decision / 决定' },
    arguments: { type: 'object', title: 'Arguments, when edited / 修改后的参数' },
    reason: { type: 'string', title: 'Reason, when rejected / 拒绝理由' },
  },
  required: ['decision'],
} as const;

/** The calls of the conversation's last model message that no tool message answers yet. */
export function pendingToolCalls(messages: readonly BaseMessage[]): ToolCall[] {
  const last = messages.findLast((message) => AIMessage.isInstance(message));
  if (!last) return [];
  const answered = new Set(messages.flatMap((message) => (ToolMessage.isInstance(message) ? [message.tool_call_id] : [])));
  return (last.tool_calls ?? []).flatMap((call, index) => {
    const id = call.id ?? `call_${index}`;
    return answered.has(id) ? [] : [{ id, name: call.name, args: { ...call.args } }];
  });
}

/** Asks a person about one call, until the answer fits the form; the server checks it too. */
function askApproval(nodeId: string, call: ToolCall): Approval {
  const request: HumanRequest = {
    kind: 'human',
    nodeId,
    prompt: `Approve the call of tool "${call.name}"? / 是否批准调用工具 "${call.name}"？\n${JSON.stringify(call.args, null, 2)}`,
    schema: APPROVAL_SCHEMA,
    fields: [
      {
        key: 'decision',
        label: APPROVAL_SCHEMA.properties.decision.title,
        type: 'enum',
        required: true,
        options: [
          { value: 'approve', label: 'Approve / 批准' },
          { value: 'edit', label: 'Run with edited arguments / 修改参数后执行' },
          { value: 'reject', label: 'Reject / 拒绝' },
        ],
      },
      { key: 'reason', label: APPROVAL_SCHEMA.properties.reason.title, type: 'string', required: false },
    ],
    candidateGroups: [],
  };
  let answer: unknown = interrupt(request);
  for (let problem = validateAnswer(APPROVAL_SCHEMA, answer); problem !== undefined; problem = validateAnswer(APPROVAL_SCHEMA, answer)) {
    answer = interrupt({ ...request, rejected: problem });
  }
  return answer as Approval;
}

const contentOf = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value ?? null));

/** How many tool messages at the end of the conversation failed, model messages aside. */
function trailingErrors(messages: readonly BaseMessage[]): ToolMessage[] {
  const failed: ToolMessage[] = [];
  for (const message of [...messages].reverse()) {
    if (!ToolMessage.isInstance(message)) {
      if (AIMessage.isInstance(message)) continue;
      break;
    }
    if (message.status !== 'error') break;
    failed.push(message);
  }
  return failed;
}

/**
 * Runs the pending calls of the conversation's last model message and returns their answers, in
 * the order of the calls. A call of an unknown tool, with arguments that are not an object, or
 * that fails is answered with an error the model reads.
 */
export async function runToolCalls(
  context: ExecutionContext,
  tools: ReadonlyMap<string, RunnableTool>,
  messages: readonly BaseMessage[],
  policy: ToolPolicy,
  config: LangGraphRunnableConfig = context.config,
): Promise<ToolMessage[]> {
  const { node, emit } = context;
  const calls = pendingToolCalls(messages);
  // Approvals first: interrupt() pauses here, and on resume this step runs again from the top.
  const decided = calls.map((call) => ({ call, approval: policy.approveTools.includes(call.name) ? askApproval(node.id, call) : undefined }));

  const answers = await Promise.all(
    decided.map(async ({ call, approval }): Promise<ToolMessage> => {
      const answer = (content: string, status: 'success' | 'error') => new ToolMessage({ content, status, name: call.name, tool_call_id: call.id });
      if (approval?.decision === 'reject') {
        const reason = approval.reason?.trim() ? approval.reason : 'no reason given';
        emit({ type: 'tool.result', toolCallId: call.id, name: call.name, result: `rejected: ${reason}`, isError: true });
        return answer(`A person rejected this call (${reason}). Do not call it again with the same arguments.`, 'error');
      }
      const args = approval?.decision === 'edit' && approval.arguments ? approval.arguments : call.args;
      emit({ type: 'tool.call', toolCallId: call.id, name: call.name, args });
      const tool = tools.get(call.name);
      try {
        if (!tool) throw new ToolCallError(`there is no tool "${call.name}"; the tools are ${[...tools.keys()].map((name) => `"${name}"`).join(', ') || 'none'}`);
        const result = await tool.call(args, { toolCallId: call.id, config });
        emit({ type: 'tool.result', toolCallId: call.id, name: call.name, result, isError: false });
        return answer(contentOf(result), 'success');
      } catch (error) {
        if (!(error instanceof ToolCallError)) throw error;
        emit({ type: 'tool.result', toolCallId: call.id, name: call.name, result: error.message, isError: true });
        return answer(`Error: ${error.message}`, 'error');
      }
    }),
  );

  const failed = trailingErrors([...messages, ...answers]);
  if (failed.length > policy.maxConsecutiveErrors) {
    const last = failed[0] as ToolMessage;
    throw new NodeExecutionError(
      node.id,
      'tools.too_many_errors',
      `${failed.length} tool calls failed in a row, more than its maxConsecutiveErrors (${policy.maxConsecutiveErrors}); the last, of "${last.name ?? '?'}": ${contentOf(last.content).slice(0, 500)}`,
      DETERMINISTIC,
    );
  }
  return answers;
}
