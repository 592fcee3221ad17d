import { parseExpression } from 'feelin';

export interface FeelSyntaxError {
  /** Zero-based offset of the first character the parser could not read. */
  readonly offset: number;
}

/** Parses a FEEL expression without evaluating it; returns the first syntax error, if any. */
export function findFeelSyntaxError(expression: string): FeelSyntaxError | undefined {
  if (expression.trim() === '') return { offset: 0 };
  try {
    let offset: number | undefined;
    parseExpression(expression, {}, undefined).iterate({
      enter(node) {
        if (offset !== undefined) return false;
        if (node.type.isError) offset = node.from;
        return undefined;
      },
    });
    return offset === undefined ? undefined : { offset };
  } catch {
    // The parser reports most errors as error nodes but throws on some inputs; both are syntax errors.
    return { offset: 0 };
  }
}
