import { runAssign } from './assign';
import { runCode } from './code';
import type { Executor } from './executor';
import { runHttp } from './http';
import { runHuman } from './human';
import { runPassthrough } from './passthrough';
import { runTemplate } from './template';

/**
 * Executors by node type. `agent.map` and `agent.subflow` are built into the graph by the builder
 * (fan-out and subgraphs are graph structure, not a function of the state).
 */
export const executors: Readonly<Record<string, Executor>> = {
  'agent.start': runPassthrough,
  'agent.end': runPassthrough,
  'agent.condition': runPassthrough,
  'agent.assign': runAssign,
  'agent.template': runTemplate,
  'agent.human': runHuman,
  'agent.code': runCode,
  'agent.http': runHttp,
};

export type { ExecutionContext, ExecutionResult, Executor, RuntimeServices, State } from './executor';
