// JSON.parse names the position of some syntax errors only, in words that differ between engines
// (V8's "Unexpected token '<', "<?xml vers"... is not valid JSON" has none), yet a person fixing a
// hand-edited flow needs the line and column. This scan finds the first offending character of any
// invalid JSON text. It is here, beside findJsonDepthExcess, because the CLI and the web app both
// report JSON files and neither depends on the other.

export interface TextLocation {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units like every editor's column counter. */
  readonly column: number;
}

/** The JSON.parse message without the position and text excerpt that V8 appends. */
export function describeJsonError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/, ".*"(?:\.\.\.)? is not valid JSON$/s, '');
}

/** The offset of the first character that makes `text` invalid JSON, or undefined when it is valid. */
export function findJsonSyntaxError(text: string): number | undefined {
  return new JsonScan(text).firstErrorOffset();
}

/** The line and column of `offset` in `text`. */
export function locationOf(text: string, offset: number): TextLocation {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

const whitespace = /[ \t\n\r]*/y;
const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const literals = ['true', 'false', 'null'] as const;

class SyntaxErrorAt {
  constructor(readonly offset: number) {}
}

/**
 * A validating scan of the JSON grammar that builds nothing. It keeps the containers it is inside
 * on its own stack rather than recursing, so deeply nested input cannot overflow the call stack.
 */
class JsonScan {
  #at = 0;
  /** The closing bracket of every container the scan is inside, innermost last. */
  readonly #closers: ('}' | ']')[] = [];

  constructor(private readonly text: string) {}

  firstErrorOffset(): number | undefined {
    try {
      this.#scanDocument();
      return undefined;
    } catch (error) {
      if (error instanceof SyntaxErrorAt) return error.offset;
      throw error;
    }
  }

  #scanDocument(): void {
    this.#value();
    for (;;) {
      this.#skipWhitespace();
      const closer = this.#closers.at(-1);
      if (closer === undefined) {
        if (this.#at < this.text.length) this.#fail();
        return;
      }
      const char = this.text[this.#at];
      if (char === closer) {
        this.#at += 1;
        this.#closers.pop();
        continue;
      }
      if (char !== ',') this.#fail();
      this.#at += 1;
      if (closer === '}') this.#key();
      this.#value();
    }
  }

  /** Reads a scalar, or opens a container and reads on to its first member's value. */
  #value(): void {
    for (;;) {
      this.#skipWhitespace();
      const char = this.text[this.#at];
      if (char !== '{' && char !== '[') {
        this.#scalar();
        return;
      }
      const closer = char === '{' ? '}' : ']';
      this.#at += 1;
      this.#skipWhitespace();
      if (this.text[this.#at] === closer) {
        this.#at += 1;
        return;
      }
      this.#closers.push(closer);
      if (closer === '}') this.#key();
    }
  }

  #key(): void {
    this.#skipWhitespace();
    if (this.text[this.#at] !== '"') this.#fail();
    this.#string();
    this.#skipWhitespace();
    if (this.text[this.#at] !== ':') this.#fail();
    this.#at += 1;
  }

  #scalar(): void {
    if (this.text[this.#at] === '"') {
      this.#string();
      return;
    }
    const literal = literals.find((word) => this.text.startsWith(word, this.#at));
    if (literal) {
      this.#at += literal.length;
      return;
    }
    number.lastIndex = this.#at;
    const match = number.exec(this.text);
    if (!match) this.#fail();
    this.#at += match[0].length;
  }

  #string(): void {
    this.#at += 1;
    while (this.#at < this.text.length) {
      const char = this.text[this.#at] as string;
      if (char === '"') {
        this.#at += 1;
        return;
      }
      if (char === '\\') this.#escape();
      else if (char < ' ') this.#fail();
      else this.#at += 1;
    }
    this.#fail();
  }

  #escape(): void {
    const next = this.text[this.#at + 1] ?? '';
    if (next !== '' && '"\\/bfnrt'.includes(next)) {
      this.#at += 2;
    } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.#at + 2, this.#at + 6))) {
      this.#at += 6;
    } else {
      this.#at += 1;
      this.#fail();
    }
  }

  #skipWhitespace(): void {
    whitespace.lastIndex = this.#at;
    this.#at += (whitespace.exec(this.text) as RegExpExecArray)[0].length;
  }

  #fail(): never {
    throw new SyntaxErrorAt(this.#at);
  }
}
