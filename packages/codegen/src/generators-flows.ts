// Nodes that use what a Loomflow host keeps, written out as code: a sub-flow node's flow becomes a
// graph of the project's own (`src/flows/<flow id>/`, written by the project writer), invoked
// inside the node as the runtime's subflow executor invokes it (executors/subflow.ts); a
// retriever's knowledge base, which lives in the host's database, becomes a function the
// project's owner connects to their own store (`src/retrievers/<knowledge base>.ts`).
import type { NodeGenerator } from './generator-context';
import { fileName, prefixedName } from './names';
import { NodeRefusal } from './refusal';

const literal = (value: unknown) => JSON.stringify(value);

/**
 * agent.subflow: the inputs are FEEL over this flow's state, the sub-flow's graph is invoked with
 * the node's config (so it checkpoints in the node's place of the thread and a pause inside
 * pauses the run), and the outputs map the sub-flow's channels back.
 */
const subflow: NodeGenerator = (context) => {
  const { node } = context;
  const { flowId, inputs, outputs } = node.config as { flowId: string; inputs: Record<string, string>; outputs: Record<string, string> };
  const { graph, outputs: given, recursionLimit } = context.subflow(flowId);
  // Checked here: the runtime finds out when the sub-flow has ended.
  const missing = Object.values(outputs).filter((channel) => !given.includes(channel));
  if (missing.length > 0) throw new NodeRefusal(`sub-flow "${flowId}" has no output channel ${missing.map((channel) => `"${channel}"`).join(', ')} to return`);
  const input = Object.entries(inputs).map(([channel, expression]) => `${literal(channel)}: ${context.feel(expression)}`);
  const update = Object.entries(outputs).map(([channel, from]) => `${literal(channel)}: result[${literal(from)}] as ${context.typeOf(channel)}`);
  return {
    body: [
      `const input = { ${input.join(', ')} };`,
      // With the sub-flow's own recursion limit, as the runtime's CompiledFlow.invoke runs it: the node's config carries this flow's.
      `const result = await ${graph}.invoke(input as Parameters<typeof ${graph}.invoke>[0], { ...config, recursionLimit: ${recursionLimit} });`,
      `return { ${update.join(', ')} };`,
    ].join('\n'),
    async: true,
    config: true,
  };
};

const README_RETRIEVERS = [
  '## Knowledge bases',
  '',
  'In Loomflow, a retriever node searches a knowledge base kept in the Loomflow server’s database, which a standalone',
  'project cannot read. Here each knowledge base has a function in `src/retrievers/<knowledge base>.ts`: connect it to',
  'your own store (for example a LangChain vector store’s `similaritySearchWithScore`). It gets the query, the search mode',
  '(vector, keyword or hybrid), the number of passages and the minimum score, and returns the passages best first.',
  'Until it is written, the node fails saying so.',
].join('\n');

/**
 * agent.retriever (executors/retriever.ts): the query rendered from the state, the passages of
 * the knowledge base's function written to the output channel as the runtime writes them (the
 * passage's metadata, its content and score).
 */
const retriever: NodeGenerator = (context) => {
  const { node } = context;
  const config = node.config as { knowledgeBase: string; query: string; mode: string; topK: number; scoreThreshold?: number; output: string };
  const name = prefixedName('search', config.knowledgeBase, 'KnowledgeBase');
  const file = `retrievers/${fileName(config.knowledgeBase)}`;
  const source = [
    `// Searches the knowledge base "${config.knowledgeBase}". In Loomflow it lives in the server's database; connect this`,
    '// function to your own store (see README.md).',
    '',
    'export interface SearchRequest {',
    '  readonly query: string;',
    "  readonly mode: 'vector' | 'keyword' | 'hybrid';",
    '  readonly topK: number;',
    '  readonly scoreThreshold?: number;',
    '}',
    '',
    'export interface Passage {',
    '  readonly content: string;',
    '  readonly score?: number;',
    '  /** Where it came from (source, document, position): written beside the content, for prompts to cite. */',
    '  readonly metadata?: Record<string, unknown>;',
    '}',
    '',
    `/** The passages of "${config.knowledgeBase}" that best match the request, best first. */`,
    `export async function ${name}(request: SearchRequest): Promise<Passage[]> {`,
    `  throw new Error(\`connect the knowledge base "${config.knowledgeBase}" to your store in src/${file}.ts (asked: \${JSON.stringify(request.query)})\`);`,
    '}',
    '',
  ].join('\n');
  context.readme(README_RETRIEVERS);
  const search = context.local(name, file, source);
  const request = [`query: ${context.template(config.query)}`, `mode: ${literal(config.mode)}`, `topK: ${config.topK}`, ...(config.scoreThreshold === undefined ? [] : [`scoreThreshold: ${config.scoreThreshold}`])];
  return {
    body: [
      `const found = await ${search}({ ${request.join(', ')} });`,
      `return { ${literal(config.output)}: found.map((passage) => ({ ...passage.metadata, content: passage.content, ...(passage.score === undefined ? {} : { score: passage.score }) })) as ${context.typeOf(config.output)} };`,
    ].join('\n'),
    async: true,
  };
};

/** Generators of the node types that run another flow or search a knowledge base. */
export const flowGenerators: Readonly<Record<string, NodeGenerator>> = {
  'agent.subflow': subflow,
  'agent.retriever': retriever,
};
