// FTS5's unicode61 tokenizer splits text at spaces and punctuation, so Chinese, written without
// spaces, would index each run of characters as one word and a query would find nothing inside
// it. Intl.Segmenter (full ICU ships with Node) splits every language into words; the index and
// the queries both go through here, so they agree on what a word is.
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** The words of a text, lower-cased, in order. */
export function wordsOf(text: string): string[] {
  const words: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(text)) if (isWordLike) words.push(segment.toLowerCase());
  return words;
}

/** The text as the full-text index stores it: its words, joined with spaces. */
export function indexText(text: string): string {
  return wordsOf(text).join(' ');
}

/**
 * An FTS5 query matching any word of the text, each quoted so that no word is read as FTS5 syntax
 * (AND, NEAR, a column filter); bm25 then ranks passages with more and rarer words higher.
 * Undefined when the text has no words.
 */
export function matchQuery(text: string): string | undefined {
  const words = [...new Set(wordsOf(text))];
  if (words.length === 0) return undefined;
  return words.map((word) => `"${word.replaceAll('"', '""')}"`).join(' OR ');
}
