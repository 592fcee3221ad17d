import { evaluate, parseExpression } from 'feelin';
import { normalizeContextKey } from 'lezer-feel';
import { DETERMINISTIC, NodeExecutionError } from './errors';

/**
 * Evaluates a FEEL expression over the state. A missing variable or a type mismatch is an error
 * (feelin only warns and yields null), so a drawn condition never silently takes the wrong edge.
 */
export function evaluateFeel(expression: string, context: Readonly<Record<string, unknown>>, nodeId: string): unknown {
  const literal = literalValue(expression) ?? simpleValue(expression, context);
  if (literal) return literal.value;
  let result: ReturnType<typeof evaluate>;
  try {
    result = evaluate(expression, readContext(expression, context));
  } catch (error) {
    throw new NodeExecutionError(nodeId, 'feel', `FEEL expression "${expression}" failed: ${error instanceof Error ? error.message : String(error)}`, DETERMINISTIC);
  }
  const [warning] = result.warnings;
  if (warning) throw new NodeExecutionError(nodeId, 'feel', `FEEL expression "${expression}": ${warning.message}`, DETERMINISTIC);
  return result.value;
}

/**
 * The value of an expression that is a lone literal (a number, a string without escapes, true,
 * false, null), as feelin gives it. feelin parses and interprets every expression on every
 * evaluation, tens of microseconds even for `1`, and constants are common (assignments, decision
 * outputs such as `"rejected"`).
 */
function literalValue(expression: string): { value: unknown } | undefined {
  const text = expression.replace(EDGE_SPACE, '');
  if (NUMBER_LITERAL.test(text)) return { value: Number(text) };
  if (STRING_LITERAL.test(text)) return { value: text.slice(1, -1) };
  if (text === 'true' || text === 'false') return { value: text === 'true' };
  if (text === 'null') return { value: null };
  return undefined;
}
/** White space as FEEL reads it: JavaScript's, less the form feed (lezer-feel refuses it). */
const SPACE = String.raw`[^\S\f]`;
const EDGE_SPACE = new RegExp(`^${SPACE}+|${SPACE}+$`, 'g');
const NUMBER = String.raw`-?(?:\d+(?:\.\d+)?|\.\d+)`;
const STRING = String.raw`"[^"\\]*"`;
const NUMBER_LITERAL = new RegExp(`^${NUMBER}$`);
const STRING_LITERAL = new RegExp(`^${STRING}$`);

/**
 * The value of the commonest expressions, a variable with an operator and a literal: conditions
 * (`amount > 5000`, `decision = "approved"`) and counters (`count + 1`, `retries - 1`,
 * `item * 2`). Answered here when FEEL gives what JavaScript gives: both sides numbers (a finite
 * variable), or both strings for a comparison; a division only by a literal other than 0 (FEEL's
 * `x / 0` is null). Any other case (another type, null, a missing variable, a name FEEL reads
 * differently) goes to feelin, which also reports what is wrong.
 */
function simpleValue(expression: string, context: Readonly<Record<string, unknown>>): { value: unknown } | undefined {
  let simple = simpleExpressions.get(expression);
  if (simple === undefined) {
    simple = parseSimple(expression);
    if (simpleExpressions.size >= MAX_CACHED_EXPRESSIONS) simpleExpressions.clear();
    simpleExpressions.set(expression, simple);
  }
  if (simple === NOT_SIMPLE || !Object.hasOwn(context, simple.name)) return undefined;
  const actual = context[simple.name];
  const { literal, operator } = simple;
  if (typeof literal === 'number' ? typeof actual !== 'number' || !Number.isFinite(actual) : typeof actual !== 'string') return undefined;
  // FEEL names may hold + - * / and spaces: with a key such as "count + 1" the whole text is a name.
  if (ARITHMETIC.has(operator) && extendsName(simple.name, context)) return undefined;
  const [left, right] = [actual as number | string, literal];
  switch (operator) {
    case '=':
      return { value: left === right };
    case '!=':
      return { value: left !== right };
    case '<':
      return { value: left < right };
    case '<=':
      return { value: left <= right };
    case '>':
      return { value: left > right };
    case '>=':
      return { value: left >= right };
    case '+':
      return { value: (left as number) + (right as number) };
    case '-':
      return { value: (left as number) - (right as number) };
    case '*':
      return { value: (left as number) * (right as number) };
    case '/':
      return { value: (left as number) / (right as number) };
  }
}

/**
 * Whether the context has another key that FEEL could read the expression's text as: feelin
 * matches keys as `normalizeContextKey` spells them (trimmed, spaces around + - * / evened out),
 * so `" count+1"` is the name `count + 1`.
 */
function extendsName(name: string, context: Readonly<Record<string, unknown>>): boolean {
  for (const key in context) {
    if (key === name) continue;
    let normalized = normalizedKeys.get(key);
    if (normalized === undefined) {
      normalized = normalizeContextKey(key);
      if (normalizedKeys.size >= MAX_CACHED_EXPRESSIONS) normalizedKeys.clear();
      normalizedKeys.set(key, normalized);
    }
    if (normalized.startsWith(name)) return true;
  }
  return false;
}
/** Context keys as feelin matches them; the keys are a flow's channel names, few and reused. */
const normalizedKeys = new Map<string, string>();

type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/';
interface SimpleExpression {
  readonly name: string;
  readonly operator: Operator;
  readonly literal: number | string;
}
const ARITHMETIC: ReadonlySet<Operator> = new Set(['+', '-', '*', '/']);
const NOT_SIMPLE = Symbol('not a simple expression');
const simpleExpressions = new Map<string, SimpleExpression | typeof NOT_SIMPLE>();
const SIMPLE = new RegExp(String.raw`^${SPACE}*([A-Za-z_][A-Za-z0-9_]*)${SPACE}*(<=|>=|!=|=|<|>|\+|-|\*(?!\*)|/)${SPACE}*(${NUMBER}|${STRING})${SPACE}*$`);
/** Words FEEL reads as literals or operators, never as a variable's name. */
const FEEL_WORDS = new Set(['true', 'false', 'null', 'not', 'and', 'or', 'in', 'between', 'instance', 'of', 'if', 'then', 'else', 'for', 'some', 'every', 'satisfies', 'return', 'function', 'external']);

function parseSimple(expression: string): SimpleExpression | typeof NOT_SIMPLE {
  const match = SIMPLE.exec(expression);
  if (!match) return NOT_SIMPLE;
  const [, name, operator, text] = match as unknown as [string, string, Operator, string];
  if (FEEL_WORDS.has(name)) return NOT_SIMPLE;
  const literal = literalValue(text)?.value as number | string;
  // Arithmetic on strings is not JavaScript's in FEEL, and x / 0 is null there.
  if (ARITHMETIC.has(operator) && (typeof literal !== 'number' || (operator === '/' && literal === 0))) return NOT_SIMPLE;
  return { name, operator, literal };
}

/**
 * The part of the context an expression reads: the variables it names. feelin copies the whole
 * context it is given on every evaluation (to convert dates), so a condition over a state holding
 * long lists, documents or message histories paid for copying all of them each time. The
 * variables an expression names depend on the expression and on the context's names (FEEL names
 * may hold spaces, known from the context), so they are cached by both.
 */
function readContext(expression: string, context: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const keys = Object.keys(context);
  const cacheKey = `${expression}\u0000${keys.join('\u0000')}`;
  let read = readKeys.get(cacheKey);
  if (read === undefined) {
    read = keysRead(expression, context, keys);
    if (readKeys.size >= MAX_CACHED_EXPRESSIONS) readKeys.clear();
    readKeys.set(cacheKey, read);
  }
  if (read === ALL_KEYS) return context as Record<string, unknown>;
  const part: Record<string, unknown> = {};
  for (const key of read) part[key] = context[key];
  return part;
}

/** Expressions (with their context's names) whose read keys are known; cleared when full. */
const MAX_CACHED_EXPRESSIONS = 2000;
const readKeys = new Map<string, readonly string[]>();
/** An expression that does not parse reads everything: feelin then reports the error as it would. */
const ALL_KEYS: readonly string[] = [];

/** The context keys naming a variable of the expression, as feelin looks names up (exact, else normalized). */
function keysRead(expression: string, context: Readonly<Record<string, unknown>>, keys: readonly string[]): readonly string[] {
  const named = new Set<string>();
  let broken = false;
  parseExpression(expression, context as Record<string, unknown>, undefined).iterate({
    enter(node) {
      if (node.type.isError) broken = true;
      if (node.name === 'VariableName') named.add(expression.slice(node.from, node.to));
    },
  });
  if (broken) return ALL_KEYS;
  const read = new Set<string>();
  for (const name of named) {
    if (Object.hasOwn(context, name)) read.add(name);
    // Locals (`for i in …`) and built-ins are named too; they match no key, which costs nothing.
    else for (const key of keys) if (normalizeContextKey(key) === normalizeContextKey(name)) read.add(key);
  }
  return [...read];
}
