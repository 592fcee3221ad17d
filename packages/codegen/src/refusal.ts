import type { LocalizedText } from '@loomflow/graph-schema';

/** A flow the generator cannot write out as code: the message names the node and says why. */
export class CodegenRefusedError extends Error {
  override readonly name = 'CodegenRefusedError';

  constructor(
    readonly nodeId: string,
    readonly reason: string,
    /** The reason in every locale, when the registry gives it (a refused type or tool kind). */
    readonly localized?: LocalizedText,
  ) {
    super(`node "${nodeId}" cannot be written out as code: ${reason}`);
  }
}

/** Thrown by a generator for a config its type allows but the generator does not write out. */
export class NodeRefusal extends Error {
  override readonly name = 'NodeRefusal';
  /** The reason in every locale, when it is the registry's. */
  readonly localized?: LocalizedText;

  constructor(reason: string | LocalizedText) {
    super(typeof reason === 'string' ? reason : reason.en);
    if (typeof reason !== 'string') this.localized = reason;
  }
}
