import { interrupt } from '@langchain/langgraph';
import { formFieldsOfSchema, type HumanRequest } from '@loomflow/graph-schema';
import { validateAnswer } from '../answer-schema';
import type { Executor } from './executor';
import { renderTemplate } from './template';

/**
 * Pauses the run until a person answers; the answer's keys are written to the channels of the
 * same names. An answer that does not satisfy the schema is refused
 * and the run keeps waiting: each further interrupt() call in the same task waits for a new
 * resume value, so the refused answer is never written.
 */
export const runHuman: Executor = ({ node, state, channels }) => {
  const config = node.config as { prompt: string; schema: Record<string, unknown>; assignee?: string; candidateGroups: string[] };
  const request: HumanRequest = {
    kind: 'human',
    nodeId: node.id,
    prompt: renderTemplate(config.prompt, state, node.id),
    schema: config.schema,
    fields: formFieldsOfSchema(config.schema),
    ...(config.assignee ? { assignee: config.assignee } : {}),
    candidateGroups: config.candidateGroups,
  };
  let answer: unknown = interrupt(request);
  for (let problem = validateAnswer(config.schema, answer); problem !== undefined; problem = validateAnswer(config.schema, answer)) {
    answer = interrupt({ ...request, rejected: problem });
  }
  // Keys the flow has no channel for stay in the node's output; the answer is never lost.
  const update = Object.fromEntries(Object.entries(answer as Record<string, unknown>).filter(([key]) => channels.has(key)));
  return { update, output: answer };
};
