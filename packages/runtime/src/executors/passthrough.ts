import type { Executor } from './executor';

/**
 * Start, end and condition nodes change no state: the run input is written by the graph itself,
 * the final state is the result, and a condition's work is done by its outgoing edges. So do BPMN
 * gateways (routed by their edges), plain and manual tasks, and boundary events (the flow goes on
 * from them once their node's error sent it there).
 */
export const runPassthrough: Executor = () => ({ update: {} });
