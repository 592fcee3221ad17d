import { describe, expect, it } from 'vitest';
import { documentOfFile } from './document-file';

describe('documentOfFile', () => {
  it('reads text files as text, named by their file name', async () => {
    expect(await documentOfFile(new File(['# 报销\n收据'], 'notes.md', { type: 'text/markdown' }))).toEqual({ source: 'notes.md', text: '# 报销\n收据' });
  });

  it('sends a PDF as its bytes in base64, whatever its size', async () => {
    const bytes = new Uint8Array(100_000).map((_, index) => (index * 7) % 256);
    const document = await documentOfFile(new File([bytes], 'scan.PDF'));
    expect(document).toMatchObject({ source: 'scan.PDF', mediaType: 'application/pdf' });
    expect('contentBase64' in document && Buffer.from(document.contentBase64, 'base64').equals(Buffer.from(bytes))).toBe(true);
  });
});
