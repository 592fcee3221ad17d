// Values nested thousands deep pass a schema check (zod's `unknown`, a record of anything) and
// then overflow the stack in whatever walks them recursively later: a serializer, a deep copy, a
// checkpoint writer. So every place that takes JSON text from outside (the server's request
// bodies, the CLI's files and options) measures its nesting before parsing it into objects.

/** How deep JSON from outside may nest; a flow document needs about ten levels. */
export const DEFAULT_MAX_JSON_DEPTH = 64;

export interface JsonDepthExcess {
  /** The nesting depth the text reached (it stops counting once over the limit). */
  readonly depth: number;
  /** The offset of the bracket that went over the limit. */
  readonly offset: number;
}

/**
 * Where `text` first nests objects and arrays deeper than `maxDepth`, or undefined when it does
 * not. It only counts brackets outside strings: it does not check the rest of the syntax, which
 * JSON.parse does afterwards.
 */
export function findJsonDepthExcess(text: string, maxDepth: number = DEFAULT_MAX_JSON_DEPTH): JsonDepthExcess | undefined {
  let depth = 0;
  let inString = false;
  for (let offset = 0; offset < text.length; offset += 1) {
    const code = text.charCodeAt(offset);
    if (inString) {
      if (code === 0x5c /* \ */) offset += 1;
      else if (code === 0x22 /* " */) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      depth += 1;
      if (depth > maxDepth) return { depth, offset };
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
      depth -= 1;
    }
  }
  return undefined;
}
