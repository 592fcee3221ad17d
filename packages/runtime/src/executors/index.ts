import { runAssign } from './assign';
import { runCode } from './code';
import type { Executor } from './executor';
import { runHttp } from './http';
import { runHuman } from './human';
import { runLlm } from './llm';
import { runMcp } from './mcp';
import { runPassthrough } from './passthrough';
import { runReact } from './react';
import { runRetriever } from './retriever';
import { runRouter } from './router';
import { runSubflow } from './subflow';
import { runTemplate } from './template';
import { runTools } from './tools';

/**
 * Executors by node type. A node type whose `fansOut` trait is set has no executor of its own:
 * the builder makes its fan-out graph structure (Send), and its worker runs each item.
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
  'agent.llm': runLlm,
  'agent.tools': runTools,
  'agent.react': runReact,
  'agent.retriever': runRetriever,
  'agent.router': runRouter,
  'agent.subflow': runSubflow,
  'agent.mcp': runMcp,
};

export type { ExecutionContext, ExecutionResult, Executor, NodeStreamEvent, NodeStreamEventType, RuntimeServices, State, SubflowLoader, SubflowRunner } from './executor';
