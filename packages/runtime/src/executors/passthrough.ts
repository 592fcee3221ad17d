import type { Executor } from './executor';

/**
 * Start, end and condition nodes change no state: the run input is written by the graph itself,
 * the final state is the result, and a condition's work is done by its outgoing edges.
 */
export const runPassthrough: Executor = () => ({ update: {} });
