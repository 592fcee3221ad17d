// Cutting a document's text into passages with LangChain's splitters: by paragraphs, then lines,
// then sentences (Chinese full stops included), so a passage rarely ends mid-thought. Lengths are
// counted in characters; a token count would need a tokenizer, which is downloaded at run time.
import { MarkdownTextSplitter, RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { DocumentMediaType } from './extract';

export interface ChunkOptions {
  readonly chunkSize: number;
  readonly chunkOverlap: number;
}

const separators = ['\n\n', '\n', '。', '！', '？', '. ', '! ', '? ', '；', '; ', '，', ', ', ' ', ''];

export async function chunkText(text: string, mediaType: DocumentMediaType, options: ChunkOptions): Promise<string[]> {
  const splitter =
    mediaType === 'text/markdown'
      ? new MarkdownTextSplitter({ chunkSize: options.chunkSize, chunkOverlap: options.chunkOverlap })
      : new RecursiveCharacterTextSplitter({ chunkSize: options.chunkSize, chunkOverlap: options.chunkOverlap, separators });
  const chunks = await splitter.splitText(text);
  return chunks.map((chunk) => chunk.trim()).filter((chunk) => chunk !== '');
}
