// A file picked in the browser as a document for the server: text files are read as text here;
// a PDF travels as its bytes in base64 and the server extracts its text. The server tells
// Markdown, HTML and plain text apart by the file name.
import type { NewDocument } from './settings-api';

export async function documentOfFile(file: File): Promise<NewDocument> {
  const isPdf = file.type === 'application/pdf' || /\.pdf$/i.test(file.name);
  if (!isPdf) return { source: file.name, text: await file.text() };
  return { source: file.name, mediaType: 'application/pdf', contentBase64: base64Of(new Uint8Array(await file.arrayBuffer())) };
}

/** In slices: String.fromCharCode takes its characters as arguments, and engines limit how many. */
function base64Of(bytes: Uint8Array): string {
  const SLICE = 0x8000;
  let binary = '';
  for (let start = 0; start < bytes.length; start += SLICE) binary += String.fromCharCode(...bytes.subarray(start, start + SLICE));
  return btoa(binary);
}
