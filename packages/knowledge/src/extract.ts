// The plain text of a document, from the formats a knowledge base takes. Markdown is kept as it is
// (its splitter cuts at headings); HTML loses its markup; a PDF gives the text of its pages.
import { convert } from 'html-to-text';
import { extractText, getDocumentProxy } from 'unpdf';

export const documentMediaTypes = ['text/plain', 'text/markdown', 'text/html', 'application/pdf'] as const;
export type DocumentMediaType = (typeof documentMediaTypes)[number];

export class DocumentReadError extends Error {
  override readonly name = 'DocumentReadError';
}

export function isDocumentMediaType(value: string): value is DocumentMediaType {
  return (documentMediaTypes as readonly string[]).includes(value);
}

/** The media type a file name suggests, when it suggests one of those a knowledge base takes. */
export function mediaTypeOfFileName(fileName: string): DocumentMediaType | undefined {
  const extension = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  const byExtension: Record<string, DocumentMediaType> = { txt: 'text/plain', md: 'text/markdown', markdown: 'text/markdown', html: 'text/html', htm: 'text/html', pdf: 'application/pdf' };
  return byExtension[extension];
}

export async function extractDocumentText(content: Uint8Array, mediaType: DocumentMediaType): Promise<string> {
  if (mediaType === 'application/pdf') {
    try {
      // unpdf runs pdf.js without a worker and without fetching fonts or character maps.
      // verbosity 0: pdf.js reports errors only, never warnings on the server's console.
      const pdf = await getDocumentProxy(new Uint8Array(content), { verbosity: 0 });
      const { text } = await extractText(pdf, { mergePages: false });
      return text.join('\n\n');
    } catch (error) {
      throw new DocumentReadError(`the PDF could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(content);
  if (mediaType === 'text/html') return convert(text, { wordwrap: false, selectors: [{ selector: 'a', options: { ignoreHref: true } }, { selector: 'img', format: 'skip' }] });
  return text;
}
