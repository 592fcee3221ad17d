// A business rule task's decision, run by Loomflow itself: rules of a FEEL condition and a FEEL
// output, checked in order, with the hit policies `first` and `collect` of a DMN decision table
// and a default for no match. (A task that names a DMN decision of another engine is refused when
// the flow is compiled, executors/bpmn.ts.)
import type { DecisionConfig } from '@loomflow/graph-schema';
import { DETERMINISTIC, NodeExecutionError } from '../errors';
import { evaluateFeel } from '../feel-eval';
import type { Executor } from './executor';

export const runBusinessRuleTask: Executor = ({ node, state }) => {
  const { decision, resultVariable } = node.config as { decision: DecisionConfig; resultVariable: string };
  const matched: number[] = [];
  for (const [index, rule] of decision.rules.entries()) {
    if (evaluateFeel(rule.condition, state, node.id) !== true) continue;
    matched.push(index);
    if (decision.hitPolicy === 'first') break;
  }
  let result: unknown;
  if (matched.length === 0) {
    if (decision.default === undefined) {
      throw new NodeExecutionError(node.id, 'bpmn.decision', `no rule of its decision matches and it has no default output (${decision.rules.length} rules checked)`, DETERMINISTIC);
    }
    result = evaluateFeel(decision.default, state, node.id);
  } else {
    const outputs = matched.map((index) => evaluateFeel((decision.rules[index] as DecisionConfig['rules'][number]).output, state, node.id));
    result = decision.hitPolicy === 'first' ? outputs[0] : outputs;
  }
  // The rule numbers that matched (1-based, as a decision table shows them) explain the result.
  return { update: { [resultVariable]: result }, output: { result, matchedRules: matched.map((index) => index + 1) } };
};
