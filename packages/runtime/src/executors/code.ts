import { DETERMINISTIC, NodeExecutionError } from '../errors';
import { SandboxError } from '../sandbox/code-sandbox';
import type { Executor } from './executor';

export const runCode: Executor = async ({ node, state, services }) => {
  const { source, timeoutMs, memoryMb } = node.config as { source: string; timeoutMs: number; memoryMb: number };
  let result: unknown;
  try {
    result = await services.sandbox.run(source, state, { timeoutMs, memoryMb });
  } catch (error) {
    if (error instanceof SandboxError) throw new NodeExecutionError(node.id, `sandbox.${error.reason}`, error.message);
    throw error;
  }
  if (result === undefined || result === null) return { update: {} };
  if (typeof result !== 'object' || Array.isArray(result)) {
    throw new NodeExecutionError(node.id, 'sandbox.result', `the code must return an object of channel updates, not ${Array.isArray(result) ? 'an array' : typeof result}`, DETERMINISTIC);
  }
  return { update: result as Record<string, unknown> };
};
