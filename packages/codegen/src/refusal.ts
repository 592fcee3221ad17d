/** A flow the generator cannot write out as code: the message names the node and says why. */
export class CodegenRefusedError extends Error {
  override readonly name = 'CodegenRefusedError';

  constructor(
    readonly nodeId: string,
    readonly reason: string,
  ) {
    super(`node "${nodeId}" cannot be written out as code: ${reason}`);
  }
}

/** Thrown by a generator for a config its type allows but the generator does not write out. */
export class NodeRefusal extends Error {
  override readonly name = 'NodeRefusal';
}
