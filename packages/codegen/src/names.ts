// Names the project writer and the generators make from drawn ids, job types and knowledge-base
// names: identifiers in code, and file names in the project.

const wordsOf = (text: string) => text.split(/[^A-Za-z0-9]+/).filter(Boolean);
const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** `order-total` → `orderTotal`; one that would not start as an identifier gets a `node` prefix. */
export function camelCase(text: string): string {
  const joined = wordsOf(text)
    .map((word, index) => (index === 0 ? word.charAt(0).toLowerCase() + word.slice(1) : capitalized(word)))
    .join('');
  return /^[A-Za-z_$]/.test(joined) ? joined : `node${capitalized(joined)}`;
}

/** An identifier made of a prefix and the words of `text`: `handle` + `status-page` → `handleStatusPage`. */
export function prefixedName(prefix: string, text: string, fallback: string): string {
  return `${prefix}${wordsOf(text).map(capitalized).join('') || fallback}`;
}

/** `text` as one file or folder name of the project: characters a path could trip on become `-`. */
export const fileName = (text: string) => text.replace(/[^A-Za-z0-9_-]/g, '-');
