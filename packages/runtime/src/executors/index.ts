import { runAssign } from './assign';
import {
  bpmnRefusals,
  runCallActivity,
  runEndEvent,
  runScriptTask,
  runSendTask,
  runServiceTask,
  runThrowEvent,
  runUserTask,
} from './bpmn';
import { runBusinessRuleTask } from './bpmn-decision';
import { runCatchEvent, runEventBasedGateway, runReceiveTask } from './bpmn-events';
import { runCode } from './code';
import type { Executor } from './executor';
import { CAUGHT_EVENT_EXECUTOR, type NodeIR } from '../ir';
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
 * the builder makes its fan-out graph structure (Send), and its worker runs each item; nor has a
 * sub-process, whose content the builder makes a subgraph of.
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
  'bpmn.startEvent': runPassthrough,
  'bpmn.endEvent': runEndEvent,
  'bpmn.intermediateThrowEvent': runThrowEvent,
  'bpmn.boundaryEvent': runPassthrough,
  'bpmn.task': runPassthrough,
  'bpmn.manualTask': runPassthrough,
  'bpmn.userTask': runUserTask,
  'bpmn.serviceTask': runServiceTask,
  'bpmn.scriptTask': runScriptTask,
  'bpmn.sendTask': runSendTask,
  'bpmn.callActivity': runCallActivity,
  'bpmn.businessRuleTask': runBusinessRuleTask,
  'bpmn.intermediateCatchEvent': runCatchEvent,
  'bpmn.receiveTask': runReceiveTask,
  'bpmn.exclusiveGateway': runPassthrough,
  'bpmn.parallelGateway': runPassthrough,
  'bpmn.inclusiveGateway': runPassthrough,
  'bpmn.eventBasedGateway': runEventBasedGateway,
  [CAUGHT_EVENT_EXECUTOR]: runPassthrough,
};

/**
 * Why a node of a type with an executor cannot run as drawn (its config asks for what this runtime
 * does not do), by node type; checked when the flow is compiled. Types with no executor at all are
 * refused for that alone.
 */
export const refusals: Readonly<Record<string, (node: NodeIR) => string | undefined>> = bpmnRefusals;

export type { ExecutionContext, ExecutionResult, Executor, NodeStreamEvent, NodeStreamEventType, RuntimeServices, ServiceTaskHandler, State, SubflowLoader, SubflowRunner } from './executor';
