// The `{{channel}}` template grammar of prompts, URLs, headers and template nodes. It lives here,
// beside FEEL, so that the validator can check which channels a template reads at design time,
// and the runtime fills templates with the very same placeholders.

/** `{{name}}` or `{{name.field.subfield}}`, with optional spaces inside the braces. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_]\w*(?:\.\w+)*)\s*\}\}/g;

/** Each placeholder's path (`name.field`), in order, as it appears in the text, with its offset (for editors to mark). */
export function templatePlaceholders(template: string): { readonly match: string; readonly path: string; readonly from: number }[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => ({ match: match[0], path: match[1] as string, from: match.index }));
}

/** The channels a template reads: the first name of each placeholder, once each. */
export function templateChannels(template: string): string[] {
  return [...new Set(templatePlaceholders(template).map(({ path }) => path.split('.')[0] as string))];
}

/** The text with each placeholder replaced by what `fill` gives for its path. */
export function replacePlaceholders(template: string, fill: (path: string) => string): string {
  return template.replace(PLACEHOLDER, (_match, path: string) => fill(path));
}
