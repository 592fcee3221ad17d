import { DETERMINISTIC, NodeExecutionError } from '../errors';
import { SandboxError } from '../sandbox/code-sandbox';
import type { Executor } from './executor';

export const runCode: Executor = async ({ node, state, services }) => {
  const { source, timeoutMs, memoryMb, writes } = node.config as { source: string; timeoutMs: number; memoryMb: number; writes?: string[] };
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
  const update = result as Record<string, unknown>;
  const undeclared = writes ? Object.keys(update).filter((key) => !writes.includes(key)) : [];
  if (undeclared.length > 0) {
    const declared = writes?.length ? writes.map((name) => `"${name}"`).join(', ') : 'none';
    throw new NodeExecutionError(
      node.id,
      'code.undeclared_write',
      `the code returned ${undeclared.map((name) => `"${name}"`).join(', ')}, which its writes do not list (declared: ${declared})`,
      DETERMINISTIC,
    );
  }
  return { update };
};
