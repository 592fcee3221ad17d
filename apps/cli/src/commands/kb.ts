import { DEFAULT_DATABASE_URL, openLibsqlClient } from '@loomflow/checkpoint-libsql';
import type * as Knowledge from '@loomflow/knowledge';
import type { KnowledgeStore, SearchHit } from '@loomflow/knowledge';
import { basename } from 'node:path';
import { ExitCode, UsageError, parseCommandArgs, type Command } from '../command';
import type { CliIo } from '../io';
import { knowledgeEmbedders, parseProviders, providerHelp, providerOptions } from '../providers';

const usage = `Usage: loomflow kb <create|add|list|search|delete> [options]

Knowledge bases for agent.retriever steps, kept in the same database as runs, so that
\`loomflow run --db URL\` finds what \`loomflow kb add --db URL\` put there.

  loomflow kb create ID [--name NAME] [--description TEXT] [--chunk-size N] [--chunk-overlap N]
                        [--embedding-model MODEL --embedding-provider NAME]
  loomflow kb add ID FILE... [--media-type TYPE]
  loomflow kb list
  loomflow kb search ID QUERY [--mode keyword|vector|hybrid] [--top-k N] [--threshold SCORE] [--json]
  loomflow kb delete ID

Files are text (.txt), Markdown (.md), HTML (.html) or PDF (.pdf); --media-type names the type
of files whose names do not say it (text/plain, text/markdown, text/html, application/pdf).
Passages are cut every --chunk-size characters (800), repeating --chunk-overlap (100). Search
finds passages by keyword (Chinese included). A base created with --embedding-model also embeds
its passages with that OpenAI-compatible model of --embedding-provider NAME (given to every
later kb add, kb search and run as --provider NAME=URL), for vector and hybrid search; without
one, hybrid searches by keyword.

Options:
  --db URL             libsql database (default: ${DEFAULT_DATABASE_URL})
${providerHelp}
  -h, --help           Show this help

Exit codes: 0 ok, 1 a refused request (unknown base, unreadable file, taken id), 2 usage error
`;

const options = {
  db: { type: 'string', default: DEFAULT_DATABASE_URL },
  name: { type: 'string' },
  description: { type: 'string' },
  'chunk-size': { type: 'string' },
  'chunk-overlap': { type: 'string' },
  'media-type': { type: 'string' },
  mode: { type: 'string', default: 'hybrid' },
  'top-k': { type: 'string', default: '4' },
  threshold: { type: 'string' },
  json: { type: 'boolean', default: false },
  'embedding-model': { type: 'string' },
  'embedding-provider': { type: 'string' },
  ...providerOptions,
} as const;

function wholeNumber(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`--${name} must be a whole number from ${min}, not "${text}"`);
  return value;
}

function describeHit(hit: SearchHit, index: number): string {
  const content = hit.content.replace(/\s+/g, ' ');
  return `${index + 1}. ${hit.source} #${hit.position}  score ${hit.score.toFixed(4)}\n   ${content.length > 300 ? `${content.slice(0, 300)}…` : content}\n`;
}

export const kbCommand: Command = {
  name: 'kb',
  summary: 'Create, fill and search knowledge bases for retrieval steps',
  usage,
  async run(args, io) {
    // Loaded here, not with the CLI: its PDF and HTML readers are large, and only kb needs them.
    const knowledge = await import('@loomflow/knowledge');
    const { isDocumentMediaType, KnowledgeError, KnowledgeStore } = knowledge;
    const { values, positionals } = parseCommandArgs({ args: [...args], options, allowPositionals: true, strict: true });
    const [action, id, ...rest] = positionals;
    if (!action) throw new UsageError('missing the action: create, add, list, search or delete');
    if (action !== 'list' && !id) throw new UsageError(`missing the knowledge base id: loomflow kb ${action} ID`);
    const mode = values.mode;
    if (mode !== 'keyword' && mode !== 'vector' && mode !== 'hybrid') throw new UsageError(`--mode must be keyword, vector or hybrid, not "${mode}"`);
    const mediaType = values['media-type'];
    if (mediaType !== undefined && !isDocumentMediaType(mediaType)) throw new UsageError(`--media-type must be text/plain, text/markdown, text/html or application/pdf, not "${mediaType}"`);
    const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
    if (threshold !== undefined && !Number.isFinite(threshold)) throw new UsageError(`--threshold must be a number, not "${values.threshold}"`);

    let client: Awaited<ReturnType<typeof openLibsqlClient>>;
    try {
      client = await openLibsqlClient(values.db);
    } catch (error) {
      io.stderr(`loomflow: cannot open the database ${values.db}: ${error instanceof Error ? error.message : String(error)}\n`);
      return ExitCode.invalidInput;
    }
    try {
      const store = await KnowledgeStore.open(client, knowledgeEmbedders(parseProviders(values.provider), io.env));
      const baseId = id ?? '';
      switch (action) {
        case 'create': {
          const base = await store.create({
            id: baseId,
            name: values.name ?? baseId,
            description: values.description,
            chunkSize: wholeNumber('chunk-size', values['chunk-size'], 100),
            chunkOverlap: wholeNumber('chunk-overlap', values['chunk-overlap'], 0),
            embedding: values['embedding-model'] === undefined ? null : { model: values['embedding-model'], ...(values['embedding-provider'] ? { credential: values['embedding-provider'] } : {}) },
          });
          io.stdout(`created knowledge base "${base.id}" (passages of ${base.chunkSize} characters, ${base.chunkOverlap} repeated)\n`);
          return ExitCode.ok;
        }
        case 'add':
          return await addFiles(io, knowledge, store, baseId, rest, mediaType);
        case 'list':
          for (const base of await store.list()) io.stdout(`${base.id}\t${base.name}\t${base.documentCount} documents\t${base.chunkCount} passages\n`);
          return ExitCode.ok;
        case 'search': {
          const query = rest.join(' ').trim();
          if (query === '') throw new UsageError('missing the query: loomflow kb search ID QUERY');
          const hits = await store.search(baseId, { query, mode, topK: wholeNumber('top-k', values['top-k'], 1) ?? 4, scoreThreshold: threshold });
          if (values.json) io.stdout(`${JSON.stringify(hits, null, 2)}\n`);
          else if (hits.length === 0) io.stderr('no passages found\n');
          else hits.forEach((hit, index) => io.stdout(describeHit(hit, index)));
          return ExitCode.ok;
        }
        case 'delete':
          if (!(await store.delete(baseId))) throw new KnowledgeError('knowledge_base_not_found', `No knowledge base with id "${baseId}".`);
          io.stdout(`deleted knowledge base "${baseId}"\n`);
          return ExitCode.ok;
        default:
          throw new UsageError(`unknown action "${action}": create, add, list, search or delete`);
      }
    } catch (error) {
      // A refusal of the store, or of an embedding model's provider: said, not thrown.
      if (error instanceof UsageError || !(error instanceof Error)) throw error;
      io.stderr(`loomflow: ${error.message}\n`);
      return ExitCode.invalidInput;
    } finally {
      client.close();
    }
  },
};

/** Adds each file in turn; one that cannot be read or indexed is reported, and the others still go in. */
async function addFiles(
  io: CliIo,
  { isDocumentMediaType, KnowledgeError, mediaTypeOfFileName }: typeof Knowledge,
  store: KnowledgeStore,
  baseId: string,
  files: readonly string[],
  mediaType: string | undefined,
): Promise<number> {
  if (files.length === 0) throw new UsageError(`missing the files: loomflow kb add ${baseId} FILE...`);
  if (!(await store.get(baseId))) throw new KnowledgeError('knowledge_base_not_found', `No knowledge base with id "${baseId}"; create it with: loomflow kb create ${baseId}`);
  let failed = false;
  for (const file of files) {
    const type = mediaType ?? mediaTypeOfFileName(file);
    if (type === undefined || !isDocumentMediaType(type)) {
      io.stderr(`loomflow: ${file}: not a .txt, .md, .html or .pdf file by its name; say which it is with --media-type\n`);
      failed = true;
      continue;
    }
    try {
      const document = await store.addDocument(baseId, { source: basename(file), mediaType: type, content: await io.readBytes(file) });
      io.stdout(`added ${file}: ${document.chunkCount} passage${document.chunkCount === 1 ? '' : 's'}\n`);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('E')) io.stderr(`loomflow: ${file}: cannot read it (${code})\n`);
      else if (error instanceof Error) io.stderr(`loomflow: ${file}: ${error.message}\n`);
      else throw error;
      failed = true;
    }
  }
  return failed ? ExitCode.invalidInput : ExitCode.ok;
}
