// Messages are rendered from language-neutral params (ids, tokens, numbers, lists of ids) at the
// moment they are shown, so one issue or refusal reads right in every language and the words of
// a language live only in its catalog, never in the data passed around.

/** A param's value: an id, a token, a user's own text, a number or a list of ids. */
export type MessageParamValue = string | number | readonly string[];
export type MessageParams = Readonly<Record<string, MessageParamValue>>;

/**
 * How a placeholder is worded when it is not a param's value as it stands. `cases` words a token
 * param (`end: 'source'` → "source" / "起点"); a case may hold placeholders of its own, filled
 * from the params. `join` joins a list (`, ` unless said). `missing` stands in for an absent param.
 */
export interface PlaceholderRule {
  readonly param: string;
  readonly cases?: Readonly<Record<string, string>>;
  readonly join?: string;
  readonly missing?: string;
}

export type PlaceholderRules = Readonly<Record<string, PlaceholderRule>>;

const placeholderPattern = /\{(\w+)\}/g;

function plain(value: MessageParamValue, join: string): string {
  return typeof value === 'object' ? value.join(join) : String(value);
}

function fillPlain(template: string, params: MessageParams): string {
  return template.replace(placeholderPattern, (placeholder, key: string) => {
    const value = params[key];
    return value === undefined ? placeholder : plain(value, ', ');
  });
}

/**
 * Fills `{name}` placeholders: by the rule of that name when there is one, else by the param of
 * that name. An unknown placeholder is left as it is, so a missing param shows instead of
 * vanishing (the catalog tests look for leftovers).
 */
export function fillTemplate(template: string, params: MessageParams, rules: PlaceholderRules = {}): string {
  return template.replace(placeholderPattern, (placeholder, key: string) => {
    const rule = rules[key];
    if (!rule) {
      const value = params[key];
      return value === undefined ? placeholder : plain(value, ', ');
    }
    const value = params[rule.param];
    if (value === undefined) return rule.missing ?? placeholder;
    if (typeof value === 'object') return value.join(rule.join ?? ', ');
    const worded = rule.cases?.[String(value)];
    return worded === undefined ? String(value) : fillPlain(worded, params);
  });
}
