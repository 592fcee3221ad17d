import { describe, expect, it } from 'vitest';
import { describeJsonError, findJsonSyntaxError, locationOf } from './json-syntax';

function parseError(text: string): unknown {
  try {
    JSON.parse(text);
  } catch (error) {
    return error;
  }
  throw new Error(`expected ${JSON.stringify(text)} not to parse`);
}

describe('findJsonSyntaxError', () => {
  it.each([
    ['{}'],
    ['[]'],
    [' \n\t{ "a" : [1, -2.5e+3, 0, true, false, null, "x"], "b": {} } \r\n'],
    ['"\\u00e9\\n\\"\\\\\\/"'],
    ['-0'],
    ['"漢字 and emoji 😀"'],
  ])('accepts valid JSON %j', (text) => {
    expect(findJsonSyntaxError(text)).toBeUndefined();
  });

  it('scans deeply nested input without overflowing the call stack', () => {
    const depth = 100_000;
    const valid = '['.repeat(depth) + ']'.repeat(depth);
    expect(findJsonSyntaxError(valid)).toBeUndefined();
    expect(findJsonSyntaxError(`${valid.slice(0, -1)}}`)).toBe(2 * depth - 1);
  });

  it.each([
    ['', 0, 'nothing at all'],
    ['{"a": 1,}', 8, 'a trailing comma'],
    ['{\n  "a": 1\n  "b": 2\n}', 13, 'a missing comma'],
    ['{"a" 1}', 5, 'a missing colon'],
    ['{a: 1}', 1, 'an unquoted key'],
    ['<?xml version="1.0"?>', 0, 'XML'],
    ['{"a": tru}', 6, 'a misspelt literal'],
    ['{"a": "x\ny"}', 8, 'a raw line break in a string'],
    ['{"a": "\\x"}', 8, 'an unknown escape'],
    ['{"a": "\\u12G4"}', 8, 'a short unicode escape'],
    ['{"a": "open', 11, 'an unterminated string'],
    ['[1, 2', 5, 'an unclosed array'],
    ['{"a": 01}', 7, 'a leading zero'],
    ['{"a": -}', 6, 'a lone minus'],
    ['{"a": NaN}', 6, 'NaN'],
    ['{} x', 3, 'text after the document'],
    ['[1}', 2, 'a mismatched bracket'],
    ['[1 2]', 3, 'a missing comma in an array'],
    ['"tab\there"', 4, 'a raw tab in a string'],
    ['1.', 1, 'a fraction without digits'],
    ['[', 1, 'an array that ends at once'],
    ['{"a": "b"', 9, 'an unclosed object'],
  ])('finds the offending character of %j at %i (%s)', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(findJsonSyntaxError(text)).toBe(offset);
  });
});

describe('locationOf', () => {
  it('counts lines and columns from 1', () => {
    const text = '{\n  "a": 1\n  "b": 2\n}';
    expect(locationOf(text, 0)).toEqual({ line: 1, column: 1 });
    expect(locationOf(text, 13)).toEqual({ line: 3, column: 3 });
    expect(locationOf(text, text.length)).toEqual({ line: 4, column: 2 });
  });
});

describe('describeJsonError', () => {
  it('drops the position and the excerpt that V8 appends', () => {
    expect(describeJsonError(parseError('{"a": 1,}'))).toBe('Expected double-quoted property name');
    expect(describeJsonError(parseError('<?xml version="1.0"?>'))).toBe("Unexpected token '<'");
    expect(describeJsonError(parseError(''))).toBe('Unexpected end of JSON input');
  });
});
