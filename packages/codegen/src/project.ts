// Writes a flow out as a standalone LangGraph.js project. The flow is lowered by the runtime's own
// `lowerFlow` (the IR it compiles from), so routes, joins, fan-outs and the recursion limit mean in
// the generated graph exactly what they mean in a Loomflow run; only the node bodies differ, and
// they come from the per-type generators. The generated code imports no Loomflow package.
import { MAX_RETRY_INTERVAL_MS, createDefaultRegistry, type FlowDocument, type NodeTypeRegistry } from '@loomflow/graph-schema';
import { CAUGHT_EVENT_EXECUTOR, lowerFlow, type ChannelIR, type FanOutIR, type FlowIR, type NodeIR, type RouteIR } from '@loomflow/runtime';
// The standalone build with its plugins named: it bundles (the CLI is one file) without Prettier
// loading plugins by path at run time.
import * as babel from 'prettier/plugins/babel';
import * as estree from 'prettier/plugins/estree';
import * as typescript from 'prettier/plugins/typescript';
import { format } from 'prettier/standalone';
import type { GeneratorContext, NodeSource } from './generator-context';
import { credentialVariable, portRoute } from './generators-ai';
import { caughtEvent, commandTargets, errorHandlerSource, firedTimersChannel, graphNameOf, hasOnceTimers, waitsAgain, waitsWithEvents } from './generators-bpmn';
import { generators } from './generator-table';
import { closesInstances, doneNode, instancesClosedBySource, loopRefusal, multiInstanceChain, multiInstanceChannel, multiInstanceFunctions, multiInstanceOf, multiInstanceReadme, multiInstanceTypes, type MultiInstanceSpec } from './multi-instance';
import { camelCase, fileName } from './names';
import { CodegenRefusedError, NodeRefusal } from './refusal';
import { runtimeDependencies, toolDependencies, type RuntimeDependency } from './versions';

export interface GenerateOptions {
  readonly registry?: NodeTypeRegistry;
  /**
   * The flow document a sub-flow node runs, by flow id (and version, when the node names one):
   * the stored flows (server), `<flows-dir>/<flowId>.json` (CLI). Undefined when there is none;
   * without it, a flow with sub-flow nodes is refused.
   */
  readonly loadFlow?: (flowId: string, version?: number) => Promise<unknown>;
}

/** A sub-flow, lowered: written once as a module folder of the project, `src/flows/<flow id>/`. */
interface Subflow {
  readonly ir: FlowIR;
  readonly document: FlowDocument;
}

/** The project as files: path relative to the project's folder → content. */
export type GeneratedProject = Readonly<Record<string, string>>;

const literal = (value: unknown) => JSON.stringify(value);

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await async state graph builder'.split(' '),
);

/** Unique, readable identifiers for ids, never a reserved word or an identifier taken before. */
function identifiers() {
  const taken = new Set<string>(['feel', 'renderTemplate', 'channelUpdate', 'codeUpdate', 'interrupt', 'Command', 'Send', 'START', 'END', 'StateGraph']);
  return (id: string): string => {
    const base = camelCase(id) || 'node';
    let name = RESERVED.has(base) ? `${base}Step` : base;
    for (let suffix = 2; taken.has(name); suffix += 1) name = `${base}${suffix}`;
    taken.add(name);
    return name;
  };
}

const tsTypes: Record<ChannelIR['type'], string> = {
  string: 'string',
  number: 'number',
  boolean: 'boolean',
  object: 'Record<string, unknown>',
  array: 'unknown[]',
  messages: 'BaseMessage[]',
  any: 'unknown',
};

const emptyValues: Record<ChannelIR['type'], unknown> = { string: '', number: 0, boolean: false, object: {}, array: [], messages: [], any: null };

const reducerSources: Record<ChannelIR['reducer'], string> = {
  replace: '/** Keeps the latest value. */\nexport const replace = <T>(_current: T, update: T): T => update;',
  append: [
    '/** Adds an item, or a list of items, to the end of the list. */',
    'export const append = (current: unknown[], update: unknown): unknown[] => [...(current ?? []), ...(Array.isArray(update) ? update : [update])];',
  ].join('\n'),
  merge: [
    '/** Shallow-merges an object into the current one. */',
    'export const merge = (current: Record<string, unknown>, update: Record<string, unknown>): Record<string, unknown> => ({ ...(current ?? {}), ...(update ?? {}) });',
  ].join('\n'),
  messages: '/** LangGraph’s add-messages reducer: appends, replacing messages with the same id. */\nexport const messages = messagesStateReducer;',
  sum: '/** Adds the update to the current number. */\nexport const sum = (current: number, update: number): number => Number(current ?? 0) + Number(update ?? 0);',
};

interface Generated {
  readonly node: NodeIR;
  readonly functionName: string;
  readonly graphName: string;
  readonly source: NodeSource;
}

/** One flow's project, being written. */
class ProjectWriter {
  readonly #ir: FlowIR;
  readonly #flow: FlowDocument;
  readonly #registry: NodeTypeRegistry;
  readonly #channels: Map<string, ChannelIR>;
  readonly #name = identifiers();
  readonly #helpers = new Set<'feel' | 'template' | 'channelUpdate' | 'codeUpdate' | 'changedChannels'>();
  readonly #nodeImports = new Set<string>();
  /** Names node functions import from other packages than LangGraph, by package. */
  readonly #packageImports = new Map<string, Set<string>>();
  /** Environment variables node functions read, with what each holds (for .env.example). */
  readonly #environment = new Map<string, string>();
  readonly #stateImports = new Set<string>(['type State', 'type Update']);
  readonly #dependencies = new Set<RuntimeDependency>(['@langchain/langgraph', '@langchain/core', 'zod']);
  /** Drawn JavaScript by module file name (`src/code/<file>.js`). */
  readonly #javascript = new Map<string, { name: string; source: string; title: string; nodeId: string }>();
  /** Modules of the project's own that node functions import from (`src/<file>.ts`), with the names imported. */
  readonly #locals = new Map<string, { source: string; names: Set<string> }>();
  readonly #readmeSections = new Set<string>();
  readonly #fanOutByMap: Map<string, FanOutIR>;
  /** The sub-process content each node of one is drawn in (the process's nodes are not listed). */
  readonly #scopeOf = new Map<string, FlowIR>();
  /** Whether routes written into graph.ts (the process's or a sub-process's) evaluate FEEL. */
  #graphUsesFeel = false;
  /** Imports of other packages that graph.ts's route functions need (whole import lines). */
  readonly #routeImports = new Set<string>();
  readonly #subflows: ReadonlyMap<string, Subflow>;
  /** The flows this one is a sub-flow of, outermost first: a flow among them would call itself. */
  readonly #callers: readonly string[];
  /** The sub-flows' graphs node functions import, by folder (`flows/<flow id>`), with the local name of each. */
  readonly #subflowGraphs = new Map<string, string>();
  /** The sub-flows' source files, by path in the project. */
  readonly #subflowFiles = new Map<string, string>();
  /** The multi-instance activities (in this flow and its sub-processes), by node id. */
  readonly #multiInstances = new Map<string, MultiInstanceSpec>();

  constructor(ir: FlowIR, flow: FlowDocument, registry: NodeTypeRegistry, subflows: ReadonlyMap<string, Subflow> = new Map(), callers: readonly string[] = []) {
    this.#ir = ir;
    this.#flow = flow;
    this.#registry = registry;
    this.#subflows = subflows;
    this.#callers = callers;
    this.#channels = new Map(ir.channels.map((channel) => [channel.name, channel]));
    this.#fanOutByMap = new Map(ir.fanOuts.map((fanOut) => [fanOut.mapNode, fanOut]));
    const scopes = (nodes: readonly NodeIR[]): void => {
      for (const { body } of nodes) {
        if (!body) continue;
        for (const child of body.nodes) this.#scopeOf.set(child.id, body);
        scopes(body.nodes);
      }
    };
    scopes(ir.nodes);
  }

  /** The LangGraph node name: the drawn id, prefixed when it clashes with a channel (LangGraph refuses that). */
  graphName(nodeId: string): string {
    return graphNameOf(this.#channels, nodeId);
  }

  /** Where control leaves a node: a map continues from its collector, a multi-instance activity from the step gathering its instances. */
  exitOf(nodeId: string): string {
    if (this.#multiInstances.has(nodeId)) return doneNode(this.graphName(nodeId));
    return this.#fanOutByMap.has(nodeId) ? `${this.graphName(nodeId)}#collect` : this.graphName(nodeId);
  }

  mapChannel(fanOut: FanOutIR): string {
    let name = `${camelCase(fanOut.mapNode)}Results`;
    while (this.#channels.has(name)) name = `_${name}`;
    return name;
  }

  #context(node: NodeIR): GeneratorContext {
    return {
      node,
      channels: this.#channels,
      feel: (expression, type = 'unknown') => {
        this.#helpers.add('feel');
        return `feel<${type}>(${literal(expression)}, state, ${literal(node.id)})`;
      },
      template: (text) => {
        this.#helpers.add('template');
        return `renderTemplate(${literal(text)}, state, ${literal(node.id)})`;
      },
      javascript: (source, file = node.id) => {
        const name = this.#name(`${file}-code`);
        this.#javascript.set(file, { name, source, title: node.name ?? node.id, nodeId: node.id });
        return name;
      },
      module: (file, source) => {
        if (!this.#locals.has(file)) this.#locals.set(file, { source, names: new Set<string>() });
      },
      local: (name, file, source) => {
        const local = this.#locals.get(file) ?? { source, names: new Set<string>() };
        this.#locals.set(file, local);
        local.names.add(name);
        return name;
      },
      readme: (section) => {
        this.#readmeSections.add(section);
      },
      interrupt: (request) => {
        this.#nodeImports.add('interrupt');
        return `interrupt<Record<string, unknown>, Record<string, unknown>>(${request})`;
      },
      channelUpdate: (value) => {
        this.#helpers.add('channelUpdate');
        return `channelUpdate(${value})`;
      },
      codeUpdate: (value, writes) => {
        this.#helpers.add('codeUpdate');
        return `codeUpdate(${literal(node.id)}, ${value}${writes ? `, ${literal(writes)}` : ''})`;
      },
      depend: (from) => {
        this.#dependencies.add(from);
      },
      use: (name, from, subpath = '') => {
        this.#dependencies.add(from);
        const module = `${from}${subpath}`;
        this.#packageImports.set(module, (this.#packageImports.get(module) ?? new Set<string>()).add(name));
        return name;
      },
      environment: (variable, description) => {
        this.#environment.set(variable, description);
        return `process.env[${literal(variable)}]`;
      },
      typeOf: (channel) => tsTypes[this.#channels.get(channel)?.type ?? 'any'],
      reducer: (channel) => {
        const reducer = this.#channels.get(channel)?.reducer ?? 'replace';
        this.#stateImports.add(reducer);
        return reducer;
      },
      exits: () => this.#exitsOf(node),
      subflow: (flowId) => {
        this.#subgraphNodes.add(this.graphName(node.id));
        return this.#subflow(flowId);
      },
    };
  }

  /** Writes a sub-flow's graph as a folder of the project (once) and returns the local name node functions call it by. */
  #subflow(flowId: string): { graph: string; outputs: readonly string[]; recursionLimit: number } {
    const subflow = this.#subflows.get(flowId);
    if (!subflow) {
      throw new NodeRefusal({
        en: `it runs the flow "${flowId}", which was not found; export it from where that flow is stored (the server, or the CLI's --flows-dir)`,
        'zh-CN': `它运行的流程 "${flowId}" 未找到；请在保存该流程的地方导出（服务器，或 CLI 的 --flows-dir）`,
      });
    }
    const callers = [...this.#callers, this.#ir.flowId];
    if (callers.includes(flowId)) {
      const cycle = [...callers, flowId].map((id) => `"${id}"`).join(' → ');
      throw new NodeRefusal({ en: `it runs the flow "${flowId}", which runs this one: ${cycle}; a graph cannot contain itself`, 'zh-CN': `它运行的流程 "${flowId}" 又运行本流程：${cycle}；图不能包含自身` });
    }
    const folder = `flows/${fileName(flowId)}`;
    const outputs = subflow.ir.output ?? subflow.ir.channels.map((channel) => channel.name);
    const known = this.#subflowGraphs.get(folder);
    const { recursionLimit } = subflow.ir;
    if (known) return { graph: known, outputs, recursionLimit };
    const graph = this.#name(`${flowId}-graph`);
    this.#subflowGraphs.set(folder, graph);
    const child = new ProjectWriter(subflow.ir, subflow.document, this.#registry, this.#subflows, callers);
    for (const [path, text] of Object.entries(child.sourceFiles())) this.#subflowFiles.set(`src/${folder}/${path.slice('src/'.length)}`, text);
    // What the sub-flow's code needs, the project needs.
    for (const dependency of child.#dependencies) this.#dependencies.add(dependency);
    for (const [variable, description] of child.#environment) this.#environment.set(variable, description);
    for (const section of child.#readmeSections) this.#readmeSections.add(section);
    for (const name of child.#subgraphNodes) this.#subgraphNodes.add(name);
    return { graph, outputs, recursionLimit };
  }

  #exitsOf(node: NodeIR): readonly string[] | undefined {
    const scope = this.#scopeOf.get(node.id) ?? this.#ir;
    const leaving = scope.edges.filter((edge) => edge.sources.includes(node.id));
    if (scope.routes.some((route) => route.source === node.id) || leaving.some((edge) => edge.sources.length > 1)) return undefined;
    return [...leaving.map((edge) => this.graphName(edge.target)), ...(scope.finishes.includes(node.id) ? ['__end__'] : [])];
  }

  #generate(node: NodeIR): Generated {
    const nodeType = this.#registry.get(node.type);
    const support = nodeType?.codegen;
    if (!support) throw new CodegenRefusedError(node.id, `its type ${node.type} has no code generator`);
    if ('refused' in support) throw new CodegenRefusedError(node.id, support.refused.en, support.refused);
    const generator = node.executor === CAUGHT_EVENT_EXECUTOR ? caughtEvent : generators[node.type];
    if (!generator) throw new CodegenRefusedError(node.id, `its type ${node.type} has no code generator`);
    const escalation = node.errorBoundaries?.find((boundary) => boundary.escalation);
    if (escalation) throw new CodegenRefusedError(node.id, `its escalation boundary event "${escalation.target}" is not written out as code yet`);
    if (node.events && !waitsWithEvents.has(node.type)) {
      throw new CodegenRefusedError(node.id, `its boundary events (${node.events.map((event) => `"${event.target}"`).join(', ')}) do not run in Loomflow either: timer, message and signal boundary events run on user and receive tasks only`);
    }
    if (node.body && node.body.fanOuts.length > 0) throw new CodegenRefusedError(node.id, 'a map inside a sub-process is not written out as code yet');
    const loopProblem = loopRefusal(node, this.#scopeOf.has(node.id) || this.#callers.length > 0);
    if (loopProblem) throw new CodegenRefusedError(node.id, loopProblem.en, loopProblem);
    try {
      const generated = { node, functionName: this.#name(node.id), graphName: this.graphName(node.id), source: generator(this.#context(node)) };
      const loop = multiInstanceOf(node);
      if (loop) this.#addMultiInstance(generated, loop);
      return generated;
    } catch (error) {
      if (error instanceof NodeRefusal) throw new CodegenRefusedError(node.id, error.message, error.localized);
      throw error;
    }
  }

  #addMultiInstance({ node, functionName, graphName }: Generated, loop: NonNullable<ReturnType<typeof multiInstanceOf>>): void {
    let resultsChannel = `${camelCase(node.id)}InstanceResults`;
    while (this.#channels.has(resultsChannel)) resultsChannel = `_${resultsChannel}`;
    const names = { start: this.#name(`${node.id}-instances`), instance: this.#name(`${node.id}-instance`), completes: this.#name(`${node.id}-completes`), done: this.#name(`${node.id}-gathered`) };
    this.#multiInstances.set(node.id, { node, loop, functionName, graphName, names, resultsChannel });
    this.#helpers.add('feel');
    for (const name of ['Command', 'Send']) this.#nodeImports.add(name);
    for (const name of ['type Instance', 'type InstanceTask', 'type InstanceResult', ...(loop.completionCondition === undefined ? [] : ['type InstanceCounts'])]) this.#stateImports.add(name);
    if (closesInstances(loop)) this.#readmeSections.add(multiInstanceReadme);
  }

  #docComment(node: NodeIR): string {
    const drawn = this.#flow.nodes.find((candidate) => candidate.id === node.id);
    const title = this.#registry.get(node.type)?.title.en ?? node.type;
    const documentation = typeof node.config.documentation === 'string' ? node.config.documentation : undefined;
    const lines = [`${node.name ?? node.id} (${title}, node "${node.id}").`, ...(documentation ? ['', ...documentation.split('\n')] : [])];
    if (drawn?.name === undefined && !documentation) lines[0] = `${title} (node "${node.id}").`;
    return `/**\n${lines.map((line) => ` * ${line.replaceAll('*/', '* /')}`.trimEnd()).join('\n')}\n */`;
  }

  #mapFunction(node: NodeIR, fanOut: FanOutIR, name: string): string {
    this.#helpers.add('feel');
    this.#nodeImports.add('Command');
    this.#nodeImports.add('Send');
    const worker = this.graphName(fanOut.worker);
    const collect = `${this.graphName(node.id)}#collect`;
    return [
      this.#docComment(node),
      `export function ${name}(state: State): Command {`,
      `const items = feel<unknown>(${literal(fanOut.items)}, state, ${literal(node.id)});`,
      `if (!Array.isArray(items)) throw new Error(${literal(`node "${node.id}": "${fanOut.items}" must give a list`)});`,
      `if (items.length === 0) return new Command({ goto: ${literal(collect)} });`,
      `// One run of "${fanOut.worker}" per item, in parallel; each carries the state, its item and its place in the list.`,
      `return new Command({ goto: items.map((item, index) => new Send(${literal(worker)}, { state, item, index })) });`,
      '}',
    ].join('\n');
  }

  /** The project's TypeScript and JavaScript files (unformatted) but main.ts: what a flow running this one as a sub-flow includes. */
  sourceFiles(): Record<string, string> {
    const ir = this.#ir;
    const workers = new Set(ir.fanOuts.map((fanOut) => fanOut.worker));
    const reached = new Set([ir.entry, ...ir.edges.map((edge) => edge.target), ...ir.routes.flatMap((route) => (route.kind === 'port' ? Object.values(route.ports).flat() : [...route.branches, ...(route.fallback ? [route.fallback] : [])].map((branch) => branch.target)))]);
    // The nodes of every sub-process too, in drawing order: node ids are unique across the process.
    const generated = everyNode(ir.nodes).map((node) => (this.#fanOutByMap.has(node.id) ? { node, functionName: this.#name(node.id), graphName: this.graphName(node.id), source: { body: '' } } : this.#generate(node)));

    // After the nodes, so a refused node type is named for what it is rather than for its routing.
    for (const worker of workers) {
      if (reached.has(worker)) throw new CodegenRefusedError(worker, 'a map’s worker that edges also lead to is not written out as code yet');
    }
    const files: Record<string, string> = {};
    files['src/nodes.ts'] = this.#nodesFile(generated);
    files['src/graph.ts'] = this.#graphFile(generated);
    files['src/state.ts'] = this.#stateFile();
    if (this.#helpers.size > 0) files['src/helpers.ts'] = this.#helpersFile();
    for (const [file, { source, title, nodeId }] of this.#javascript) files[`src/code/${file}.js`] = codeModule(title, nodeId, source);
    for (const [file, { source }] of this.#locals) files[`src/${file}.ts`] = source;
    for (const [path, text] of this.#subflowFiles) files[path] = text;
    for (const { node, graphName } of generated) if (node.body) this.#subgraphNodes.add(graphName);
    return files;
  }

  /**
   * Graph names of the nodes running a graph of drawn nodes, a sub-process's or a sub-flow's, in
   * this flow and in its sub-flows: main.ts traces the steps of their subgraphs.
   */
  readonly #subgraphNodes = new Set<string>();

  async write(): Promise<GeneratedProject> {
    const files: Record<string, string> = { ...this.sourceFiles() };
    files['src/main.ts'] = mainFile([...this.#subgraphNodes], [...this.#multiInstances.values()].some((spec) => closesInstances(spec.loop)));
    const formatted: Record<string, string> = {};
    for (const [path, text] of Object.entries(files)) {
      try {
        formatted[path] = await format(text, { parser: path.endsWith('.js') ? 'babel' : 'typescript', plugins: [babel, estree, typescript], printWidth: 110, singleQuote: true });
      } catch (error) {
        const nodeId = path.startsWith('src/code/') ? this.#javascript.get(path.slice('src/code/'.length, -'.js'.length))?.nodeId : undefined;
        if (nodeId) throw new CodegenRefusedError(nodeId, `its JavaScript does not parse: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        throw error;
      }
    }
    return {
      'package.json': `${JSON.stringify(this.#packageJson(), null, 2)}\n`,
      'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
      // `env` only when there are credentials to fill in: langgraphjs dev refuses to start without the file it names.
      'langgraph.json': `${JSON.stringify({ node_version: '20', graphs: { [this.#graphId()]: './src/graph.ts:graph' }, ...(this.#credentials().length > 0 || this.#environment.size > 0 ? { env: '.env' } : {}), dependencies: ['.'] }, null, 2)}\n`,
      '.env.example': this.#envExample(),
      'README.md': this.#readme(),
      '.gitignore': 'node_modules\n.env\n.langgraph_api\n',
      ...formatted,
    };
  }

  /** Whether a run may wait for a timer, a message or a signal (then the README says who resumes it). */
  #waitsForEvents(): boolean {
    const waits = (nodes: readonly NodeIR[]): boolean =>
      nodes.some((node) => node.events !== undefined || node.type === 'bpmn.intermediateCatchEvent' || node.type === 'bpmn.receiveTask' || (node.body !== undefined && waits(node.body.nodes)));
    return waits(this.#ir.nodes);
  }

  #graphId(): string {
    return this.#ir.flowId.replace(/[^A-Za-z0-9_-]/g, '_');
  }

  #nodesFile(generated: readonly Generated[]): string {
    const functions = generated.filter(({ node }) => !node.body).map(({ node, functionName, source }) => {
      const fanOut = this.#fanOutByMap.get(node.id);
      if (fanOut) return this.#mapFunction(node, fanOut, functionName);
      const parameters = source.config ? 'state: State, config: LangGraphRunnableConfig' : 'state: State';
      if (source.config) this.#nodeImports.add('type LangGraphRunnableConfig');
      const multiInstance = this.#multiInstances.get(node.id);
      if (source.instance && multiInstance) {
        const instance = `${this.#docComment(node)}\nexport function ${functionName}(state: State & Record<string, unknown>, instance: Instance): Record<string, unknown> | null {\n${source.body}\n}`;
        return `${instance}\n\n${multiInstanceFunctions(multiInstance)}`;
      }
      const returns = source.leavesByCommand ? 'Command' : source.command ? 'Update | Command' : 'Update';
      const signature = source.async ? `export async function ${functionName}(${parameters}): Promise<${returns}>` : `export function ${functionName}(${parameters}): ${returns}`;
      return `${this.#docComment(node)}\n${signature} {\n${source.body}\n}`;
    });
    // LangGraph's names the project writer uses and those generators ask for, in one import.
    const packageImports = new Map(this.#packageImports);
    if (this.#nodeImports.size > 0) packageImports.set('@langchain/langgraph', new Set([...this.#nodeImports, ...(packageImports.get('@langchain/langgraph') ?? [])]));
    const byName = (left: string, right: string) => left.replace('type ', '').localeCompare(right.replace('type ', ''));
    const imports = [
      ...[...packageImports].sort(([left], [right]) => left.localeCompare(right)).map(([from, names]) => `import { ${[...names].sort(byName).join(', ')} } from '${from}';`),
      this.#helpers.size > 0 ? `import { ${[...this.#helpers].map((helper) => (helper === 'template' ? 'renderTemplate' : helper)).sort().join(', ')} } from './helpers.js';` : '',
      `import { ${[...this.#stateImports].sort((left, right) => left.replace('type ', '').localeCompare(right.replace('type ', ''))).join(', ')} } from './state.js';`,
      ...[...this.#locals].flatMap(([file, { names }]) => (names.size > 0 ? [`import { ${[...names].sort().join(', ')} } from './${file}.js';`] : [])),
      ...[...this.#javascript].map(([file, { name }]) => `import ${name} from './code/${file}.js';`),
      ...[...this.#subflowGraphs].map(([folder, name]) => `import { graph as ${name} } from './${folder}/graph.js';`),
    ].filter(Boolean);
    return [
      '// One function per drawn node: each gets the state and returns the channels it changes.',
      ...imports,
      '',
      functions.join('\n\n'),
    ].join('\n');
  }

  #routeFunction(route: Extract<RouteIR, { kind: 'conditions' }>, name: string): string {
    const graphName = (nodeId: string) => literal(this.graphName(nodeId));
    const lines: string[] = [];
    const describe = route.match === 'first' ? 'the first outgoing edge whose condition holds' : 'every outgoing edge whose condition holds';
    lines.push(`/** Where the run goes after "${route.source}": ${describe}${route.fallback ? ', else the default edge' : ''}. */`);
    const noDefault = `throw new Error(${literal(`node "${route.source}": no condition of its outgoing edges holds and it has no default edge`)});`;
    const test = (condition: string) => `feel<unknown>(${literal(condition)}, state, ${literal(route.source)}) === true`;
    if (route.match === 'first' && route.branches.every((branch) => branch.condition !== undefined)) {
      // The common case (an exclusive choice): one target, read top to bottom.
      lines.push(`function ${name}(state: State): string {`);
      for (const branch of route.branches) lines.push(`if (${test(branch.condition as string)}) return ${graphName(branch.target)}; // edge ${branch.edgeId}`);
      lines.push(route.fallback ? `return ${graphName(route.fallback.target)}; // default edge ${route.fallback.edgeId}` : noDefault);
    } else {
      lines.push(`function ${name}(state: State): string[] {`);
      lines.push('const targets: string[] = [];');
      for (const branch of route.branches) {
        if (branch.condition === undefined) lines.push(`targets.push(${graphName(branch.target)}); // edge ${branch.edgeId}, always taken`);
        else if (route.match === 'first') lines.push(`if (${test(branch.condition)}) return [...targets, ${graphName(branch.target)}]; // edge ${branch.edgeId}`);
        else lines.push(`if (${test(branch.condition)}) targets.push(${graphName(branch.target)}); // edge ${branch.edgeId}`);
      }
      lines.push('if (targets.length > 0) return targets;');
      lines.push(route.fallback ? `return [${graphName(route.fallback.target)}]; // default edge ${route.fallback.edgeId}` : noDefault);
    }
    lines.push('}');
    return lines.join('\n');
  }

  #nodeOptions(node: NodeIR, deferred: boolean, ends?: readonly string[], errorHandler?: string): string {
    const options: string[] = [];
    if (node.retry) {
      // logWarning off: LangGraph would print each retry on stdout, where main.ts prints the final state.
      options.push(`retryPolicy: { maxAttempts: ${node.retry.maxAttempts}, initialInterval: ${node.retry.initialIntervalMs}, backoffFactor: ${node.retry.backoffFactor}, maxInterval: ${MAX_RETRY_INTERVAL_MS}, jitter: false, logWarning: false }`);
    }
    if (node.timeoutMs) options.push(`timeout: ${node.timeoutMs}`);
    if (deferred) options.push('defer: true');
    if (errorHandler) options.push(`errorHandler: ${errorHandler}`);
    if (ends) options.push(`ends: ${literal(ends)}`);
    return options.length > 0 ? `, { ${options.join(', ')} }` : '';
  }

  /**
   * The builder chain of one graph: the process's, or a sub-process's content (its own graph over
   * the same state). Adds the route and error-handler functions it calls to `functions`.
   */
  #builderChain(ir: FlowIR, byId: ReadonlyMap<string, Generated>, functions: string[], imports: Set<string>): string[] {
    const waitingTargets = new Set(ir.edges.filter((edge) => edge.sources.length > 1).map((edge) => edge.target));
    const workers = new Map(ir.fanOuts.map((fanOut) => [fanOut.worker, fanOut]));
    const chain: string[] = [];
    const graphName = (nodeId: string) => this.graphName(nodeId);

    for (const node of ir.nodes) {
      const { functionName, graphName: name, source } = byId.get(node.id) as Generated;
      const deferred = node.join === 'taken' || (node.join === 'all' && !waitingTargets.has(node.id));
      const worker = workers.get(node.id);
      const fanOut = this.#fanOutByMap.get(node.id);
      if (worker) {
        const channel = this.mapChannel(worker);
        const call = `${source.async ? 'await ' : ''}${functionName}({ ...task.state, ${literal(worker.as)}: task.item } as State)`;
        chain.push(`// Runs once per item of "${worker.mapNode}" (a Send), writing its update to the map's results in item order.`);
        chain.push(`.addNode(${literal(name)}, ${source.async ? 'async ' : ''}(task: MapTask) => ({ ${literal(channel)}: [{ index: task.index, value: ${call} }] })${this.#nodeOptions(node, false)})`);
        continue;
      }
      if (fanOut) {
        const collect = `${name}#collect`;
        chain.push(`.addNode(${literal(name)}, ${functionName}${this.#nodeOptions(node, deferred, [this.graphName(fanOut.worker), collect])})`);
        const channel = this.mapChannel(fanOut);
        chain.push(`// Gathers the worker's updates in item order into "${fanOut.collect}", and empties the results for the next map.`);
        chain.push(
          `.addNode(${literal(collect)}, (state: State) => ({ ${literal(fanOut.collect)}: [...state[${literal(channel)}]].sort((left, right) => left.index - right.index).map((result) => result.value), ${literal(channel)}: null }))`,
        );
        chain.push(`.addEdge(${literal(this.graphName(fanOut.worker))}, ${literal(collect)})`);
        continue;
      }
      const multiInstance = this.#multiInstances.get(node.id);
      if (multiInstance) {
        chain.push(...multiInstanceChain(multiInstance, deferred ? ['defer: true'] : []));
        continue;
      }
      const ends = commandTargets(node, graphName);
      if (source.leavesByCommand) ends.push(...(this.#exitsOf(node) ?? []).filter((exit) => exit !== '__end__' && !ends.includes(exit)));
      let handler: string | undefined;
      if (node.errorBoundaries || node.onErrorGoto) {
        handler = this.#name(`after-${node.id}-fails`);
        imports.add('Command').add('type NodeError');
        functions.push(errorHandlerSource(node, handler, graphName));
      }
      chain.push(`.addNode(${literal(name)}, ${functionName}${this.#nodeOptions(node, deferred, ends.length > 0 ? ends : undefined, handler)})`);
      if (node.events?.some((event) => !event.interrupting)) {
        // LangGraph pauses a run after any step with an interrupt: waiting again in the step the
        // event's path starts would stop that path, so the node waits again once it has run.
        chain.push(`// "${node.id}" again, after one of its events that do not end it came: deferred, it waits once the event's path has run.`);
        chain.push(`.addNode(${literal(waitsAgain(name))}, ${functionName}${this.#nodeOptions(node, true, ends, handler)})`);
      }
    }
    chain.push(`.addEdge(START, ${literal(this.graphName(ir.entry))})`);
    // A node waiting again leaves the way the node does; into a join, as another way in of the same branch.
    const again = new Set(ir.nodes.filter((node) => node.events?.some((event) => !event.interrupting)).map((node) => node.id));
    const byCommand = new Set(ir.nodes.filter((node) => byId.get(node.id)?.source.leavesByCommand).map((node) => node.id));
    for (const edge of ir.edges.filter((each) => !each.sources.some((source) => byCommand.has(source)))) {
      const sources = edge.sources.map((source) => literal(this.exitOf(source)));
      chain.push(`.addEdge(${sources.length === 1 ? sources[0] : `[${sources.join(', ')}]`}, ${literal(this.graphName(edge.target))})`);
      for (const source of edge.sources.filter((candidate) => again.has(candidate))) {
        const agains = edge.sources.map((other) => literal(other === source ? waitsAgain(this.graphName(other)) : this.exitOf(other)));
        chain.push(`.addEdge(${agains.length === 1 ? agains[0] : `[${agains.join(', ')}]`}, ${literal(this.graphName(edge.target))})`);
      }
    }
    for (const route of ir.routes) {
      if (route.kind === 'port') {
        const name = this.#name(`route-after-${route.source}`);
        const written = portRoute(route, name, (nodeId) => this.graphName(nodeId));
        functions.push(written.source);
        for (const line of written.imports) this.#routeImports.add(line);
        const targets = [...new Set(Object.values(route.ports).flat().map((target) => this.graphName(target)))];
        chain.push(`.addConditionalEdges(${literal(this.exitOf(route.source))}, ${name}, ${literal(targets)})`);
        if (again.has(route.source)) chain.push(`.addConditionalEdges(${literal(waitsAgain(this.graphName(route.source)))}, ${name}, ${literal(targets)})`);
        continue;
      }
      if (route.branches.some((branch) => branch.condition !== undefined)) {
        // graph.ts imports feel() from the helpers, which write it only when asked.
        this.#graphUsesFeel = true;
        this.#helpers.add('feel');
      }
      const name = this.#name(`route-after-${route.source}`);
      functions.push(this.#routeFunction(route, name));
      const targets = [...new Set([...route.branches, ...(route.fallback ? [route.fallback] : [])].map((branch) => this.graphName(branch.target)))];
      chain.push(`.addConditionalEdges(${literal(this.exitOf(route.source))}, ${name}, ${literal(targets)})`);
      if (again.has(route.source)) chain.push(`.addConditionalEdges(${literal(waitsAgain(this.graphName(route.source)))}, ${name}, ${literal(targets)})`);
    }
    for (const finish of ir.finishes.filter((nodeId) => !byCommand.has(nodeId))) {
      chain.push(`.addEdge(${literal(this.exitOf(finish))}, END)`);
      if (again.has(finish)) chain.push(`.addEdge(${literal(waitsAgain(this.graphName(finish)))}, END)`);
    }
    return chain;
  }

  /** A sub-process: its content compiled as a graph of its own, and the node function running it. */
  #subProcess(node: NodeIR, body: FlowIR, byId: ReadonlyMap<string, Generated>, functions: string[], imports: Set<string>): string[] {
    const { functionName } = byId.get(node.id) as Generated;
    const content = this.#name(`${node.id}-content`);
    const inner: string[] = [];
    for (const child of body.nodes) if (child.body) inner.push(...this.#subProcess(child, child.body, byId, functions, imports));
    const chain = this.#builderChain(body, byId, functions, imports);
    this.#helpers.add('changedChannels');
    imports.add('type LangGraphRunnableConfig');
    return [
      ...inner,
      `/** What "${node.name ?? node.id}" (node "${node.id}") runs: its own start, steps and ends, over the process's state. */`,
      `const ${content} = new StateGraph(StateAnnotation)`,
      `${chain.join('\n')}`,
      '.compile();',
      '',
      this.#docComment(node),
      `async function ${functionName}(state: State, config: LangGraphRunnableConfig): Promise<Update> {`,
      '// Invoked with the node\'s config, the content checkpoints in the node\'s place of the thread: a',
      '// person\'s step inside pauses the process, and an error inside reaches the boundary events on it.',
      `const after = await ${content}.invoke(state, { ...config, recursionLimit: ${body.recursionLimit} });`,
      'return changedChannels(state, after);',
      '}',
      '',
    ];
  }

  #graphFile(generated: readonly Generated[]): string {
    const ir = this.#ir;
    const byId = new Map(generated.map((entry) => [entry.node.id, entry]));
    const functions: string[] = [];
    const imports = new Set(['END', 'START', 'StateGraph']);
    const stateImports = new Set(['StateAnnotation', 'type State']);
    const subProcesses = ir.nodes.flatMap((node) => (node.body ? this.#subProcess(node, node.body, byId, functions, imports) : []));
    // A multi-instance activity's graph nodes run the functions around its instance function.
    const multiInstances = [...this.#multiInstances.values()];
    const nodeFunctions = [
      ...generated.filter((entry) => !entry.node.body && !this.#multiInstances.has(entry.node.id)).map((entry) => entry.functionName),
      ...multiInstances.flatMap(({ names }) => [names.start, names.instance, names.done]),
    ];
    const closing = multiInstances.filter((spec) => closesInstances(spec.loop));
    if (closing.length > 0) {
      nodeFunctions.push(...closing.map((spec) => spec.names.completes));
      for (const name of ['type Instance', 'type InstanceCounts']) stateImports.add(name);
      functions.push(instancesClosedBySource(closing));
    }
    const chain = this.#builderChain(ir, byId, functions, imports);
    const helpers = [...(this.#graphUsesFeel ? ['feel'] : []), ...(subProcesses.length > 0 ? ['changedChannels'] : [])];
    if (subProcesses.length > 0) stateImports.add('type Update');

    if (ir.input) stateImports.add('InputAnnotation');
    stateImports.add('OutputAnnotation');
    const schema = [`stateSchema: StateAnnotation`, ...(ir.input ? ['input: InputAnnotation'] : []), 'output: OutputAnnotation'];
    const mapTask = ir.fanOuts.length > 0 ? ['', '/** What a map sends each run of its worker. */', 'interface MapTask {', 'state: State;', 'item: unknown;', 'index: number;', '}'] : [];
    const byName = (left: string, right: string) => left.replace('type ', '').localeCompare(right.replace('type ', ''));
    return [
      `// The flow "${this.#flow.name}" as a LangGraph StateGraph: its nodes (nodes.ts), edges, conditions and joins.`,
      ...this.#routeImports,
      `import { ${[...imports].sort(byName).join(', ')} } from '@langchain/langgraph';`,
      ...(helpers.length > 0 ? [`import { ${helpers.join(', ')} } from './helpers.js';`] : []),
      `import { ${nodeFunctions.sort().join(', ')} } from './nodes.js';`,
      `import { ${[...stateImports].sort(byName).join(', ')} } from './state.js';`,
      ...mapTask,
      '',
      `/** Supersteps a run may take, as Loomflow computes it from the drawing (LangGraph's default is 25). */`,
      `export const recursionLimit = ${ir.recursionLimit};`,
      '',
      functions.join('\n\n'),
      '',
      ...subProcesses,
      `export const builder = new StateGraph({ ${schema.join(', ')} })`,
      `${chain.join('\n')};`,
      '',
      '/** The compiled graph, as `langgraphjs dev` and LangGraph Platform serve it (they bring the checkpointer). */',
      'export const graph = builder.compile().withConfig({ recursionLimit });',
    ]
      .filter((line, index, all) => line !== '' || all[index - 1] !== '')
      .join('\n');
  }

  #stateFile(): string {
    const ir = this.#ir;
    const imports = new Set(['Annotation']);
    const reducers = new Set(ir.channels.map((channel) => channel.reducer));
    for (const name of this.#stateImports) if (name in reducerSources) reducers.add(name as ChannelIR['reducer']);
    if (reducers.has('messages')) imports.add('messagesStateReducer');
    const usesMessages = ir.channels.some((channel) => channel.type === 'messages');
    const channelEntry = (channel: ChannelIR) => {
      const value = channel.default !== undefined ? channel.default : emptyValues[channel.type];
      const description = this.#flow.state.channels.find((drawn) => drawn.name === channel.name)?.description;
      const type = tsTypes[channel.type];
      const annotation = channel.reducer === 'replace' ? `Annotation<${type}>` : `Annotation<${type}, ${channel.reducer === 'append' ? 'unknown' : type}>`;
      return `${description ? `/** ${description.replaceAll('*/', '* /')} */\n` : ''}${literal(channel.name)}: ${annotation}({ reducer: ${channel.reducer}, default: () => (${literal(value)}) }),`;
    };
    const mapChannels = ir.fanOuts.map(
      (fanOut) =>
        `/** The updates of "${fanOut.worker}" per item of "${fanOut.mapNode}", until they are collected (null empties it). */\n${literal(this.mapChannel(fanOut))}: Annotation<MapResult[], MapResult[] | null>({ reducer: (current, update) => (update === null ? [] : [...current, ...update]), default: () => [] }),`,
    );
    const firedTimers = hasOnceTimers(ir.nodes) ? firedTimersChannel(this.#channels) : undefined;
    if (firedTimers) reducers.add('merge');
    const firedTimersChannels = firedTimers
      ? [`/** Which timers that do not interrupt their task have fired while it waits (they fire once), by catching node. */\n${literal(firedTimers)}: Annotation<Record<string, unknown>>({ reducer: merge, default: () => ({}) }),`]
      : [];
    const pick = (names: readonly string[]) => names.map((name) => `${literal(name)}: StateAnnotation.spec[${literal(name)}],`).join('\n');
    const flowChannels = ir.channels.map((channel) => channel.name);
    return [
      `// The state of "${this.#flow.name}": one channel per drawn channel, with its reducer and default.`,
      `import { ${[...imports].sort().join(', ')} } from '@langchain/langgraph';`,
      ...(usesMessages ? [`import type { BaseMessage } from '@langchain/core/messages';`] : []),
      '',
      [...reducers].sort().map((reducer) => reducerSources[reducer]).join('\n\n'),
      '',
      ...(ir.fanOuts.length > 0 ? ['/** One worker run’s update and the place of its item in the list. */', 'export interface MapResult {', 'index: number;', 'value: unknown;', '}', ''] : []),
      'export const StateAnnotation = Annotation.Root({',
      ...ir.channels.map(channelEntry),
      ...mapChannels,
      ...[...this.#multiInstances.values()].map(multiInstanceChannel),
      ...firedTimersChannels,
      '});',
      '',
      ...(ir.input ? ['/** What a run accepts as input. */', `export const InputAnnotation = Annotation.Root({\n${pick(ir.input)}\n});`, ''] : []),
      '/** What a run returns. */',
      `export const OutputAnnotation = Annotation.Root({\n${pick(ir.output ?? flowChannels)}\n});`,
      '',
      'export type State = typeof StateAnnotation.State;',
      'export type Update = typeof StateAnnotation.Update;',
      ...(this.#multiInstances.size > 0 ? ['', multiInstanceTypes] : []),
      '',
      '/** The channels of the flow: the only keys an answer or a code result may write. */',
      `export const channelNames: readonly string[] = ${literal(flowChannels)};`,
    ].join('\n');
  }

  #helpersFile(): string {
    const parts: string[] = [];
    const imports: string[] = [];
    if (this.#helpers.has('feel')) {
      imports.push(`import { evaluate } from 'feelin';`);
      this.#dependencies.add('feelin');
      parts.push(
        [
          '/**',
          ' * Evaluates a FEEL expression (the expression language of BPMN and DMN) over the state. feelin',
          ' * answers null with a warning for a missing variable or a type mismatch; that is an error here,',
          ' * so a condition never takes the wrong edge in silence.',
          ' */',
          'export function feel<T>(expression: string, context: Record<string, unknown>, nodeId: string): T {',
          'const { value, warnings } = evaluate(expression, context);',
          'const [warning] = warnings;',
          'if (warning) throw new Error(`node "${nodeId}": FEEL expression "${expression}": ${warning.message}`);',
          'return value as T;',
          '}',
        ].join('\n'),
      );
    }
    if (this.#helpers.has('template')) {
      parts.push(
        [
          '/** `{{channel}}` or `{{channel.field}}`, with optional spaces inside the braces. */',
          'const PLACEHOLDER = /\\{\\{\\s*([A-Za-z_]\\w*(?:\\.\\w+)*)\\s*\\}\\}/g;',
          '',
          '/** Fills the placeholders from the state; a placeholder with no value is an error naming it. */',
          'export function renderTemplate(template: string, state: Record<string, unknown>, nodeId: string): string {',
          'const missing = new Set<string>();',
          'const text = template.replace(PLACEHOLDER, (_match, path: string) => {',
          'let value: unknown = state;',
          "for (const key of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;",
          'if (value === undefined) {',
          'missing.add(path);',
          "return '';",
          '}',
          "return typeof value === 'string' ? value : JSON.stringify(value);",
          '});',
          'if (missing.size > 0) throw new Error(`node "${nodeId}": the template refers to ${[...missing].map((path) => `"${path}"`).join(\', \')}, which the state does not have`);',
          'return text;',
          '}',
        ].join('\n'),
      );
    }
    if (this.#helpers.has('changedChannels')) {
      imports.push(`import { StateAnnotation, type State, type Update } from './state.js';`);
      parts.push(
        [
          '/**',
          ' * What a sub-process changed, as an update of the process: the channels whose value differs,',
          " * with a list's new items only and a sum's difference, since the process's reducers apply it again.",
          ' */',
          'export function changedChannels(before: State, after: State): Update {',
          'const update: Record<string, unknown> = {};',
          'for (const name of Object.keys(StateAnnotation.spec) as (keyof State)[]) {',
          'const [was, is] = [before[name], after[name]];',
          'if (JSON.stringify(was) === JSON.stringify(is)) continue;',
          ...(this.#ir.channels.some((channel) => channel.reducer === 'append' || channel.reducer === 'sum')
            ? [
                `const reducer = ${literal(Object.fromEntries(this.#ir.channels.filter((channel) => channel.reducer === 'append' || channel.reducer === 'sum').map((channel) => [channel.name, channel.reducer])))} as Record<string, string>;`,
                "if (reducer[name] === 'append') update[name] = (is as unknown[]).slice((was as unknown[]).length);",
                "else if (reducer[name] === 'sum') update[name] = Number(is) - Number(was);",
                'else update[name] = is;',
              ]
            : ['update[name] = is;']),
          '}',
          'return update as Update;',
          '}',
        ].join('\n'),
      );
    }
    if (this.#helpers.has('channelUpdate') || this.#helpers.has('codeUpdate')) imports.push(`import { channelNames${this.#helpers.has('changedChannels') ? '' : ', type Update'} } from './state.js';`);
    if (this.#helpers.has('channelUpdate')) {
      parts.push(
        [
          '/** The keys of an answer that are channels of the flow; the others are not state. */',
          'export function channelUpdate(answer: unknown): Update {',
          "if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return {};",
          'return Object.fromEntries(Object.entries(answer).filter(([key]) => channelNames.includes(key))) as Update;',
          '}',
        ].join('\n'),
      );
    }
    if (this.#helpers.has('codeUpdate')) {
      parts.push(
        [
          '/** A code node’s result as an update: an object of channel values (only the declared ones, when it declares them), or nothing. */',
          'export function codeUpdate(nodeId: string, result: unknown, writes?: readonly string[]): Update {',
          'if (result === undefined || result === null) return {};',
          "if (typeof result !== 'object' || Array.isArray(result)) throw new Error(`node \"${nodeId}\": the code must return an object of channel updates`);",
          'const undeclared = Object.keys(result).filter((key) => !channelNames.includes(key) || (writes !== undefined && !writes.includes(key)));',
          "if (undeclared.length > 0) throw new Error(`node \"${nodeId}\": the code returned ${undeclared.join(', ')}, which it may not write`);",
          'return result as Update;',
          '}',
        ].join('\n'),
      );
    }
    return ['// Small helpers the node functions share.', ...imports, '', parts.join('\n\n')].join('\n');
  }

  #packageJson(): Record<string, unknown> {
    // The helpers are written before package.json, so every package the code imports is known by now.
    const dependencies = Object.fromEntries([...this.#dependencies].sort().map((name) => [name, runtimeDependencies[name]]));
    return {
      name: this.#graphId(),
      version: '0.1.0',
      private: true,
      description: this.#flow.description ?? this.#flow.name,
      type: 'module',
      engines: { node: '>=20.19' },
      scripts: { start: 'tsx src/main.ts', typecheck: 'tsc --noEmit', dev: 'langgraphjs dev --no-browser' },
      dependencies,
      devDependencies: { ...toolDependencies },
    };
  }

  #credentials(): string[] {
    return [...new Set(this.#flow.nodes.flatMap((node) => this.#registry.get(node.type)?.traits.credentials?.(node.config) ?? []))];
  }

  #envExample(): string {
    const credentials = this.#credentials().map((name) => credentialVariable(name, 'API_KEY'));
    const read = [...this.#environment].filter(([variable]) => !credentials.includes(variable));
    if (credentials.length === 0 && read.length === 0) return '# This flow needs no credentials.\n';
    // Names only: the values are the project owner's, set in .env or the environment.
    return `${[...credentials.map((variable) => `${variable}=`), ...read.map(([variable, description]) => `# ${description}\n${variable}=`)].join('\n')}\n`;
  }

  #readme(): string {
    const flow = this.#flow;
    return [
      `# ${flow.name}`,
      '',
      ...(flow.description ? [flow.description, ''] : []),
      `Generated by \`loomflow codegen\` from the flow \`${flow.id}\`: a standalone LangGraph.js project that needs nothing from Loomflow.`,
      '',
      '## Install and run',
      '',
      '```sh',
      'npm install',
      "npm start -- '{\"someChannel\": 1}'                 # one run with this JSON input; prints the final state",
      "npm start -- '{}' --answer '{\"approved\": true}'    # answers each pause (human step, timer, message) in turn",
      "npm start -- '{}' --trace                          # also prints each node as it runs, on stderr",
      'npm run typecheck',
      '```',
      '',
      'A run that pauses with no answer left prints what it waits for on stderr and exits with 3.',
      '',
      '## Serve it',
      '',
      '`langgraph.json` names the graph, so the LangGraph CLI serves it locally and LangGraph Platform deploys it:',
      '',
      '```sh',
      'npm run dev     # langgraphjs dev: the LangGraph API on http://localhost:2024',
      '```',
      '',
      'A paused run is resumed through the API with `command: { resume: <answer> }`.',
      ...(this.#waitsForEvents() ? eventsReadme : []),
      '',
      '## Files',
      '',
      '| file | what it holds |',
      '|---|---|',
      '| `src/state.ts` | the state channels with their reducers and defaults |',
      '| `src/nodes.ts` | one function per drawn node |',
      ...(this.#javascript.size > 0 ? ['| `src/code/*.js` | the JavaScript drawn in code and script nodes |'] : []),
      ...(this.#helpers.size > 0 ? ['| `src/helpers.ts` | FEEL evaluation (feelin), templates, answers |'] : []),
      '| `src/graph.ts` | the graph: nodes, edges, conditions, joins; exports `graph` |',
      '| `src/main.ts` | runs the graph once from the command line |',
      '',
      '`@langchain/core` and `zod` are peers LangGraph needs installed beside it.',
      '',
      ...[...this.#readmeSections].flatMap((section) => [section, '']),
    ].join('\n');
  }
}

/** The README's word on timers and messages: a standalone project has no scheduler or message broker. */
const eventsReadme = [
  '',
  '## Timers, messages and signals',
  '',
  'This project has no scheduler and no message broker: a timer, message or signal the process waits for is an',
  'interrupt (`kind` `timer`, `message`, `signal`, or `events` for several at once) that whoever runs the graph',
  'resumes when the timer is due or the message arrives. Resume a single wait with the variables it brings (`{}`',
  'for a timer). When several things answer one interrupt (an event-based gateway\'s events, a user task and its',
  'boundary events), the first answer wins: resume with `{ "firedEvent": "<catching node id>", "variables": { … } }`',
  'for an event, or with the person\'s answer for the task.',
];

const tsconfig = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    allowJs: true,
    checkJs: false,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  },
  include: ['src'],
};

function codeModule(title: string, nodeId: string, source: string): string {
  return [
    `// The JavaScript drawn in "${title}" (node "${nodeId}"), unchanged: the body of a function of the state`,
    '// that returns the channels it changes.',
    `export default function run(state) {`,
    source,
    '}',
    '',
  ].join('\n');
}

/**
 * `src/main.ts`; `subgraphNodes` names the graph nodes that run a sub-process's content or a
 * sub-flow, whose steps are traced too; `closesInstances` says an answer may close other open
 * instances of a multi-instance user task (graph.ts exports `instancesClosedBy`).
 */
function mainFile(subgraphNodes: readonly string[], closesInstances: boolean): string {
  return [
    '// Runs the graph once: `npm start -- \'<input JSON>\' [--answer \'<JSON>\' ...] [--trace]`.',
    '// Prints the final state as JSON on stdout; each --answer resumes the next pause in turn.',
    "import { randomUUID } from 'node:crypto';",
    "import { Command, MemorySaver } from '@langchain/langgraph';",
    `import { builder, ${closesInstances ? 'instancesClosedBy, ' : ''}recursionLimit${closesInstances ? ', WITHDRAWN' : ''} } from './graph.js';`,
    "import { OutputAnnotation } from './state.js';",
    '',
    'const args = process.argv.slice(2);',
    "const trace = args.includes('--trace');",
    'const answers: unknown[] = [];',
    'let input: unknown = {};',
    'for (let index = 0; index < args.length; index += 1) {',
    'const arg = args[index] as string;',
    "if (arg === '--answer') answers.push(JSON.parse(args[(index += 1)] ?? 'null'));",
    "else if (arg !== '--trace') input = JSON.parse(arg);",
    '}',
    '',
    '// A checkpointer keeps a paused run, so it can be resumed with the next answer.',
    'const graph = builder.compile({ checkpointer: new MemorySaver() });',
    'const config = { configurable: { thread_id: randomUUID() }, recursionLimit };',
    'let next: unknown = input;',
    '// On resume, the writes of tasks that finished before the pause come again, marked cached: they did not run again.',
    'const cached = (update: object) => (update as { __metadata__?: { cached?: boolean } }).__metadata__?.cached === true;',
    // A subgraph's updates come with its path of `<graph node>:<task id>`; only the steps of
    // sub-processes and sub-flows are drawn nodes (a ReAct agent's own model and tools steps are not).
    `const subgraphs = new Set<string>(${literal(subgraphNodes)});`,
    'const drawn = (path: string[]) => path.every((step) => subgraphs.has(step.slice(0, step.lastIndexOf(\':\'))));',
    '',
    'for (;;) {',
    "for await (const [path, update] of await graph.stream(next as never, { ...config, streamMode: 'updates', subgraphs: true })) {",
    "// LangGraph's own steps (an interrupt, an error handler) are named `__…`; a drawn node never is.",
    "if (trace && drawn(path) && !cached(update)) for (const node of Object.keys(update)) if (!node.startsWith('__')) console.error(`node ${node}`);",
    '}',
    'const snapshot = await graph.getState(config);',
    '// A task answered while others of its step still wait has a result; its old interrupt stays listed.',
    'const waiting = snapshot.tasks.filter((task) => task.result === undefined || task.result === null).flatMap((task) => task.interrupts);',
    'if (waiting.length === 0) break;',
    'if (answers.length === 0) {',
    "console.error(`waiting: ${JSON.stringify(waiting.map((pause) => pause.value))}`);",
    'process.exit(3);',
    '}',
    'const answer = answers.shift();',
    'const first = String(waiting[0]?.id);',
    ...(closesInstances
      ? ['// An answer that completes a multi-instance user task closes its other open instances with it.', 'const closed = instancesClosedBy(snapshot, first, answer).map((id) => [id, WITHDRAWN]);']
      : []),
    "// With several waiting, the answer is the first one's; the others wait on.",
    `next = new Command({ resume: waiting.length > 1 ? { [first]: answer${closesInstances ? ', ...Object.fromEntries(closed)' : ''} } : answer });`,
    '}',
    'const { values } = await graph.getState(config);',
    "// The flow's outputs: the channels it declares as output, or all of them.",
    'console.log(JSON.stringify(Object.fromEntries(Object.keys(OutputAnnotation.spec).map((name) => [name, values[name]]))));',
  ].join('\n');
}

/**
 * The project for a flow document (agent or BPMN). Throws `FlowInvalidError` (runtime) for an
 * invalid flow, and `CodegenRefusedError` naming the first node that cannot be written out and why.
 */
export async function generateProject(flow: unknown, options: GenerateOptions = {}): Promise<GeneratedProject> {
  const registry = options.registry ?? createDefaultRegistry();
  const ir = lowerFlow(flow, { registry });
  // lowerFlow validated it; the document gives what the IR does not keep (names, descriptions).
  const document = flow as FlowDocument;
  return new ProjectWriter(ir, document, registry, await loadSubflows(ir, registry, options.loadFlow)).write();
}

/** The nodes of a flow, those inside its sub-processes too. */
const everyNode = (nodes: readonly NodeIR[]): NodeIR[] => nodes.flatMap((node) => [node, ...(node.body ? everyNode(node.body.nodes) : [])]);

/**
 * Every flow the flow's nodes run (by their types' `invokesFlow` trait), and theirs in turn,
 * lowered, by flow id. Loaded before any code is written, since the writer is synchronous; one a
 * loader does not have is left out, and the node running it is refused when it is written.
 */
async function loadSubflows(ir: FlowIR, registry: NodeTypeRegistry, loadFlow: GenerateOptions['loadFlow']): Promise<Map<string, Subflow>> {
  const subflows = new Map<string, Subflow>();
  if (!loadFlow) return subflows;
  const pending = [ir];
  for (let flow = pending.shift(); flow !== undefined; flow = pending.shift()) {
    for (const node of everyNode(flow.nodes)) {
      const invoked = registry.get(node.type)?.traits.invokesFlow?.(node.config as never);
      if (!invoked || subflows.has(invoked.flowId)) continue;
      const document = await loadFlow(invoked.flowId, invoked.version);
      if (document === undefined) continue;
      const lowered = lowerFlow(document, { registry });
      subflows.set(invoked.flowId, { ir: lowered, document: document as FlowDocument });
      pending.push(lowered);
    }
  }
  return subflows;
}
