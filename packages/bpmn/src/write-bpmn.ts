// Writing a flow document as BPMN 2.0 XML. The model is built with bpmn-moddle and serialised by
// it, so escaping, namespaces and element order are those of bpmn.io and Camunda Modeler; never
// string concatenation. Camunda 8 settings go in `zeebe:` elements (zeebe-bpmn-moddle), and what
// only Loomflow knows in the declared `loomflow:` namespace.
import { createDefaultRegistry, type FlowDocument, type FlowEdge, type FlowNode, type NodeTypeRegistry } from '@loomflow/graph-schema';
import type { ModdleElement } from 'bpmn-moddle';
import packageJson from '../package.json' with { type: 'json' };
import { elementSemantics, feel, type SemanticsContext } from './export/semantics';
import { absoluteBounds, boundsOf, edgeWaypoints, outlineOf, type Bounds, type Outline } from './geometry';
import { collectIds, KeptRestorer } from './kept-xml';
import { bpmnModdle, createElement } from './moddle';
import { isBpmnElementType } from './read-bpmn';

export interface BpmnExportOptions {
  /** Where node types and their BPMN mapping come from (default: the built-in registry). */
  readonly registry?: NodeTypeRegistry;
  /** Written as `exporterVersion` (default: this package's version). */
  readonly exporterVersion?: string;
  /** The Camunda 8 version Camunda Modeler checks the file against (default 8.8.0). */
  readonly executionPlatformVersion?: string;
}

export interface BpmnExportResult {
  readonly xml: string;
  /** Parts of the flow the XML cannot hold or holds differently, one line each naming the node or edge. */
  readonly warnings: readonly string[];
}

const MODELER_NAMESPACE = 'http://camunda.org/schema/modeler/1.0';

/** An element that holds flow elements (a process or a sub-process) and artifacts. */
interface Scope {
  readonly element: ModdleElement;
  readonly flowElements: ModdleElement[];
  readonly artifacts: ModdleElement[];
}

interface Exported {
  readonly node: FlowNode;
  readonly bpmnType: string;
  readonly element: ModdleElement;
  readonly bounds: Bounds;
  readonly outline: Outline;
}

/** Turns any text into an XML NCName, for ids made from names. */
function ncName(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

export async function exportBpmnXml(flow: FlowDocument, options: BpmnExportOptions = {}): Promise<BpmnExportResult> {
  const registry = options.registry ?? createDefaultRegistry();
  const moddle = bpmnModdle();
  const create = createElement;
  const warnings: string[] = [];
  const usedIds = new Set<string>(flow.nodes.map((node) => node.id).concat(flow.edges.map((edge) => edge.id)));
  // What an import kept of the file goes back in; its ids are taken before any are made up.
  const restorer = new KeptRestorer(moddle);
  const keptDefinitions = flow.bpmn?.definitions ? await restorer.parse(flow.bpmn.definitions, 'bpmn:Definitions') : undefined;
  const keptDiagram = flow.bpmn?.diagram ? await restorer.parse(flow.bpmn.diagram, 'bpmndi:BPMNDiagram') : undefined;
  const keptPlane = keptDiagram?.plane as ModdleElement | undefined;
  const keptCollaboration = flow.bpmn?.collaboration ? await restorer.parse(flow.bpmn.collaboration, 'bpmn:Collaboration') : undefined;
  const keptById = new Map<string, ModdleElement>();
  collectIds([keptDefinitions, keptDiagram, keptCollaboration], keptById, new Set());
  for (const id of keptById.keys()) usedIds.add(id);
  for (const node of flow.nodes) Object.values(node.bpmn?.ids ?? {}).forEach((id) => usedIds.add(id));
  const keptRootElements = (keptDefinitions?.rootElements as ModdleElement[] | undefined) ?? [];
  /** A kept message, error or signal is reused by what names it, so it keeps its id. */
  const keptNamed = (type: string, key: string, value: string): ModdleElement | undefined =>
    keptRootElements.find((element) => element.$type === type && (element[key] ?? (key === 'name' ? element.id : undefined)) === value);
  const uniqueId = (base: string): string => {
    let id = ncName(base);
    for (let n = 2; usedIds.has(id); n += 1) id = `${ncName(base)}_${n}`;
    usedIds.add(id);
    return id;
  };

  const rootElements: ModdleElement[] = [];
  const memo = new Map<string, ModdleElement>();
  const shared = (key: string, make: () => ModdleElement, kept?: ModdleElement): ModdleElement => {
    const existing = memo.get(key) ?? kept;
    if (existing) return existing;
    const element = make();
    memo.set(key, element);
    rootElements.push(element);
    return element;
  };
  /** Data objects by id: references that share one in the file share it again. */
  const dataObjects = new Map<string, ModdleElement>();
  /** Filled as each data object reference is written: its DataObject goes into the same scope. */
  const pendingDataObjects: ModdleElement[] = [];
  let categoryElement: ModdleElement | undefined;
  const context: SemanticsContext = {
    create,
    message: (name, correlationKey) =>
      shared(`message:${name}:${correlationKey ?? ''}`, () =>
        create('bpmn:Message', {
          id: uniqueId(`Message_${name}`),
          name,
          ...(correlationKey
            ? { extensionElements: create('bpmn:ExtensionElements', { values: [create('zeebe:Subscription', { correlationKey: feel(correlationKey) })] }) }
            : {}),
        }),
        keptNamed('bpmn:Message', 'name', name),
      ),
    error: (code) => shared(`error:${code}`, () => create('bpmn:Error', { id: uniqueId(`Error_${code}`), name: code, errorCode: code }), keptNamed('bpmn:Error', 'errorCode', code)),
    signal: (name) => shared(`signal:${name}`, () => create('bpmn:Signal', { id: uniqueId(`Signal_${name}`), name }), keptNamed('bpmn:Signal', 'name', name)),
    escalation: (code) =>
      shared(`escalation:${code}`, () => create('bpmn:Escalation', { id: uniqueId(`Escalation_${code}`), name: code, escalationCode: code }), keptNamed('bpmn:Escalation', 'escalationCode', code)),
    dataObject: (referenceId, isCollection) => {
      const keptId = nodesById.get(referenceId)?.bpmn?.ids?.dataObject;
      const existing = keptId ? dataObjects.get(keptId) : undefined;
      if (existing) return existing;
      const dataObject = create('bpmn:DataObject', { id: keptId ?? uniqueId(`DataObject_${referenceId}`), isCollection });
      dataObjects.set(String(dataObject.id), dataObject);
      pendingDataObjects.push(dataObject);
      return dataObject;
    },
    categoryValue: (value) => {
      categoryElement ??= shared('category', () => create('bpmn:Category', { id: uniqueId('Category_groups'), categoryValue: [] }));
      const categoryValue = create('bpmn:CategoryValue', { id: uniqueId(`CategoryValue_${value}`), value });
      (categoryElement.categoryValue as ModdleElement[]).push(categoryValue);
      return categoryValue;
    },
  };

  const nodesById = new Map(flow.nodes.map((node) => [node.id, node]));
  /** The element a node's type maps to, which decides where the node goes. */
  const registryElementOf = (node: FlowNode): string | undefined => registry.get(node.type)?.bpmn?.element;
  /** The element written: the one the node was imported from when its type stands in for it. */
  const elementOf = (node: FlowNode): string | undefined => {
    const kept = node.bpmn?.element;
    if (kept && isBpmnElementType(kept)) return kept;
    if (kept) warnings.push(`node ${node.id}: "${kept}" is no BPMN element; written as ${String(registryElementOf(node))}`);
    return registryElementOf(node);
  };
  const mapped = flow.nodes.filter((node) => {
    if (registryElementOf(node)) return true;
    const known = registry.has(node.type);
    warnings.push(`node ${node.id}: ${known ? `type "${node.type}" has no BPMN element` : `unknown node type "${node.type}"`}; it is not in the XML`);
    return false;
  });
  const isType = (node: FlowNode | undefined, element: string): boolean => node !== undefined && registryElementOf(node) === element;

  // Containers: pools become participants with a process each, sub-processes hold their children.
  const pools = mapped.filter((node) => isType(node, 'bpmn:Participant'));
  const scopes = new Map<string, Scope>();
  const keptProcesses = flow.bpmn?.processes ?? {};
  const newProcess = async (id: string, name: string | undefined, executable: boolean, documentation?: string): Promise<Scope> => {
    const flowElements: ModdleElement[] = [];
    const artifacts: ModdleElement[] = [];
    const element = create('bpmn:Process', {
      id: uniqueId(id),
      ...(name ? { name } : {}),
      isExecutable: executable,
      flowElements,
      artifacts,
      ...(documentation ? { documentation: [create('bpmn:Documentation', { text: documentation })] } : {}),
    });
    rootElements.push(element);
    const keptProcess = keptProcesses[id];
    if (keptProcess) await restorer.restore(element, keptProcess);
    return { element, flowElements, artifacts };
  };
  const participants: ModdleElement[] = [];
  const collaborationArtifacts: ModdleElement[] = [];
  const messageFlows: ModdleElement[] = [];
  const collaborationId = typeof keptCollaboration?.id === 'string' ? keptCollaboration.id : undefined;
  const collaboration =
    pools.length > 0 ? create('bpmn:Collaboration', { id: collaborationId ?? uniqueId(`Collaboration_${flow.id}`), participants, messageFlows, artifacts: collaborationArtifacts }) : undefined;
  if (collaboration && flow.bpmn?.collaboration) await restorer.restore(collaboration, flow.bpmn.collaboration);
  let rootProcess: Scope | undefined;
  for (const pool of pools) {
    const config = parsedConfig(pool);
    const processScope = await newProcess((config.processId as string | undefined) ?? `Process_${pool.id}`, pool.name, (config.isExecutable as boolean | undefined) ?? true);
    scopes.set(pool.id, processScope);
    const participant = create('bpmn:Participant', { id: pool.id, ...(pool.name ? { name: pool.name } : {}), processRef: processScope.element, ...documentationOf(config) });
    if (pool.bpmn?.xml) await restorer.restore(participant, pool.bpmn.xml);
    participants.push(participant);
  }
  // An imported process keeps its id: the one kept process no pool claims, which may also sit
  // beside the pools of a collaboration (its nodes then have no pool).
  const claimed = new Set(pools.map((pool) => pool.config.processId));
  const unclaimed = Object.keys(keptProcesses).filter((id) => !claimed.has(id));
  if (pools.length === 0 || unclaimed.length === 1) {
    rootProcess = await newProcess(unclaimed.length === 1 && unclaimed[0] ? unclaimed[0] : `Process_${flow.id}`, flow.name, true, flow.description);
  }

  function parsedConfig(node: FlowNode): Record<string, unknown> {
    const parsed = registry.get(node.type)?.configSchema.safeParse(node.config);
    if (parsed?.success) return parsed.data as Record<string, unknown>;
    warnings.push(`node ${node.id}: its config does not fit type "${node.type}"; written as it is`);
    return node.config;
  }
  function documentationOf(config: Record<string, unknown>): Record<string, unknown> {
    return typeof config.documentation === 'string' && config.documentation ? { documentation: [create('bpmn:Documentation', { text: config.documentation })] } : {};
  }

  /** The nearest pool or sub-process around a node; boundary events live beside their host. */
  function scopeNodeOf(node: FlowNode, seen = new Set<string>()): FlowNode | undefined {
    if (seen.has(node.id)) return undefined;
    seen.add(node.id);
    if (isType(node, 'bpmn:BoundaryEvent')) {
      const host = nodesById.get(String(node.config.attachedTo));
      if (host) return scopeNodeOf(host, seen);
    }
    let parent = node.parent ? nodesById.get(node.parent) : undefined;
    while (parent && !isType(parent, 'bpmn:Participant') && !isType(parent, 'bpmn:SubProcess')) {
      parent = parent.parent && !seen.has(parent.parent) ? nodesById.get(parent.parent) : undefined;
    }
    return parent;
  }
  function poolContaining(node: FlowNode): FlowNode | undefined {
    if (pools.length === 1) return pools[0];
    const inside = pools.find((pool) => {
      const bounds = boundsOf(pool, 'bpmn:Participant');
      return node.position.x >= bounds.x && node.position.x <= bounds.x + bounds.width && node.position.y >= bounds.y && node.position.y <= bounds.y + bounds.height;
    });
    if (inside) return inside;
    warnings.push(`node ${node.id}: outside every pool; written into the first pool's process`);
    return pools[0];
  }
  /** Where a node's element goes; `undefined` for an artifact drawn outside every pool of a collaboration. */
  function scopeOf(node: FlowNode): Scope | undefined {
    const scopeNode = scopeNodeOf(node);
    if (scopeNode) return scopes.get(scopeNode.id);
    if (rootProcess) return rootProcess;
    if (registry.get(node.type)?.role === 'artifact') return undefined;
    const pool = poolContaining(node);
    return pool ? scopes.get(pool.id) : undefined;
  }

  // Flow elements and artifacts, containers before their children so each scope exists in time.
  const exported = new Map<string, Exported>();
  const depthOf = (node: FlowNode): number => {
    let depth = 0;
    for (let parent = node.parent ? nodesById.get(node.parent) : undefined; parent && depth < flow.nodes.length; parent = parent.parent ? nodesById.get(parent.parent) : undefined) depth += 1;
    return depth;
  };
  const elementNodes = mapped.filter((node) => !isType(node, 'bpmn:Participant') && !isType(node, 'bpmn:Lane')).sort((a, b) => depthOf(a) - depthOf(b));
  for (const node of [...pools, ...mapped.filter((node) => isType(node, 'bpmn:Lane'))]) {
    const bpmnType = elementOf(node) as string;
    const element = create(bpmnType, { id: node.id });
    if (bpmnType === 'bpmn:Lane' && node.bpmn?.xml) await restorer.restore(element, node.bpmn.xml);
    exported.set(node.id, { node, bpmnType, element, bounds: boundsOf(node, bpmnType), outline: 'rect' });
  }
  for (const pool of pools) {
    const participant = participants.find((candidate) => candidate.id === pool.id);
    if (participant) exported.set(pool.id, { ...(exported.get(pool.id) as Exported), element: participant });
  }
  for (const node of elementNodes) {
    const bpmnType = elementOf(node) as string;
    const config = parsedConfig(node);
    pendingDataObjects.length = 0;
    const semantics = elementSemantics(context, bpmnType, config, node.id);
    const extensions = [...semantics.extensions, loomflowConfig(node)].filter((value): value is ModdleElement => value !== undefined);
    const element = create(bpmnType, {
      id: node.id,
      ...(node.name && bpmnType !== 'bpmn:TextAnnotation' ? { name: node.name } : {}),
      ...documentationOf(config),
      ...semantics.attrs,
      ...(extensions.length > 0 ? { extensionElements: create('bpmn:ExtensionElements', { values: extensions }) } : {}),
    });
    exported.set(node.id, { node, bpmnType, element, bounds: boundsOf(node, bpmnType), outline: outlineOf(bpmnType) });
    if (isType(node, 'bpmn:SubProcess')) {
      const flowElements: ModdleElement[] = [];
      const artifacts: ModdleElement[] = [];
      element.flowElements = flowElements;
      element.artifacts = artifacts;
      scopes.set(node.id, { element, flowElements, artifacts });
    }
    if (node.bpmn?.xml) await restorer.restore(element, node.bpmn.xml);
    const scope = scopeOf(node);
    const isArtifact = bpmnType === 'bpmn:TextAnnotation' || bpmnType === 'bpmn:Group';
    if (isArtifact) (scope?.artifacts ?? collaborationArtifacts).push(element);
    else if (scope) scope.flowElements.push(element, ...pendingDataObjects);
    else warnings.push(`node ${node.id}: no process to hold it`);
  }
  function loomflowConfig(node: FlowNode): ModdleElement | undefined {
    if (Object.keys(node.config).length === 0) return undefined;
    return create('loomflow:Config', { nodeType: node.type, ...(node.typeVersion ? { typeVersion: node.typeVersion } : {}), body: JSON.stringify(node.config) });
  }

  // Boundary events point at their host, which now exists.
  for (const { node, bpmnType, element } of exported.values()) {
    if (bpmnType !== 'bpmn:BoundaryEvent') continue;
    const host = exported.get(String(node.config.attachedTo));
    if (host) element.attachedToRef = host.element;
    else warnings.push(`node ${node.id}: its host "${String(node.config.attachedTo)}" is not in the XML`);
  }

  // Lanes: a lane set per pool (or per parent lane), each lane naming the flow nodes inside it.
  const laneElements = mapped.filter((node) => isType(node, 'bpmn:Lane'));
  const laneSets = new Map<string, ModdleElement>();
  const laneSetOf = (owner: string, holder: ModdleElement): ModdleElement => {
    let laneSet = laneSets.get(owner);
    if (!laneSet) {
      laneSet = create('bpmn:LaneSet', { id: uniqueId(`LaneSet_${owner}`), lanes: [] });
      laneSets.set(owner, laneSet);
      if (holder.$type === 'bpmn:Lane') holder.childLaneSet = laneSet;
      else holder.laneSets = [laneSet];
    }
    return laneSet;
  };
  for (const laneNode of laneElements) {
    const lane = exported.get(laneNode.id) as Exported;
    if (laneNode.name) lane.element.name = laneNode.name;
    const parent = laneNode.parent ? exported.get(laneNode.parent) : undefined;
    const holder = parent?.bpmnType === 'bpmn:Lane' ? parent.element : (scopeOf(laneNode) ?? rootProcess)?.element;
    if (!holder) {
      warnings.push(`node ${laneNode.id}: a lane outside every pool; it is not in the XML`);
      continue;
    }
    (laneSetOf(parent?.bpmnType === 'bpmn:Lane' ? parent.node.id : String(holder.id), holder).lanes as ModdleElement[]).push(lane.element);
    lane.element.flowNodeRef = [];
  }
  const laneOf = (node: FlowNode): Exported | undefined => {
    for (let parent = node.parent ? exported.get(node.parent) : undefined; parent; parent = parent.node.parent ? exported.get(parent.node.parent) : undefined) {
      if (parent.bpmnType === 'bpmn:Lane') return parent;
      if (parent.bpmnType === 'bpmn:SubProcess' || parent.bpmnType === 'bpmn:Participant') return undefined;
    }
    return undefined;
  };
  for (const entry of exported.values()) {
    if (entry.bpmnType === 'bpmn:Lane' || entry.bpmnType === 'bpmn:Participant' || entry.bpmnType === 'bpmn:TextAnnotation' || entry.bpmnType === 'bpmn:Group') continue;
    const host = entry.bpmnType === 'bpmn:BoundaryEvent' ? nodesById.get(String(entry.node.config.attachedTo)) : undefined;
    const lane = laneOf(entry.node) ?? (host ? laneOf(host) : undefined);
    if (lane) (lane.element.flowNodeRef as ModdleElement[]).push(entry.element);
  }

  // Edges: sequence flows inside a process, message flows between pools, data associations.
  const edgeElements: { edge: FlowEdge | undefined; element: ModdleElement; from: Exported; to: Exported }[] = [];
  const poolOf = (node: FlowNode): string | undefined => {
    for (let current: FlowNode | undefined = node; current; current = current.parent ? nodesById.get(current.parent) : undefined) {
      if (isType(current, 'bpmn:Participant')) return current.id;
      if (isType(current, 'bpmn:BoundaryEvent')) {
        const host = nodesById.get(String(current.config.attachedTo));
        if (host) return poolOf(host);
      }
    }
    return pools.length === 1 && !rootProcess ? pools[0]?.id : undefined;
  };
  for (const edge of flow.edges) {
    const from = exported.get(edge.source);
    const to = exported.get(edge.target);
    if (!from || !to) {
      warnings.push(`edge ${edge.id}: its ${from ? 'target' : 'source'} "${from ? edge.target : edge.source}" is not in the XML, so neither is the edge`);
      continue;
    }
    const name = edge.label ? { name: edge.label } : {};
    if (isType(from.node, 'bpmn:DataObjectReference') || isType(to.node, 'bpmn:DataObjectReference')) {
      const [activity, key, ref] =
        isType(to.node, 'bpmn:DataObjectReference') ? [from, 'dataOutputAssociations', { targetRef: to.element }] : [to, 'dataInputAssociations', { sourceRef: [from.element] }];
      const association = create(key === 'dataOutputAssociations' ? 'bpmn:DataOutputAssociation' : 'bpmn:DataInputAssociation', { id: edge.id, ...ref });
      if (edge.bpmn?.xml) await restorer.restore(association, edge.bpmn.xml);
      activity.element[key] = [...((activity.element[key] as ModdleElement[] | undefined) ?? []), association];
      edgeElements.push({ edge, element: association, from, to });
      continue;
    }
    const crossesPools = from.bpmnType === 'bpmn:Participant' || to.bpmnType === 'bpmn:Participant' || poolOf(from.node) !== poolOf(to.node);
    if (collaboration && crossesPools) {
      const messageFlow = create('bpmn:MessageFlow', { id: edge.id, ...name, sourceRef: from.element, targetRef: to.element });
      if (edge.bpmn?.xml) await restorer.restore(messageFlow, edge.bpmn.xml);
      messageFlows.push(messageFlow);
      edgeElements.push({ edge, element: messageFlow, from, to });
      continue;
    }
    const scope = scopeOf(from.node);
    if (!scope) {
      warnings.push(`edge ${edge.id}: its source is in no process; it is not in the XML`);
      continue;
    }
    if (scope !== scopeOf(to.node)) warnings.push(`edge ${edge.id}: joins nodes of different sub-processes or pools, which BPMN does not allow`);
    const flowElement = create('bpmn:SequenceFlow', {
      id: edge.id,
      ...name,
      sourceRef: from.element,
      targetRef: to.element,
      ...(edge.condition && !edge.isDefault ? { conditionExpression: create('bpmn:FormalExpression', { body: feel(edge.condition) }) } : {}),
    });
    if (edge.bpmn?.xml) await restorer.restore(flowElement, edge.bpmn.xml);
    scope.flowElements.push(flowElement);
    from.element.outgoing = [...((from.element.outgoing as ModdleElement[] | undefined) ?? []), flowElement];
    to.element.incoming = [...((to.element.incoming as ModdleElement[] | undefined) ?? []), flowElement];
    if (edge.isDefault) {
      if ('default' in moddleProperties(from.bpmnType)) from.element.default = flowElement;
      else warnings.push(`edge ${edge.id}: a default flow out of ${from.bpmnType}, which has no default flow in BPMN`);
    }
    edgeElements.push({ edge, element: flowElement, from, to });
  }
  function moddleProperties(type: string): Record<string, unknown> {
    const descriptor = (moddle as unknown as { getElementDescriptor(type: unknown): { propertiesByName: Record<string, unknown> } }).getElementDescriptor(moddle.getType(type));
    return descriptor.propertiesByName;
  }

  // Annotations point at what they explain through an association, in the annotation's container.
  for (const entry of exported.values()) {
    if (entry.bpmnType !== 'bpmn:TextAnnotation' || typeof entry.node.config.annotates !== 'string') continue;
    const annotated = exported.get(entry.node.config.annotates);
    if (!annotated) {
      warnings.push(`node ${entry.node.id}: annotates "${entry.node.config.annotates}", which is not in the XML`);
      continue;
    }
    const association = create('bpmn:Association', { id: entry.node.bpmn?.ids?.association ?? uniqueId(`Association_${entry.node.id}`), sourceRef: annotated.element, targetRef: entry.element, associationDirection: 'None' });
    (scopeOf(entry.node)?.artifacts ?? collaborationArtifacts).push(association);
    edgeElements.push({ edge: undefined, element: association, from: annotated, to: entry });
  }

  // Diagram interchange: every shape at its canvas bounds, every edge with its whole path.
  const planeElements: ModdleElement[] = [];
  const bounds = (value: Bounds) => create('dc:Bounds', { ...value });
  for (const entry of exported.values()) {
    const horizontal = entry.bpmnType === 'bpmn:Participant' || entry.bpmnType === 'bpmn:Lane' ? { isHorizontal: true } : {};
    const expanded = isType(entry.node, 'bpmn:SubProcess') ? { isExpanded: entry.node.config.isExpanded ?? true } : {};
    const label = entry.node.bpmn?.label ? { label: create('bpmndi:BPMNLabel', { bounds: bounds(absoluteBounds(entry.node.bpmn.label, entry.node.position)) }) } : {};
    planeElements.push(create('bpmndi:BPMNShape', { id: uniqueId(`${entry.node.id}_di`), bpmnElement: entry.element, ...horizontal, ...expanded, bounds: bounds(entry.bounds), ...label }));
  }
  for (const { edge, element, from, to } of edgeElements) {
    const waypoint = edgeWaypoints(from, to, edge?.waypoints ?? []).map((point) => create('dc:Point', { ...point }));
    const label = edge?.bpmn?.label ? { label: create('bpmndi:BPMNLabel', { bounds: bounds(edge.bpmn.label) }) } : {};
    planeElements.push(create('bpmndi:BPMNEdge', { id: uniqueId(`${String(element.id)}_di`), bpmnElement: element, waypoint, ...label }));
  }
  planeElements.push(...((keptPlane?.planeElement as ModdleElement[] | undefined) ?? []));
  const plane = create('bpmndi:BPMNPlane', { id: uniqueId(`BPMNPlane_${flow.id}`), bpmnElement: collaboration ?? rootProcess?.element, planeElement: planeElements });
  const diagram = create('bpmndi:BPMNDiagram', { id: uniqueId(`BPMNDiagram_${flow.id}`), plane, labelStyle: (keptDiagram?.labelStyle as ModdleElement[] | undefined) ?? [] });

  const { id: _id, schemaVersion, nodes: _nodes, edges: _edges, bpmn: _kept, ...flowSettings } = flow;
  const definitions = create('bpmn:Definitions', {
    id: typeof keptDefinitions?.id === 'string' ? keptDefinitions.id : uniqueId(`Definitions_${flow.id}`),
    targetNamespace: `https://loomflow.dev/flows/${flow.id}`,
    exporter: 'Loomflow',
    exporterVersion: options.exporterVersion ?? packageJson.version,
    rootElements: [
      ...(collaboration ? [collaboration] : []),
      ...rootElements.filter((element) => element.$type === 'bpmn:Process'),
      ...rootElements.filter((element) => element.$type !== 'bpmn:Process'),
      ...keptRootElements,
    ],
    diagrams: [diagram],
    extensionElements: create('bpmn:ExtensionElements', {
      values: [
        create('loomflow:Flow', { flowId: flow.id, schemaVersion, body: JSON.stringify(flowSettings) }),
        ...(((keptDefinitions?.extensionElements as ModdleElement | undefined)?.values as ModdleElement[] | undefined) ?? []),
      ],
    }),
  });
  restorer.resolve(definitions);
  warnings.push(...restorer.warnings);
  for (const [name, uri] of Object.entries(restorer.namespaces)) definitions.$attrs[name] ??= uri;
  // Camunda Modeler picks the engine and version to check a file against from these two attributes.
  definitions.$attrs['xmlns:modeler'] = MODELER_NAMESPACE;
  definitions.$attrs['modeler:executionPlatform'] = 'Camunda Cloud';
  definitions.$attrs['modeler:executionPlatformVersion'] = options.executionPlatformVersion ?? '8.8.0';

  const { xml } = await moddle.toXML(definitions, { format: true });
  return { xml, warnings };
}
