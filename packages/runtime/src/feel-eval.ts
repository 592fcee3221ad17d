import { evaluate } from 'feelin';
import { DETERMINISTIC, NodeExecutionError } from './errors';

/**
 * Evaluates a FEEL expression over the state. A missing variable or a type mismatch is an error
 * (feelin only warns and yields null), so a drawn condition never silently takes the wrong edge.
 */
export function evaluateFeel(expression: string, context: Readonly<Record<string, unknown>>, nodeId: string): unknown {
  let result: ReturnType<typeof evaluate>;
  try {
    result = evaluate(expression, context as Record<string, unknown>);
  } catch (error) {
    throw new NodeExecutionError(nodeId, 'feel', `FEEL expression "${expression}" failed: ${error instanceof Error ? error.message : String(error)}`, DETERMINISTIC);
  }
  const [warning] = result.warnings;
  if (warning) throw new NodeExecutionError(nodeId, 'feel', `FEEL expression "${expression}": ${warning.message}`, DETERMINISTIC);
  return result.value;
}
