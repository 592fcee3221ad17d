// Node names are wrapped here rather than by LogicFlow, whose wrapping puts an HTML
// foreignObject into every node and measures text in the DOM: too slow for a 2,000-node drawing.
// Widths are estimated from the characters, which is close enough to keep names inside shapes.

const NARROW = new Set([...'iljtfr.,:;!|\'()[] ']);
const WIDE = /[A-Z@%&MWmw]/;

/** Estimated advance of one character, in multiples of the font size. */
function charWidth(char: string): number {
  if ((char.codePointAt(0) ?? 0) >= 0x2e80) return 1;
  if (NARROW.has(char)) return 0.3;
  if (WIDE.test(char)) return 0.72;
  return 0.56;
}

export function textWidth(text: string, fontSize: number): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width * fontSize;
}

/** Breaks between words, and between any two CJK characters, which need no spaces. */
function tokens(text: string): string[] {
  return text.match(/[\u2e80-\uffff]|[^\s\u2e80-\uffff]+|\s+/g) ?? [];
}

const ELLIPSIS = '…';

/** Cuts a line so that it and an ellipsis fit in `maxWidth`. */
function withEllipsis(line: string, maxWidth: number, fontSize: number): string {
  let cut = [...line.trimEnd()];
  while (cut.length > 0 && textWidth(cut.join('') + ELLIPSIS, fontSize) > maxWidth) cut = cut.slice(0, -1);
  return cut.join('').trimEnd() + ELLIPSIS;
}

/**
 * The lines a label takes in a box `maxWidth` wide, at most `maxLines` of them; what does not fit
 * ends in an ellipsis. A word longer than a line is broken where the line is full. A line that
 * ends where the name had a space keeps it, so that the drawn text still reads as the name
 * (searching, copying, `textContent`).
 */
export function labelLines(text: string, maxWidth: number, fontSize: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current = '';
  const push = () => {
    if (current.trim()) lines.push(current.trimStart().replace(/\s+$/, ' '));
    current = '';
  };
  for (const token of tokens(text.replace(/\s+/g, ' ').trim())) {
    if (textWidth((current + token).trimEnd(), fontSize) <= maxWidth) {
      current += token;
      continue;
    }
    if (/^\s+$/.test(token)) {
      current += token;
      push();
      continue;
    }
    push();
    // A token wider than a whole line is split character by character.
    for (const char of token) {
      if (textWidth(current + char, fontSize) > maxWidth && current) push();
      current += char;
    }
  }
  push();
  if (lines.length > maxLines) {
    const last = Math.max(1, maxLines) - 1;
    lines.splice(last, lines.length - last, withEllipsis(lines.slice(last).join(''), maxWidth, fontSize));
  }
  const lastLine = lines.length - 1;
  if (lastLine >= 0) lines[lastLine] = (lines[lastLine] ?? '').trimEnd();
  return lines;
}
