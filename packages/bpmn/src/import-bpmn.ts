// Reading BPMN 2.0 XML into a flow document, through bpmn-moddle (whatever the namespace prefix).
// Every flow node becomes a node placed by its DI shape, every sequence flow, message flow and
// data association an edge; what Loomflow does not model is kept as XML on the node, edge or
// document it belongs to (kept-xml.ts) and listed in the report by id, so an export gives the
// other tool its file back and nothing disappears unsaid.
import {
  createDefaultRegistry,
  flowDocumentSchema,
  flowIdSchema,
  analyzeFlow,
  type BpmnDocumentKept,
  type BpmnKept,
  type FlowDocument,
  type FlowEdge,
  type FlowNode,
  type NodeTypeRegistry,
  type Point,
  type ValidationIssue,
} from '@loomflow/graph-schema';
import type { BpmnModdle, ModdleElement } from 'bpmn-moddle';
import { elementSemantics, type SemanticsContext } from './export/semantics';
import { placementOf, relativeBounds, type Bounds } from './geometry';
import { readConfig, bareFeel } from './import/semantics';
import { keptPart, keptXml, serialise } from './kept-xml';
import { bpmnModdle } from './moddle';
import { BpmnReadError, parseBpmnXml } from './read-bpmn';

export interface BpmnImportOptions {
  readonly registry?: NodeTypeRegistry;
  /** Larger files are refused before parsing (default 10 MB). */
  readonly maxBytes?: number;
}

export interface KeptElement {
  readonly id: string;
  readonly type: string;
  /** Why it is kept rather than modelled, and where. */
  readonly reason: string;
}

export interface BpmnImportReport {
  /** Elements with an id in the file, its diagram interchange (DI) left aside. */
  readonly elements: number;
  /** Of those, how many the flow document models. */
  readonly modelled: number;
  /** Elements kept for the export without being modelled, by id. */
  readonly kept: readonly KeptElement[];
  /** What the parser or the import noticed, one line each naming the element. */
  readonly warnings: readonly string[];
  /** What `validateFlow` finds in the imported flow: why it would not run as it is. */
  readonly issues: readonly ValidationIssue[];
}

export interface BpmnImportResult {
  readonly flow: FlowDocument;
  readonly report: BpmnImportReport;
}

export const DEFAULT_MAX_BPMN_BYTES = 10 * 1024 * 1024;

/** Elements the registry does not map, drawn as the nearest node type; their element is kept. */
function standInOf(element: ModdleElement): string | undefined {
  if (element.$instanceOf('bpmn:SubProcess')) return 'bpmn:SubProcess';
  if (element.$type === 'bpmn:DataStoreReference') return 'bpmn:DataObjectReference';
  if (element.$type === 'bpmn:ComplexGateway') return 'bpmn:InclusiveGateway';
  if (element.$instanceOf('bpmn:Gateway')) return 'bpmn:ExclusiveGateway';
  if (element.$instanceOf('bpmn:Activity')) return 'bpmn:Task';
  if (element.$instanceOf('bpmn:ThrowEvent')) return 'bpmn:IntermediateThrowEvent';
  if (element.$instanceOf('bpmn:CatchEvent')) return 'bpmn:IntermediateCatchEvent';
  return undefined;
}

/**
 * What the export would make, reduced to the types: `#regenerated` reads only the names of the
 * properties and the types of the extension elements, so full moddle elements (about 1.4 KB each,
 * several per node) were built and dropped on every node of every import.
 */
const typeOnly = (type: string): ModdleElement => ({ $type: type }) as ModdleElement;
const namesOnly: SemanticsContext = {
  create: typeOnly,
  message: () => typeOnly('bpmn:Message'),
  error: () => typeOnly('bpmn:Error'),
  signal: () => typeOnly('bpmn:Signal'),
  escalation: () => typeOnly('bpmn:Escalation'),
  dataObject: () => typeOnly('bpmn:DataObject'),
  categoryValue: () => typeOnly('bpmn:CategoryValue'),
};

/** Elements of the diagram interchange (DI), which the report leaves aside. */
const isDiagramInterchange = (type: string | undefined): boolean => type === undefined || /^(bpmndi|dc|di):/.test(type);

/** Properties every flow node's config or edges account for. */
const structural = ['name', 'incoming', 'outgoing', 'default', 'lanes'];

const list = <T = ModdleElement>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);
const idOf = (element: ModdleElement | undefined): string | undefined => (typeof element?.id === 'string' ? element.id : undefined);

/** A flow id made from an element id: URL-safe, as flow ids must be. */
function flowIdFrom(candidates: readonly (string | undefined)[]): string {
  for (const candidate of candidates) {
    const id = candidate?.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[-_]+/, '').slice(0, 128);
    if (id && flowIdSchema.safeParse(id).success) return id;
  }
  return 'imported-process';
}

export async function importBpmnXml(xml: string, options: BpmnImportOptions = {}): Promise<BpmnImportResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BPMN_BYTES;
  // A UTF-16 code unit is at most 3 bytes of UTF-8, so only a text near the limit is encoded to be
  // counted, not every file.
  if (xml.length * 3 > maxBytes) {
    const bytes = new TextEncoder().encode(xml).length;
    if (bytes > maxBytes) throw new BpmnReadError(`the file is ${bytes} bytes; at most ${maxBytes} are read`);
  }
  // BPMN files never need a document type; refusing one keeps entity tricks out entirely.
  if (/<!DOCTYPE/i.test(xml)) throw new BpmnReadError('the file declares a DOCTYPE, which BPMN files do not use; refused');
  const registry = options.registry ?? createDefaultRegistry();
  const moddle = bpmnModdle();
  const read = await parseBpmnXml(xml, moddle);
  return new Importer(moddle, registry, read.definitions as unknown as ModdleElement, read.warnings, read.elementsById).run();
}

class Importer {
  readonly #nodes: FlowNode[] = [];
  readonly #edges: FlowEdge[] = [];
  readonly #nodeById = new Map<string, FlowNode>();
  readonly #kept = new Map<string, string>();
  readonly #warnings: string[];
  readonly #namespaces: Record<string, string> = {};
  readonly #shapes = new Map<string, ModdleElement>();
  readonly #diEdges = new Map<string, ModdleElement>();
  readonly #typeByElement = new Map<string, string>();
  readonly #documentKept: { -readonly [K in keyof BpmnDocumentKept]: BpmnDocumentKept[K] } = {};
  /** Per scope: the flow elements and artifacts no node or edge holds. */
  readonly #sequenceFlows: ModdleElement[] = [];
  /** Kept XML being written; `run` waits for all of it before it keeps the definitions. */
  readonly #writing: Promise<void>[] = [];

  constructor(
    private readonly moddle: BpmnModdle,
    private readonly registry: NodeTypeRegistry,
    private readonly definitions: ModdleElement,
    parseWarnings: readonly string[],
    private readonly elementsById: Readonly<Record<string, { $type: string }>>,
  ) {
    this.#warnings = [...parseWarnings];
    for (const nodeType of registry.list('bpmn')) {
      if (nodeType.bpmn && !this.#typeByElement.has(nodeType.bpmn.element)) this.#typeByElement.set(nodeType.bpmn.element, nodeType.type);
    }
    for (const [name, value] of Object.entries(definitions.$attrs)) if (name.startsWith('xmlns:')) this.#namespaces[name.slice(6)] = value;
  }

  async run(): Promise<BpmnImportResult> {
    this.#indexDiagrams();
    const rootElements = list(this.definitions.rootElements);
    const collaborations = rootElements.filter((element) => element.$type === 'bpmn:Collaboration');
    const processes = rootElements.filter((element) => element.$type === 'bpmn:Process');
    const shown = new Set<ModdleElement>();
    const messageFlows: ModdleElement[] = [];
    const collaborationArtifacts: ModdleElement[] = [];
    for (const collaboration of collaborations) {
      for (const participant of list(collaboration.participants)) {
        const process = participant.processRef as ModdleElement | undefined;
        const pool = this.#addNode(participant, 'bpmn.pool', undefined, {
          ...(process ? { processId: process.id, isExecutable: process.isExecutable === true } : {}),
        });
        if (!pool) continue;
        this.#finishNode(pool, participant, ['processRef']);
        if (process && !shown.has(process)) {
          shown.add(process);
          this.#readProcess(process, pool.id, ['isExecutable', 'documentation']);
        }
      }
      messageFlows.push(...list(collaboration.messageFlows));
      collaborationArtifacts.push(...list(collaboration.artifacts));
    }
    // One process may be drawn outside every pool (the whole diagram when there is no
    // collaboration); any other process no pool shows is kept whole.
    const main = this.#mainProcess(processes.filter((process) => !shown.has(process)), collaborations.length > 0);
    if (main) {
      shown.add(main);
      this.#readProcess(main, undefined, ['name', 'documentation']);
    }
    const keptCollaborationArtifacts = this.#readArtifacts(collaborationArtifacts, undefined);
    this.#readEdges(messageFlows);
    if (collaborations[0]) {
      const first = collaborations[0];
      this.#keep(
        first,
        ['participants', 'messageFlows', 'artifacts'],
        { keepId: true, overrides: { artifacts: keptCollaborationArtifacts }, reason: `kept in collaboration ${String(first.id)}` },
        (xml) => {
          this.#documentKept.collaboration = xml;
        },
      );
      for (const other of collaborations.slice(1)) {
        this.#warnings.push(`collaboration ${String(other.id)}: its pools join those of ${String(first.id)} in one diagram`);
      }
    }
    await Promise.all(this.#writing);
    await this.#keepDefinitions(rootElements, shown);
    await this.#keepDiagram();

    // One schema parse serves both the document and its report: the validator parses what it is
    // given and hands the parsed document back. A document that fails its schema is an import
    // bug; parsing it again throws the schema's own error, as importing always did.
    const document = this.#document(main, collaborations[0]);
    const analysis = analyzeFlow(document, { registry: this.registry });
    const flow = analysis.flow ?? flowDocumentSchema.parse(document);
    let elements = 0;
    let modelled = 0;
    for (const id in this.elementsById) {
      if (isDiagramInterchange(this.elementsById[id]?.$type)) continue;
      elements += 1;
      if (!this.#kept.has(id)) modelled += 1;
    }
    const typeOf = (id: string): string | undefined => {
      const type = this.elementsById[id]?.$type;
      return isDiagramInterchange(type) ? undefined : type;
    };
    return {
      flow,
      report: {
        elements,
        modelled,
        kept: [...this.#kept].map(([id, reason]) => ({ id, type: typeOf(id) ?? 'unknown', reason })),
        warnings: this.#warnings,
        issues: analysis.issues,
      },
    };
  }

  #mainProcess(processes: readonly ModdleElement[], besidePools: boolean): ModdleElement | undefined {
    const drawn = (process: ModdleElement) => list(process.flowElements).some((element) => this.#shapes.has(String(element.id)));
    if (besidePools) return processes.find(drawn);
    const planes = list(this.definitions.diagrams).map((diagram) => (diagram.plane as ModdleElement | undefined)?.bpmnElement as ModdleElement | undefined);
    return processes.find((process) => planes.includes(process)) ?? processes.find(drawn) ?? processes[0];
  }

  #indexDiagrams(): void {
    for (const diagram of list(this.definitions.diagrams)) {
      const plane = diagram.plane as ModdleElement | undefined;
      for (const element of list(plane?.planeElement)) {
        const id = idOf(element.bpmnElement as ModdleElement | undefined);
        if (!id) continue;
        const index = element.$type === 'bpmndi:BPMNEdge' ? this.#diEdges : this.#shapes;
        if (index.has(id)) this.#warnings.push(`${id}: drawn more than once; the first drawing is used`);
        else index.set(id, element);
      }
    }
  }

  #boundsOf(id: string): Bounds | undefined {
    const bounds = this.#shapes.get(id)?.bounds as ModdleElement | undefined;
    if (!bounds) return undefined;
    return { x: Number(bounds.x), y: Number(bounds.y), width: Number(bounds.width), height: Number(bounds.height) };
  }

  #labelOf(di: ModdleElement | undefined): Bounds | undefined {
    const bounds = (di?.label as ModdleElement | undefined)?.bounds as ModdleElement | undefined;
    return bounds ? { x: Number(bounds.x), y: Number(bounds.y), width: Number(bounds.width), height: Number(bounds.height) } : undefined;
  }

  /** Makes the node of a flow node or artifact; its kept XML is added by `#finishNode`. */
  #addNode(element: ModdleElement, nodeType: string | undefined, parent: string | undefined, extraConfig: Record<string, unknown> = {}): FlowNode | undefined {
    const id = idOf(element);
    if (!id) {
      this.#warnings.push(`a ${element.$type} without an id cannot be drawn; it is left out`);
      return undefined;
    }
    let type = nodeType ?? this.#typeByElement.get(element.$type);
    let bpmn: BpmnKept | undefined;
    if (!type) {
      const standIn = standInOf(element);
      type = standIn ? this.#typeByElement.get(standIn) : undefined;
      if (!type) return undefined;
      bpmn = { element: element.$type };
      this.#kept.set(id, `Loomflow has no ${element.$type}; drawn as ${type}, written back as it was`);
    }
    const bounds = this.#boundsOf(id);
    if (!bounds) this.#warnings.push(`${id}: no DI shape; placed at 0,0`);
    const placement = bounds ? placementOf(bounds) : { position: { x: 0, y: 0 } };
    const label = this.#labelOf(this.#shapes.get(id));
    const node: FlowNode = {
      id,
      type,
      ...(typeof element.name === 'string' && element.name ? { name: element.name } : {}),
      ...placement,
      ...(parent ? { parent } : {}),
      config: extraConfig,
      ...(bpmn || label ? { bpmn: { ...bpmn, ...(label ? { label: relativeBounds(label, placement.position) } : {}) } } : {}),
    };
    this.#nodes.push(node);
    this.#nodeById.set(id, node);
    return node;
  }

  /** Reads the node's config and keeps what it does not hold. */
  #finishNode(node: FlowNode, element: ModdleElement, modelledHere: readonly string[], overrides: Record<string, unknown> = {}): void {
    const nodeType = this.registry.get(node.type);
    const read = readConfig(node.type, element);
    const extensions = list((element.extensionElements as ModdleElement | undefined)?.values);
    const loomflow = extensions.find((value) => value.$type === 'loomflow:Config' && value.nodeType === node.type);
    let config: Record<string, unknown> = { ...read.config, ...node.config };
    if (loomflow && typeof loomflow.body === 'string') {
      // What the export wrote is exactly what was drawn; the BPMN reading is only its shadow.
      config = JSON.parse(loomflow.body) as Record<string, unknown>;
      if (typeof loomflow.typeVersion === 'number') node.typeVersion = loomflow.typeVersion;
    }
    for (const note of read.notes) this.#warnings.push(`${node.id}: ${note}`);
    const parsed = nodeType?.configSchema.safeParse(config);
    if (parsed && !parsed.success) this.#warnings.push(`${node.id}: its settings do not fit ${node.type}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
    node.config = config;
    // The export writes these again from the config; keeping them too would write them twice.
    const regenerated = this.#regenerated(node, parsed?.success ? (parsed.data as Record<string, unknown>) : config);
    const keptExtensions = extensions.filter((value) => value !== loomflow && !regenerated.has(value.$type));
    const modelled = [...structural, ...read.modelled, ...modelledHere, ...regenerated];
    this.#keep(element, modelled, { overrides: { ...overrides, extensionElements: this.#extensionElements(element, keptExtensions) }, reason: `kept on ${node.id}` }, (xml) => {
      node.bpmn = { ...node.bpmn, xml };
    });
    // Written back from the kept XML; the canvas needs only the word to draw the marker.
    if (read.trigger && config.eventDefinition === undefined) node.bpmn = { ...node.bpmn, trigger: read.trigger };
  }

  #extensionElements(element: ModdleElement, values: readonly ModdleElement[]): ModdleElement | undefined {
    const original = element.extensionElements as ModdleElement | undefined;
    return values.length > 0 ? this.moddle.create('bpmn:ExtensionElements', { ...(original?.id ? { id: original.id } : {}), values }) : undefined;
  }

  /** The element properties and extension element types the export makes from this config. */
  #regenerated(node: FlowNode, config: Record<string, unknown>): Set<string> {
    const element = node.bpmn?.element ?? this.registry.get(node.type)?.bpmn?.element;
    if (!element) return new Set();
    try {
      const semantics = elementSemantics(namesOnly, element, config, node.id);
      return new Set([...Object.keys(semantics.attrs), ...semantics.extensions.map((extension) => extension.$type)]);
    } catch {
      // A config that does not fit its type makes no semantics: keep every extension element.
      return new Set();
    }
  }

  /**
   * Keeps the unmodelled part of an element, lists its ids in the report and hands its XML to
   * `store` once written. What is kept is decided at once, so the many elements that keep nothing
   * (every plain task and flow) cost no promise: three awaits per node and edge were about a
   * fourteenth of the import's own time on a diagram of 1,000 nodes.
   */
  #keep(
    element: ModdleElement,
    modelled: readonly string[],
    options: { overrides?: Record<string, unknown>; keepId?: boolean; keepAttrs?: boolean; reason: string },
    store: (xml: string) => void,
  ): void {
    const part = keptPart(this.moddle, element, new Set(modelled), options);
    if (!part) return;
    for (const id of part.ids) if (!this.#kept.has(id)) this.#kept.set(id, options.reason);
    const writing = serialise(this.moddle, part.element, this.#namespaces).then(store);
    // `run` waits for it once the reading is done; should the reading throw first, this failure
    // must not be left unhandled, which would end the process.
    writing.catch(() => undefined);
    this.#writing.push(writing);
  }

  #readProcess(process: ModdleElement, poolId: string | undefined, modelledHere: readonly string[]): void {
    const id = String(process.id);
    const { flowElements, artifacts } = this.#readScope(process, poolId);
    this.#keep(process, [...modelledHere, 'laneSets'], { keepId: true, overrides: { flowElements, artifacts }, reason: `kept in process ${id}` }, (xml) => {
      this.#documentKept.processes = { ...this.#documentKept.processes, [id]: xml };
    });
  }

  /** Lanes, flow nodes and artifacts of a process or sub-process; returns what no node holds. */
  #readScope(scope: ModdleElement, parent: string | undefined): { flowElements: ModdleElement[]; artifacts: ModdleElement[] } {
    const laneOf = new Map<string, string>();
    const readLanes = (laneSets: ModdleElement[], laneParent: string | undefined): void => {
      for (const laneSet of laneSets) {
        for (const lane of list(laneSet.lanes)) {
          const node = this.#addNode(lane, 'bpmn.lane', laneParent);
          if (!node) continue;
          for (const member of list(lane.flowNodeRef)) if (member.id) laneOf.set(String(member.id), node.id);
          this.#finishNode(node, lane, ['flowNodeRef', 'childLaneSet']);
          if (lane.childLaneSet) readLanes([lane.childLaneSet as ModdleElement], node.id);
        }
      }
    };
    readLanes(list(scope.laneSets), parent);
    const keptFlowElements: ModdleElement[] = [];
    const elements = list(scope.flowElements);
    const referencedDataObjects = new Set(elements.map((element) => element.dataObjectRef).filter(Boolean));
    const later: { node: FlowNode; element: ModdleElement }[] = [];
    for (const element of elements) {
      if (element.$type === 'bpmn:SequenceFlow') {
        this.#sequenceFlows.push(element);
        continue;
      }
      // A data object is written with the reference that points at it (its id kept there).
      if (element.$type === 'bpmn:DataObject' && referencedDataObjects.has(element)) continue;
      const host = element.$type === 'bpmn:BoundaryEvent' ? idOf(element.attachedToRef as ModdleElement | undefined) : undefined;
      const lane = laneOf.get(String(element.id)) ?? (host ? laneOf.get(host) : undefined);
      const node = element.$instanceOf('bpmn:FlowNode') || element.$instanceOf('bpmn:ItemAwareElement') ? this.#addNode(element, undefined, lane ?? parent) : undefined;
      if (!node) {
        keptFlowElements.push(element);
        if (element.$type !== 'bpmn:DataObject') this.#warnings.push(`${String(element.id)}: a ${element.$type} is kept, not drawn`);
        continue;
      }
      later.push({ node, element });
    }
    for (const { node, element } of later) {
      if (element.$instanceOf('bpmn:SubProcess')) {
        // Drawn collapsed: its children are on a diagram of their own, or not drawn at all.
        if (this.#shapes.get(node.id)?.isExpanded === false) node.config = { ...node.config, isExpanded: false };
        const children = this.#readScope(element, node.id);
        this.#finishNode(node, element, ['flowElements', 'artifacts', 'laneSets'], { ...children, ...this.#dataAssociations(node, element) });
      } else if (element.$type === 'bpmn:DataObjectReference') {
        const dataObject = element.dataObjectRef as ModdleElement | undefined;
        if (dataObject?.id) {
          node.bpmn = { ...node.bpmn, ids: { dataObject: String(dataObject.id) } };
        }
        this.#finishNode(node, element, []);
      } else {
        this.#finishNode(node, element, [], this.#dataAssociations(node, element));
      }
    }
    const artifacts = this.#readArtifacts(list(scope.artifacts), parent);
    return { flowElements: keptFlowElements, artifacts };
  }

  /** Data associations with a data object or store node become edges; the others stay on the activity. */
  #dataAssociations(node: FlowNode, element: ModdleElement): Record<string, ModdleElement[]> {
    const keptInputs: ModdleElement[] = [];
    const keptOutputs: ModdleElement[] = [];
    for (const association of list(element.dataInputAssociations)) {
      const source = list(association.sourceRef);
      const from = source.length === 1 ? idOf(source[0]) : undefined;
      if (from && association.id && this.#isDataNode(source[0] as ModdleElement)) this.#addEdge(association, from, node.id, ['sourceRef']);
      else keptInputs.push(association);
    }
    for (const association of list(element.dataOutputAssociations)) {
      const target = association.targetRef as ModdleElement | undefined;
      const to = idOf(target);
      if (to && association.id && target && this.#isDataNode(target)) this.#addEdge(association, node.id, to, ['targetRef']);
      else keptOutputs.push(association);
    }
    return { dataInputAssociations: keptInputs, dataOutputAssociations: keptOutputs };
  }

  #isDataNode(element: ModdleElement): boolean {
    return element.$type === 'bpmn:DataObjectReference' || element.$type === 'bpmn:DataStoreReference';
  }

  /** Text annotations and groups become nodes, an association the note it links; returns the rest. */
  #readArtifacts(artifacts: readonly ModdleElement[], parent: string | undefined): ModdleElement[] {
    const kept: ModdleElement[] = [];
    for (const artifact of artifacts.filter((candidate) => candidate.$type !== 'bpmn:Association')) {
      const node = this.#addNode(artifact, undefined, parent);
      if (node) this.#finishNode(node, artifact, []);
      else kept.push(artifact);
    }
    for (const association of artifacts.filter((candidate) => candidate.$type === 'bpmn:Association')) {
      const source = idOf(association.sourceRef as ModdleElement | undefined);
      const target = idOf(association.targetRef as ModdleElement | undefined);
      const [note, other] = this.#nodeById.get(target ?? '')?.type === 'bpmn.textAnnotation' ? [target, source] : [source, target];
      const noteNode = this.#nodeById.get(note ?? '');
      // A note Loomflow exported already names what it annotates in its config.
      const free = noteNode?.config.annotates === undefined || noteNode.config.annotates === other;
      if (noteNode?.type === 'bpmn.textAnnotation' && other && free && association.id && !noteNode.bpmn?.ids?.association) {
        noteNode.config = { ...noteNode.config, annotates: other };
        noteNode.bpmn = { ...noteNode.bpmn, ids: { ...noteNode.bpmn?.ids, association: String(association.id) } };
        continue;
      }
      kept.push(association);
      if (association.id) this.#kept.set(String(association.id), 'an association that links no text annotation; kept, not drawn');
    }
    return kept;
  }

  #readEdges(messageFlows: readonly ModdleElement[]): void {
    for (const flow of [...this.#sequenceFlows, ...messageFlows]) {
      const source = idOf(flow.sourceRef as ModdleElement | undefined);
      const target = idOf(flow.targetRef as ModdleElement | undefined);
      if (!source || !target || !this.#nodeById.has(source) || !this.#nodeById.has(target)) {
        this.#warnings.push(`${String(flow.id)}: joins elements that are not drawn; it is left out`);
        continue;
      }
      this.#addEdge(flow, source, target, ['sourceRef', 'targetRef']);
    }
  }

  #addEdge(element: ModdleElement, source: string, target: string, modelledHere: readonly string[]): void {
    const id = String(element.id);
    const modelled = ['name', ...modelledHere];
    const condition = element.conditionExpression as ModdleElement | undefined;
    const body = typeof condition?.body === 'string' ? condition.body.trim() : '';
    if (body) modelled.push('conditionExpression');
    const sourceElement = element.sourceRef as ModdleElement | undefined;
    const isDefault = element.$type === 'bpmn:SequenceFlow' && sourceElement?.default === element;
    const di = this.#diEdges.get(id);
    const points = list(di?.waypoint).map((point) => ({ x: Number(point.x), y: Number(point.y) }) satisfies Point);
    const label = this.#labelOf(di);
    const edge: FlowEdge = {
      id,
      source,
      target,
      ...(typeof element.name === 'string' && element.name ? { label: element.name } : {}),
      ...(body ? { condition: bareFeel(body) } : {}),
      ...(isDefault ? { isDefault: true } : {}),
      ...(points.length > 2 ? { waypoints: points.slice(1, -1) } : {}),
      ...(label ? { bpmn: { label } } : {}),
    };
    this.#keep(element, modelled, { reason: `kept on ${id}` }, (xml) => {
      edge.bpmn = { xml, ...edge.bpmn };
    });
    if (!di) this.#warnings.push(`${id}: no DI edge; drawn straight`);
    this.#edges.push(edge);
  }

  async #keepDefinitions(rootElements: readonly ModdleElement[], shown: ReadonlySet<ModdleElement>): Promise<void> {
    const rebuilt = new Set(['bpmn:Collaboration', 'bpmn:Category']);
    const kept = rootElements.filter((element) => !shown.has(element) && !rebuilt.has(element.$type));
    for (const element of kept) {
      if (element.$type === 'bpmn:Process') this.#warnings.push(`process ${String(element.id)}: no pool shows it; kept whole`);
    }
    const extensions = list((this.definitions.extensionElements as ModdleElement | undefined)?.values).filter((value) => value.$type !== 'loomflow:Flow');
    const definitionsKept = await keptXml(this.moddle, this.definitions, new Set(Object.keys(this.definitions)), this.#namespaces, {
      overrides: { rootElements: kept, extensionElements: this.#extensionElements(this.definitions, extensions) },
      keepAttrs: false,
      keepId: true,
    });
    // Messages, errors, signals and escalations are what event configs name; the export reuses the kept ones.
    const named = new Set(['bpmn:Message', 'bpmn:Error', 'bpmn:Signal', 'bpmn:Escalation']);
    for (const id of definitionsKept.ids) {
      const type = this.elementsById[id]?.$type;
      if (type && named.has(type)) continue;
      if (!this.#kept.has(id)) this.#kept.set(id, 'kept in the definitions');
    }
    if (definitionsKept.xml) this.#documentKept.definitions = definitionsKept.xml;
  }

  /** DI of kept elements that are drawn (an association the canvas does not show), and the label styles. */
  async #keepDiagram(): Promise<void> {
    const drawn = new Set([...this.#nodeById.keys(), ...this.#edges.map((edge) => edge.id)]);
    for (const node of this.#nodes) if (node.bpmn?.ids?.association) drawn.add(node.bpmn.ids.association);
    const keptDi = [...this.#shapes.values(), ...this.#diEdges.values()].filter((di) => !drawn.has(String((di.bpmnElement as ModdleElement).id)));
    const labelStyle = list(this.definitions.diagrams).flatMap((diagram) => list(diagram.labelStyle));
    if (keptDi.length === 0 && labelStyle.length === 0) return;
    // Labels of drawn elements are written again without their style; their fonts stay in the file.
    if (labelStyle.length > 0) this.#warnings.push(`${labelStyle.length} DI label styles (fonts) are kept in the file; the labels of drawn elements take the canvas font`);
    const plane = this.moddle.create('bpmndi:BPMNPlane', { planeElement: keptDi });
    this.#documentKept.diagram = await serialise(this.moddle, this.moddle.create('bpmndi:BPMNDiagram', { plane, labelStyle }), this.#namespaces);
  }

  /** The document as the import assembled it, before its schema fills in defaults. */
  #document(main: ModdleElement | undefined, collaboration: ModdleElement | undefined): Record<string, unknown> {
    const loomflow = list((this.definitions.extensionElements as ModdleElement | undefined)?.values).find((value) => value.$type === 'loomflow:Flow');
    const settings = loomflow && typeof loomflow.body === 'string' ? (JSON.parse(loomflow.body) as Record<string, unknown>) : {};
    const pools = this.#nodes.filter((node) => node.type === 'bpmn.pool');
    const documentation = list(main?.documentation)[0]?.text;
    const name = [settings.name, collaboration?.name, main?.name, pools[0]?.name, this.definitions.name].find((value): value is string => typeof value === 'string' && value.length > 0);
    const id = typeof loomflow?.flowId === 'string' ? loomflow.flowId : flowIdFrom([idOf(main), idOf(collaboration), idOf(this.definitions)]);
    const { bpmn: _ignored, ...rest } = settings;
    return {
      kind: 'bpmn',
      state: { channels: [] },
      ...rest,
      schemaVersion: 1,
      id,
      name: (name ?? id).slice(0, 200),
      ...(typeof documentation === 'string' && documentation && settings.description === undefined ? { description: documentation } : {}),
      nodes: this.#nodes,
      edges: this.#edges,
      ...(Object.keys(this.#documentKept).length > 0 ? { bpmn: this.#documentKept } : {}),
    };
  }
}
