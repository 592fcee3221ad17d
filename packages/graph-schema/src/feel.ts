import { parser, trackVariables } from 'lezer-feel';

/**
 * A FEEL expression's syntax tree, as feelin's `parseExpression` builds it, from its grammar
 * (lezer-feel) alone: feelin's interpreter and its Temporal polyfill (330 kB) would be loaded with
 * it, and the editor checks syntax on its first paint.
 */
const expressionParser = parser.configure({ top: 'Expression', contextTracker: trackVariables({}) });
const parseExpression = (expression: string) => expressionParser.parse(expression);

export interface FeelSyntaxError {
  /** Zero-based offset of the first character the parser could not read. */
  readonly offset: number;
}

// The editor validates on every edit, so the same expressions are checked again and again, and
// parsing one costs tens of microseconds. Results are kept for the most recent expressions.
const CACHE_LIMIT = 10_000;
const syntaxCache = new Map<string, FeelSyntaxError | null>();

/** Parses a FEEL expression without evaluating it; returns the first syntax error, if any. */
export function findFeelSyntaxError(expression: string): FeelSyntaxError | undefined {
  const cached = syntaxCache.get(expression);
  if (cached !== undefined) return cached ?? undefined;
  const error = parseForSyntaxError(expression);
  if (syntaxCache.size >= CACHE_LIMIT) syntaxCache.delete(syntaxCache.keys().next().value as string);
  syntaxCache.set(expression, error ?? null);
  return error;
}

function parseForSyntaxError(expression: string): FeelSyntaxError | undefined {
  if (expression.trim() === '') return { offset: 0 };
  try {
    let offset: number | undefined;
    parseExpression(expression).iterate({
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

/**
 * The names an expression reads: its variables and, since FEEL's grammar does not tell them apart,
 * the functions it calls and its loop variables. Callers intersect it with the names they know.
 * Returns undefined when the expression does not parse.
 */
export function findFeelVariableNames(expression: string): string[] | undefined {
  if (findFeelSyntaxError(expression)) return undefined;
  const names = new Set<string>();
  parseExpression(expression).iterate({
    enter(node) {
      if (node.name === 'VariableName') names.add(expression.slice(node.from, node.to));
    },
  });
  return [...names];
}

/** A name an expression reads from its context, and where it stands in the expression. */
export interface FeelVariableRead {
  readonly name: string;
  readonly from: number;
  readonly to: number;
}

/**
 * The names an expression reads from the context it is evaluated in (for a flow: its state),
 * each occurrence with its place: unlike `findFeelVariableNames`, function names are left out, and
 * so are names the expression binds itself (`for x in`, `some x in`, a filter's `item`, context
 * keys, function parameters). A bound name is left out everywhere in the expression, which may
 * miss a read of the same name outside its scope but never blames a name that is bound.
 * Returns undefined when the expression does not parse.
 */
export function findFeelContextReads(expression: string): FeelVariableRead[] | undefined {
  if (findFeelSyntaxError(expression)) return undefined;
  const bound = new Set<string>();
  const reads: FeelVariableRead[] = [];
  parseExpression(expression).iterate({
    enter(node) {
      const text = expression.slice(node.from, node.to);
      if (node.name === 'FilterExpression') bound.add('item');
      else if ((node.name === 'Name' || node.name === 'ParameterName') && node.node.parent?.name !== 'VariableName') bound.add(text.trim());
      else if (node.name === 'VariableName') {
        // `f(x)`: the first child of an invocation names the function, not a value of the context.
        const parent = node.node.parent;
        if (!(parent?.name === 'FunctionInvocation' && parent.firstChild?.from === node.from)) reads.push({ name: text, from: node.from, to: node.to });
        return false;
      }
      return undefined;
    },
  });
  return reads.filter((read) => !bound.has(read.name));
}

/** What is wrong with one FEEL expression of a flow: a syntax error, or names read that the flow does not declare. */
export interface FeelProblems {
  readonly syntax?: FeelSyntaxError;
  /** Each read of an undeclared name, in order; empty when the expression does not parse. */
  readonly unknown: readonly FeelVariableRead[];
}

/**
 * The one rule for FEEL in a flow, shared by the validator and the designer's FEEL editor. An
 * agent flow's expressions are evaluated over its declared state, so a name read that no channel
 * declares is most likely a typo (the run would see null). BPMN process variables come into being
 * when first written, as in Camunda, so a BPMN flow's names are not checked; neither are they
 * when the channels are unknown (a state too broken to read).
 */
export function findFeelProblems(expression: string, flow: { readonly kind: string | undefined; readonly channels: { has(name: string): boolean } | undefined }): FeelProblems {
  const syntax = findFeelSyntaxError(expression);
  if (syntax) return { syntax, unknown: [] };
  const { channels } = flow;
  if (flow.kind !== 'agent' || !channels) return { unknown: [] };
  return { unknown: (findFeelContextReads(expression) ?? []).filter((read) => !channels.has(read.name)) };
}
