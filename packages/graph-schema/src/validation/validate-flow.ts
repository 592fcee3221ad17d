// validateFlow: one validator for the browser, the server and the CLI. It never throws: whatever
// JSON it is given, it answers with a list of issues that name the node, edge and path at fault.
import { z } from 'zod';
import { portLeadsTo, resolvePort, type EdgeEnd } from '../connection-rules';
import { createDefaultRegistry } from '../default-registry';
import { findFeelProblems } from '../feel';
import { templateChannels } from '../template';
import {
  channelSchema,
  flowDocumentSchema,
  flowEdgeSchema,
  flowNodeSchema,
  type ChannelType,
  type FlowDocument,
  type FlowEdge,
  type FlowKind,
  type FlowNode,
} from '../flow-document';
import type { Locale } from '../localized';
import { migrateConfig, typeVersionOf } from '../migrate-flow';
import type { NodeType, NodeTypeRegistry, PortSpec } from '../node-type';
import { reachableFrom, stronglyConnectedComponents, type Adjacency } from './graph';
import {
  formatIssueMessage,
  formatPath,
  issueCatalog,
  type IssueCode,
  type IssueParams,
  type ValidationIssue,
} from './issue';
import { internalProblemParams, schemaProblemParams } from './schema-problem';

export interface ValidateFlowOptions {
  readonly registry?: NodeTypeRegistry;
  readonly locale?: Locale;
}

type Path = readonly (string | number)[];

/** A node that passed the outer schema, with its type and (when valid) its parsed config. */
interface CheckedNode {
  readonly node: FlowNode;
  readonly index: number;
  readonly nodeType?: NodeType;
  readonly config?: unknown;
}

interface CheckedEdge {
  readonly edge: FlowEdge;
  readonly index: number;
}

/**
 * What validation learned about a flow: its issues and, when the document passed its schema, the
 * parsed document and each flow node's parsed config (defaults filled in), so that a compiler can
 * lower the flow without parsing it again.
 */
export interface FlowAnalysis {
  readonly issues: ValidationIssue[];
  readonly flow?: FlowDocument;
  readonly configs: ReadonlyMap<string, unknown>;
}

export function validateFlow(input: unknown, options: ValidateFlowOptions = {}): ValidationIssue[] {
  return analyzeFlow(input, options).issues;
}

export function analyzeFlow(input: unknown, options: ValidateFlowOptions = {}): FlowAnalysis {
  const locale = options.locale ?? 'en';
  try {
    return new FlowValidator(input, options.registry ?? createDefaultRegistry(), locale).run();
  } catch (error) {
    // A validator bug must not take down the editor, the server or the CLI; say what happened.
    return { issues: [makeIssue('schema', locale, internalProblemParams(error), {})], configs: new Map() };
  }
}

function makeIssue(
  code: IssueCode,
  locale: Locale,
  params: IssueParams,
  at: { nodeId?: string; edgeId?: string; path?: Path },
): ValidationIssue {
  return {
    severity: issueCatalog[code].severity,
    code,
    message: formatIssueMessage(code, params, locale),
    ...(at.nodeId === undefined ? {} : { nodeId: at.nodeId }),
    ...(at.edgeId === undefined ? {} : { edgeId: at.edgeId }),
    path: at.path ?? [],
    params,
  };
}

/** The params naming a scope: the flow's top level, or the pool or sub-process `scope`. */
function scopeParams(scope: string): IssueParams {
  return scope === '' ? { scope: 'flow' } : { scope: 'node', node: scope };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class FlowValidator {
  readonly #issues: ValidationIssue[] = [];
  readonly #nodes = new Map<string, CheckedNode>();
  readonly #edges: CheckedEdge[] = [];
  #kind: FlowKind | undefined;
  #parsed: FlowDocument | undefined;
  /**
   * Set when a node is malformed, of an unknown type or misplaced: the checks that follow paths
   * through the graph would then only repeat that one problem as many misleading ones.
   */
  #graphIncomplete = false;
  /** Ids of nodes that failed the node schema: they exist, but could not be checked further. */
  readonly #malformedNodeIds = new Set<string>();

  constructor(
    private readonly input: unknown,
    private readonly registry: NodeTypeRegistry,
    private readonly locale: Locale,
  ) {
  }

  run(): FlowAnalysis {
    this.#check();
    const configs = new Map<string, unknown>();
    for (const [id, checked] of this.#nodes) if (checked.config !== undefined) configs.set(id, checked.config);
    return { issues: this.#issues, ...(this.#parsed ? { flow: this.#parsed } : {}), configs };
  }

  #check(): void {
    const document = this.input;
    const documentCheck = flowDocumentSchema.safeParse(document, { reportInput: true });
    if (documentCheck.success) this.#parsed = documentCheck.data;
    else this.#reportSchemaIssues(documentCheck.error, document);
    if (!isRecord(document)) return;

    this.#kind = documentCheck.success ? documentCheck.data.kind : z.enum(['agent', 'bpmn']).safeParse(document.kind).data;
    const rawNodes = Array.isArray(document.nodes) ? document.nodes : [];
    if (!Array.isArray(document.nodes)) this.#graphIncomplete = true;
    const rawEdges = Array.isArray(document.edges) ? document.edges : [];
    // An old document's annotation list becomes nodes on parsing; its ids must not collide either.
    const rawAnnotations = Array.isArray(document.annotations) ? document.annotations : [];

    this.#checkUniqueIds([
      ...rawNodes.map((element, index) => ({ element, path: ['nodes', index] as Path })),
      ...rawEdges.map((element, index) => ({ element, path: ['edges', index] as Path })),
      ...rawAnnotations.map((element, index) => ({ element, path: ['annotations', index] as Path })),
    ]);
    const channels = this.#checkChannels(document.state);

    // A document that passed its schema already holds every node and edge parsed; only a broken
    // one is taken apart element by element, to check what can still be checked.
    const parsedNodes = this.#parsed?.nodes ?? rawNodes.map((raw) => flowNodeSchema.safeParse(raw).data);
    const parsedEdges = this.#parsed?.edges ?? rawEdges.map((raw) => flowEdgeSchema.safeParse(raw).data);
    parsedNodes.forEach((node, index) => {
      if (node) {
        if (!this.#nodes.has(node.id)) this.#nodes.set(node.id, this.#checkNode(node, index));
        return;
      }
      this.#graphIncomplete = true;
      const raw: unknown = rawNodes[index];
      if (isRecord(raw) && typeof raw.id === 'string') this.#malformedNodeIds.add(raw.id);
    });
    parsedEdges.forEach((edge, index) => {
      if (edge) this.#edges.push({ edge, index });
    });

    this.#checkParents();
    this.#checkConfigReferences(channels);
    const connected = this.#checkEdges(channels);
    this.#checkBranching(connected);
    if (!this.#graphIncomplete) this.#checkControlFlow(connected);
  }

  #add(code: IssueCode, params: IssueParams, at: { nodeId?: string; edgeId?: string; path?: Path }): void {
    this.#issues.push(makeIssue(code, this.locale, params, at));
  }

  /** Attributes a schema issue to the node or edge its path points into, when there is one. */
  #elementAt(document: unknown, path: Path): { nodeId?: string; edgeId?: string } {
    if (!isRecord(document) || path.length < 2) return {};
    const [collection, index] = path;
    if (typeof index !== 'number' || (collection !== 'nodes' && collection !== 'edges')) return {};
    const list = document[collection];
    const element = Array.isArray(list) ? list[index] : undefined;
    const id = isRecord(element) && typeof element.id === 'string' ? element.id : undefined;
    if (id === undefined) return {};
    return collection === 'nodes' ? { nodeId: id } : { edgeId: id };
  }

  #reportSchemaIssues(error: z.ZodError, document: unknown): void {
    for (const zodIssue of error.issues) {
      const path = zodIssue.path.filter((key): key is string | number => typeof key !== 'symbol');
      // The root has no path to name; the catalog words it `(document)` in each language.
      const where: IssueParams = path.length === 0 ? {} : { where: formatPath(path) };
      this.#add('schema', { ...where, ...schemaProblemParams(zodIssue) }, { ...this.#elementAt(document, path), path });
    }
  }

  #checkUniqueIds(elements: readonly { element: unknown; path: Path }[]): void {
    const seen = new Set<string>();
    for (const { element, path } of elements) {
      if (!isRecord(element) || typeof element.id !== 'string') continue;
      if (seen.has(element.id)) {
        const owner = path[0] === 'nodes' ? { nodeId: element.id } : path[0] === 'edges' ? { edgeId: element.id } : {};
        this.#add('duplicate-id', { id: element.id }, { ...owner, path: [...path, 'id'] });
      }
      seen.add(element.id);
    }
  }

  /** Returns the declared channels' types by name, or undefined when the state is too broken to tell. */
  #checkChannels(state: unknown): Map<string, ChannelType> | undefined {
    if (state === undefined) return new Map();
    if (!isRecord(state) || !Array.isArray(state.channels)) return undefined;
    const names = new Map<string, ChannelType>();
    state.channels.forEach((raw: unknown, index: number) => {
      const parsed = channelSchema.safeParse(raw);
      if (!parsed.success) return;
      if (names.has(parsed.data.name)) {
        this.#add('duplicate-channel', { channel: parsed.data.name }, { path: ['state', 'channels', index, 'name'] });
      }
      names.set(parsed.data.name, parsed.data.type);
    });
    for (const key of ['input', 'output'] as const) {
      const list: unknown = state[key];
      if (!Array.isArray(list)) continue;
      list.forEach((name: unknown, index: number) => {
        if (typeof name === 'string' && !names.has(name)) {
          this.#add('unknown-channel', { owner: 'state', channel: name }, { path: ['state', key, index] });
        }
      });
    }
    return names;
  }

  #checkNode(node: FlowNode, index: number): CheckedNode {
    const nodeType = this.registry.get(node.type);
    const at = { nodeId: node.id, path: ['nodes', index, 'type'] };
    if (!nodeType) {
      this.#add('unknown-node-type', { node: node.id, type: node.type }, at);
      this.#graphIncomplete = true;
      return { node, index };
    }
    if (this.#kind && nodeType.kind !== this.#kind) {
      this.#add('node-kind-mismatch', { node: node.id, type: node.type, nodeKind: nodeType.kind, flowKind: this.#kind }, at);
    }
    const typeVersion = typeVersionOf(node);
    if (typeVersion > nodeType.version) {
      // Written by a newer Loomflow: its config cannot be judged by the schema of an older version.
      this.#add('type-version-too-new', { node: node.id, type: node.type, typeVersion, version: nodeType.version }, { nodeId: node.id, path: ['nodes', index, 'typeVersion'] });
      return { node, index, nodeType };
    }
    // An older node is judged by the config it will run with: the one its migrations produce.
    const config = typeVersion < nodeType.version ? migrateConfig(nodeType, node.config, typeVersion).config : node.config;
    const parsed = nodeType.configSchema.safeParse(config, { reportInput: true });
    if (parsed.success) return { node, index, nodeType, config: parsed.data };
    for (const zodIssue of parsed.error.issues) {
      const configPath = zodIssue.path.filter((key): key is string | number => typeof key !== 'symbol');
      this.#add(
        'invalid-config',
        { node: node.id, type: node.type, where: formatPath(['config', ...configPath]), ...schemaProblemParams(zodIssue) },
        { nodeId: node.id, path: ['nodes', index, 'config', ...configPath] },
      );
    }
    return { node, index, nodeType };
  }

  #checkParents(): void {
    for (const { node, index } of this.#nodes.values()) {
      if (node.parent === undefined) continue;
      const parent = this.#nodes.get(node.parent);
      if (!parent?.nodeType?.container) {
        this.#add('invalid-parent', { node: node.id, parent: node.parent }, { nodeId: node.id, path: ['nodes', index, 'parent'] });
        this.#graphIncomplete = true;
        continue;
      }
      // Only a node whose own chain of parents leads back to it is in a cycle; a node that merely
      // sits inside one is not to blame.
      const visited = new Set<string>();
      for (let current: CheckedNode | undefined = parent; current && !visited.has(current.node.id); current = this.#parentOf(current)) {
        if (current.node.id === node.id) {
          this.#add('parent-cycle', { node: node.id }, { nodeId: node.id, path: ['nodes', index, 'parent'] });
          this.#graphIncomplete = true;
          break;
        }
        visited.add(current.node.id);
      }
    }
  }

  #parentOf(checked: CheckedNode): CheckedNode | undefined {
    return checked.node.parent === undefined ? undefined : this.#nodes.get(checked.node.parent);
  }

  /**
   * The innermost pool or sub-process around a node (`''` for the top level). Lanes only
   * partition a pool, so they are looked through. A broken parent chain counts as top level.
   */
  #scopeOf(checked: CheckedNode): string {
    const visited = new Set<string>();
    for (let current = this.#parentOf(checked); current && !visited.has(current.node.id); current = this.#parentOf(current)) {
      visited.add(current.node.id);
      if (current.nodeType?.container === 'scope') return current.node.id;
    }
    return '';
  }

  #checkConfigReferences(channels: ReadonlyMap<string, ChannelType> | undefined): void {
    for (const checked of this.#nodes.values()) {
      const { node, index, nodeType, config } = checked;
      if (!nodeType || config === undefined) continue;
      for (const reference of nodeType.references(config)) {
        const path = ['nodes', index, 'config', ...reference.path];
        const where = formatPath(['config', ...reference.path]);
        if (reference.kind === 'channel') {
          // BPMN process variables come into being when first written, as in Camunda; agent
          // flows declare their state up front.
          if (this.#kind !== 'agent' || !channels) continue;
          const type = channels.get(reference.name);
          if (type === undefined) {
            this.#add('unknown-channel', { owner: 'node', node: node.id, channel: reference.name }, { nodeId: node.id, path });
          } else if (reference.type && type !== reference.type) {
            this.#add('channel-type', { node: node.id, channel: reference.name, type: reference.type }, { nodeId: node.id, path });
          }
        } else if (reference.kind === 'feel') {
          this.#checkFeel(reference.expression, { owner: 'node', node: node.id }, { nodeId: node.id, path }, channels);
        } else if (reference.kind === 'template') {
          if (this.#kind !== 'agent' || !channels) continue;
          for (const channel of templateChannels(reference.template)) {
            if (!channels.has(channel)) this.#add('unknown-channel', { owner: 'node', node: node.id, channel }, { nodeId: node.id, path });
          }
        } else if (reference.link === 'annotates') {
          if (!this.#nodes.has(reference.nodeId) && !this.#edges.some(({ edge }) => edge.id === reference.nodeId)) {
            this.#add('missing-annotation-target', { annotation: node.id, target: reference.nodeId }, { nodeId: node.id, path });
          }
        } else {
          const target = this.#nodes.get(reference.nodeId);
          if (!target) {
            this.#add('missing-node-reference', { node: node.id, where, target: reference.nodeId }, { nodeId: node.id, path });
          } else if (reference.link === 'attachedTo' && target.nodeType?.traits.catchesEvents !== true) {
            this.#add('invalid-boundary-host', { node: node.id, target: reference.nodeId }, { nodeId: node.id, path });
          }
        }
      }
    }
  }

  /** `owner` names what holds the expression: `{ owner: 'node', node }` or `{ owner: 'edge', edge }`. */
  #checkFeel(expression: string, owner: IssueParams, at: { nodeId?: string; edgeId?: string; path: Path }, channels: ReadonlyMap<string, ChannelType> | undefined): void {
    const { syntax, unknown } = findFeelProblems(expression, { kind: this.#kind, channels });
    if (syntax) this.#add('feel-syntax', { ...owner, column: syntax.offset + 1, expression }, at);
    for (const variable of new Set(unknown.map((read) => read.name))) this.#add('unknown-feel-variable', { ...owner, variable }, at);
  }

  /**
   * Unknown while the config does not parse: `invalid-config` already names that problem, and the
   * default ports the canvas wires against meanwhile (`outputPortsOf`) would only blame the edges.
   */
  #outputPorts(checked: CheckedNode): readonly PortSpec[] | undefined {
    if (!checked.nodeType || checked.config === undefined) return undefined;
    return checked.nodeType.outputPorts(checked.config);
  }

  /** Checks every edge; returns those whose both ends exist, for the control-flow checks. */
  #checkEdges(channels: ReadonlyMap<string, ChannelType> | undefined): CheckedEdge[] {
    const connected: CheckedEdge[] = [];
    for (const checkedEdge of this.#edges) {
      const { edge, index } = checkedEdge;
      const at = { edgeId: edge.id, path: ['edges', index] as Path };
      const source = this.#nodes.get(edge.source);
      const target = this.#nodes.get(edge.target);
      // An end that failed the node schema exists; its schema issue already says what is wrong.
      if (!source && !this.#malformedNodeIds.has(edge.source)) this.#add('edge-missing-node', { edge: edge.id, end: 'source', node: edge.source }, { ...at, path: [...at.path, 'source'] });
      if (!target && !this.#malformedNodeIds.has(edge.target)) this.#add('edge-missing-node', { edge: edge.id, end: 'target', node: edge.target }, { ...at, path: [...at.path, 'target'] });
      if (edge.condition !== undefined) this.#checkFeel(edge.condition, { owner: 'edge', edge: edge.id }, { ...at, path: [...at.path, 'condition'] }, channels);
      if (!source || !target) continue;
      connected.push(checkedEdge);

      const outputs = this.#outputPorts(source);
      if (outputs) this.#checkPort(edge, index, source, outputs, 'source');
      const sourcePort = outputs && resolvePort(outputs, 'source', edge.sourcePort);
      if (sourcePort && target.nodeType && !portLeadsTo(sourcePort, target.nodeType)) {
        this.#add('tools-port-target', { edge: edge.id, node: source.node.id, target: target.node.id }, at);
      }
      if (target.nodeType) this.#checkPort(edge, index, target, target.nodeType.inputs, 'target');

      if (this.#kind === 'bpmn' && !this.#graphIncomplete && this.#scopeOf(source) !== this.#scopeOf(target)) {
        this.#add('edge-crosses-scope', { edge: edge.id }, at);
      }
    }
    return connected;
  }

  #checkPort(edge: FlowEdge, index: number, end: CheckedNode, ports: readonly PortSpec[], side: EdgeEnd): void {
    const type = end.node.type;
    const portKey = side === 'source' ? 'sourcePort' : 'targetPort';
    const at = { edgeId: edge.id, path: ['edges', index, portKey] as Path };
    if (ports.length === 0) {
      this.#add('port-forbidden', { edge: edge.id, end: side, node: end.node.id, type }, { ...at, path: ['edges', index, side] });
      return;
    }
    const port = edge[portKey];
    // The canvas resolves a new connection's ports with this same rule (`checkConnection`), so
    // every edge it lets a person draw passes here.
    if (!resolvePort(ports, side, port)) {
      const ids = ports.map((spec) => spec.id);
      this.#add('unknown-port', { edge: edge.id, ...(port === undefined ? {} : { port }), node: end.node.id, ports: ids }, at);
    }
  }

  #outgoing(connected: readonly CheckedEdge[]): Map<string, CheckedEdge[]> {
    const outgoing = new Map<string, CheckedEdge[]>();
    for (const checked of connected) {
      const list = outgoing.get(checked.edge.source);
      if (list) list.push(checked);
      else outgoing.set(checked.edge.source, [checked]);
    }
    return outgoing;
  }

  #checkBranching(connected: readonly CheckedEdge[]): void {
    for (const [sourceId, edges] of this.#outgoing(connected)) {
      const source = this.#nodes.get(sourceId) as CheckedNode;
      const at = { nodeId: sourceId, path: ['nodes', source.index] as Path };
      const defaults = edges.filter(({ edge }) => edge.isDefault === true);
      if (defaults.length > 1) {
        this.#add('multiple-defaults', { node: sourceId, edges: defaults.map(({ edge }) => edge.id) }, at);
      }
      for (const { edge, index } of defaults) {
        if (edge.condition !== undefined && edge.condition.trim() !== '') {
          this.#add('default-with-condition', { edge: edge.id }, { edgeId: edge.id, path: ['edges', index, 'condition'] });
        }
      }
      const branching = source.nodeType?.branching;
      if (branching === 'conditional' && edges.length > 1 && defaults.length === 0 && !edges.some(({ edge }) => edge.condition?.trim())) {
        this.#add('missing-conditions', { node: sourceId, count: edges.length }, at);
      }
      if (branching === 'event') {
        for (const { edge, index } of edges) {
          if (this.#nodes.get(edge.target)?.nodeType?.traits.waitsForEvent !== true) {
            this.#add('event-gateway-target', { node: sourceId, edge: edge.id, target: edge.target }, { edgeId: edge.id, path: ['edges', index, 'target'] });
          }
        }
      }
    }
  }

  /** Starts, ends, reachability, dead ends and closed cycles, per scope. */
  #checkControlFlow(connected: readonly CheckedEdge[]): void {
    const flowNodes = [...this.#nodes.values()].filter((checked) => checked.nodeType && checked.nodeType.role !== 'artifact');
    const adjacency = new Map<string, string[]>();
    const link = (from: string, to: string) => {
      const list = adjacency.get(from);
      if (list) list.push(to);
      else adjacency.set(from, [to]);
    };
    for (const { edge } of connected) link(edge.source, edge.target);
    const hasSequenceFlowOut = new Set(connected.map(({ edge }) => edge.source));
    const invoked = new Set<string>();
    for (const checked of flowNodes) {
      const { nodeType, config, node } = checked;
      if (config === undefined || !nodeType) continue;
      for (const reference of nodeType.references(config)) {
        if (reference.kind !== 'node' || !this.#nodes.has(reference.nodeId)) continue;
        if (reference.link === 'invokes') {
          link(node.id, reference.nodeId);
          invoked.add(reference.nodeId);
        } else {
          link(reference.nodeId, node.id);
        }
      }
    }

    // The top level always needs a start, even when nothing has been drawn yet, unless the
    // drawing is a collaboration whose processes all live in pools.
    const hasPools = [...this.#nodes.values()].some((checked) => checked.nodeType?.container === 'scope' && checked.nodeType.role === 'artifact');
    const scopes = new Map<string, CheckedNode[]>(hasPools ? [] : [['', []]]);
    for (const checked of flowNodes) {
      const scope = this.#scopeOf(checked);
      const members = scopes.get(scope);
      if (members) members.push(checked);
      else scopes.set(scope, [checked]);
    }

    // In a collaboration the top level is no process: a flow node there was left outside the
    // pools (dropped beside them), and saying so beats asking the top level for a start.
    if (hasPools) {
      for (const checked of scopes.get('') ?? []) {
        this.#add('node-outside-pool', { node: checked.node.id }, { nodeId: checked.node.id, path: ['nodes', checked.index] });
      }
      scopes.delete('');
    }

    // An event sub-process is entered by its start event's trigger, never by a sequence flow.
    const roots = flowNodes.filter((checked) => this.#isEventSubProcess(checked)).map((checked) => checked.node.id);
    const scopesWithStart = new Set<string>();
    for (const [scope, members] of scopes) {
      const starts = members.filter((checked) => checked.nodeType?.role === 'start');
      const scopeNode = this.#nodes.get(scope);
      const scopeName = scopeParams(scope);
      const at = scopeNode ? { nodeId: scope, path: ['nodes', scopeNode.index] as Path } : { path: ['nodes'] as Path };
      if (starts.length === 0) {
        this.#add('missing-start', scopeName, at);
        continue;
      }
      scopesWithStart.add(scope);
      // BPMN allows several starts when they wait for different triggers; only plain (none) starts compete.
      const competing = this.#kind === 'bpmn' ? starts.filter((checked) => this.#isNoneStart(checked)) : starts;
      if (competing.length > 1) {
        const nodes = competing.map((checked) => checked.node.id);
        this.#add('multiple-starts', { ...scopeName, count: competing.length, nodes }, at);
      }
      if (scopeNode?.nodeType?.role === 'artifact' || scope === '' || this.#isEventSubProcess(scopeNode)) {
        roots.push(...starts.map((checked) => checked.node.id));
      } else {
        for (const start of starts) link(scope, start.node.id);
      }
    }

    const reached = reachableFrom(roots, adjacency);
    for (const [scope, members] of scopes) {
      if (!scopesWithStart.has(scope)) continue;
      const scopeName = scopeParams(scope);
      const scopeNode = this.#nodes.get(scope);
      const at = scopeNode ? { nodeId: scope, path: ['nodes', scopeNode.index] as Path } : { path: ['nodes'] as Path };
      const ends = members.filter((checked) => checked.nodeType?.role === 'end');
      const scopeReached = scope === '' || reached.has(scope) || scopeNode?.nodeType?.role === 'artifact';
      if (ends.length === 0) this.#add('missing-end', scopeName, at);
      else if (scopeReached && !ends.some((checked) => reached.has(checked.node.id))) this.#add('end-unreachable', scopeName, at);
      // Inside an unreached sub-process every node is unreached; naming the sub-process is enough.
      if (!scopeReached) continue;
      for (const checked of members) {
        const at = { nodeId: checked.node.id, path: ['nodes', checked.index] as Path };
        if (!reached.has(checked.node.id)) this.#add('unreachable-node', { node: checked.node.id }, at);
        const role = checked.nodeType?.role;
        const needsExit = (role === 'step' || role === 'boundary') && !invoked.has(checked.node.id) && !this.#isEventSubProcess(checked);
        if (needsExit && !hasSequenceFlowOut.has(checked.node.id)) {
          this.#add('dead-end', { node: checked.node.id }, at);
        }
      }
    }

    this.#checkClosedCycles(flowNodes, adjacency);
  }

  #isNoneStart(checked: CheckedNode): boolean {
    const config = checked.config;
    return !isRecord(config) || !isRecord(config.eventDefinition) || config.eventDefinition.type === 'none';
  }

  #isEventSubProcess(checked: CheckedNode | undefined): boolean {
    return isRecord(checked?.config) && checked.config.triggeredByEvent === true;
  }

  #checkClosedCycles(flowNodes: readonly CheckedNode[], adjacency: Adjacency): void {
    const ids = flowNodes.map((checked) => checked.node.id);
    for (const component of stronglyConnectedComponents(ids, adjacency)) {
      const first = component[0] as string;
      const isCycle = component.length > 1 || (adjacency.get(first) ?? []).includes(first);
      if (!isCycle) continue;
      const members = new Set(component);
      const hasExit = component.some((id) => (adjacency.get(id) ?? []).some((next) => !members.has(next)));
      if (hasExit) continue;
      const firstNode = this.#nodes.get(first) as CheckedNode;
      this.#add('closed-cycle', { nodes: component }, { nodeId: first, path: ['nodes', firstNode.index] });
    }
  }
}
