// Which picture a node gets on the canvas, decided from what the registry says about its type
// (kind, role, category, container, BPMN element) and from its config (event definition, loop,
// expanded or not). No table lists the types themselves, so a newly registered type is drawn
// sensibly without UI work: a BPMN type by its element, an agent type as a card with the icon of
// its category.
import { bpmnShapeSizes, type NodeType, type Size } from '@loomflow/graph-schema';
import { asRecord, configSummary } from './config-summary';
import type { GlyphName } from './glyphs';

export type EventPosition = 'start' | 'intermediate' | 'end' | 'boundary';
export type EventMarker = 'message' | 'timer' | 'error' | 'signal' | 'escalation' | 'conditional' | 'link' | 'compensation' | 'cancel' | 'terminate';
export type TaskMarker = 'user' | 'service' | 'script' | 'send' | 'receive' | 'manual' | 'businessRule';
export type GatewayMarker = 'exclusive' | 'parallel' | 'inclusive' | 'eventBased' | 'complex';
export type LoopMarker = 'loop' | 'parallelInstances' | 'sequentialInstances';

/** A name's box relative to the node's centre, where a BPMN file's DI label bounds put it. */
export interface LabelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export type NodeView =
  | {
      readonly kind: 'event';
      readonly label?: LabelBox;
      readonly position: EventPosition;
      readonly marker?: EventMarker;
      /** Throwing events (end, intermediate throw) draw their marker filled. */
      readonly throwing: boolean;
      /** A non-interrupting boundary event has a dashed border. */
      readonly interrupting: boolean;
    }
  | {
      readonly kind: 'activity';
      readonly marker?: TaskMarker;
      /** A call activity has a thick border. */
      readonly call: boolean;
      readonly subProcess?: 'collapsed' | 'expanded';
      /** An event sub-process has a dotted border. */
      readonly triggeredByEvent: boolean;
      readonly loop?: LoopMarker;
    }
  | { readonly kind: 'gateway'; readonly marker?: GatewayMarker; readonly label?: LabelBox }
  | { readonly kind: 'pool' }
  | { readonly kind: 'lane' }
  | { readonly kind: 'dataObject'; readonly collection: boolean; readonly label?: LabelBox }
  | { readonly kind: 'annotation' }
  | { readonly kind: 'group' }
  | {
      readonly kind: 'card';
      readonly icon: GlyphName;
      /** The accent of the icon tile, from the type's category. */
      readonly color: string;
      /** A one-line summary of the config, e.g. the model of an LLM node. */
      readonly summary?: string;
    };

export type NodeViewKind = NodeView['kind'];

export const nodeViewKinds: readonly NodeViewKind[] = ['event', 'activity', 'gateway', 'pool', 'lane', 'dataObject', 'annotation', 'group', 'card'];

/** The LogicFlow node type that draws a view: the geometry (and so the anchors) differ per kind. */
export function logicFlowTypeOf(kind: NodeViewKind): string {
  return `loomflow-${kind}`;
}

/**
 * The size a node gets when the document stores none. BPMN shapes take graph-schema's table, the
 * one the BPMN export writes as DI bounds, so a drawing exports at the size it is drawn.
 */
export function defaultSizeOf(view: NodeView): Size {
  switch (view.kind) {
    case 'activity':
      return bpmnShapeSizes[view.subProcess === 'expanded' ? 'expandedSubProcess' : 'activity'];
    case 'card':
      return { width: 160, height: 56 };
    default:
      return bpmnShapeSizes[view.kind];
  }
}

/** Where the name goes: in the shape, under it (small shapes), at its top (frames), or in its header band (pools, lanes). */
export type LabelPlacement = 'inside' | 'below' | 'top' | 'header' | 'card';

export function labelPlacementOf(view: NodeView): LabelPlacement {
  switch (view.kind) {
    case 'event':
    case 'gateway':
    case 'dataObject':
      return 'below';
    case 'activity':
      return view.subProcess === 'expanded' ? 'top' : 'inside';
    case 'group':
      return 'top';
    case 'pool':
    case 'lane':
      return 'header';
    case 'annotation':
      return 'inside';
    case 'card':
      return 'card';
  }
}

/**
 * Frames drawn behind what they contain, lowest first: they stay behind their children when
 * clicked, and sequence flows stay visible across them.
 */
export function containerDepthOf(view: NodeView): number | undefined {
  if (view.kind === 'pool') return -3;
  if (view.kind === 'lane') return -2;
  if (view.kind === 'group' || (view.kind === 'activity' && view.subProcess === 'expanded')) return -1;
  return undefined;
}

/** Artifacts take no sequence flow, so they show no anchors to start one from. */
export function hasAnchors(view: NodeView): boolean {
  return !['pool', 'lane', 'dataObject', 'annotation', 'group'].includes(view.kind);
}

/** What a node imported from BPMN XML carries for its drawing beyond its config (graph-schema's `bpmnKeptSchema`). */
export interface KeptDrawing {
  /** The trigger of an event definition kept as XML, as BPMN names it (`escalation`). */
  readonly trigger?: string;
  /** The DI label bounds, relative to the node's centre. */
  readonly label?: LabelBox;
}

export function nodeViewOf(nodeType: NodeType | undefined, config: unknown, kept: KeptDrawing = {}): NodeView {
  if (!nodeType) return { kind: 'card', icon: 'box', color: UNKNOWN_COLOR };
  // Artifacts look the same in both kinds of flow: a note is a text annotation in an agent graph too.
  const view = nodeType.role === 'artifact' ? artifactViewOf(nodeType, localName(nodeType.bpmn?.element)) : nodeType.kind === 'bpmn' ? bpmnViewOf(nodeType, asRecord(config), kept.trigger) : cardViewOf(nodeType, config);
  // Small shapes show their name where the file's DI put it; the others fit it inside or on top.
  return kept.label && (view.kind === 'event' || view.kind === 'gateway' || view.kind === 'dataObject') ? { ...view, label: kept.label } : view;
}

/**
 * A view as LogicFlow keeps it in a node's properties: as text. LogicFlow makes properties
 * deeply observable, and an object there would cost an observable per field on every node and
 * slow every read while drawing; text is a single value, and equal views give equal text.
 */
export function encodeView(view: NodeView): string {
  return JSON.stringify(view);
}

/** The view back from its text, or undefined when the text is not one. */
export function decodeView(text: string): NodeView | undefined {
  try {
    const value: unknown = JSON.parse(text);
    const kind = typeof value === 'object' && value !== null && 'kind' in value ? value.kind : undefined;
    return (nodeViewKinds as readonly unknown[]).includes(kind) ? (value as NodeView) : undefined;
  } catch {
    return undefined;
  }
}

/** `bpmn:UserTask` → `UserTask`. */
function localName(element: string | undefined): string {
  return element?.slice(element.indexOf(':') + 1) ?? '';
}

/** BPMN's word for the trigger where the canvas's marker has another (`compensateEventDefinition`). */
const TRIGGER_MARKERS: Readonly<Record<string, EventMarker>> = { compensate: 'compensation' };

function bpmnViewOf(nodeType: NodeType, config: Record<string, unknown>, keptTrigger: string | undefined): NodeView {
  const element = localName(nodeType.bpmn?.element);
  if (nodeType.role === 'start' || nodeType.role === 'end' || nodeType.role === 'boundary' || nodeType.category === 'events' || element.endsWith('Event')) {
    // An event definition kept as XML (a trigger Loomflow does not model, or one naming no message) still shows its marker.
    const modelled = asRecord(config.eventDefinition).type;
    const definition = typeof modelled === 'string' ? modelled : keptTrigger && (TRIGGER_MARKERS[keptTrigger] ?? keptTrigger);
    const marker = typeof definition === 'string' && isEventMarker(definition) ? definition : undefined;
    return {
      kind: 'event',
      position: nodeType.role === 'start' || nodeType.role === 'end' || nodeType.role === 'boundary' ? nodeType.role : 'intermediate',
      ...(marker ? { marker } : {}),
      throwing: nodeType.role === 'end' || element.includes('Throw'),
      interrupting: config.cancelActivity !== false,
    };
  }
  if (nodeType.category === 'gateways' || element.endsWith('Gateway')) {
    const marker = GATEWAY_MARKERS[element];
    return { kind: 'gateway', ...(marker ? { marker } : {}) };
  }
  const marker = TASK_MARKERS[element];
  const loop = loopMarkerOf(asRecord(config.loop));
  const isSubProcess = nodeType.container === 'scope' || element.endsWith('SubProcess') || element === 'Transaction';
  return {
    kind: 'activity',
    ...(marker ? { marker } : {}),
    call: element === 'CallActivity',
    ...(isSubProcess ? { subProcess: config.isExpanded === false ? 'collapsed' : 'expanded' } : {}),
    triggeredByEvent: config.triggeredByEvent === true,
    ...(loop ? { loop } : {}),
  };
}

function artifactViewOf(nodeType: NodeType, element: string): NodeView {
  if (element === 'Participant' || (!element && nodeType.container === 'scope')) return { kind: 'pool' };
  if (element === 'Lane' || nodeType.container === 'partition') return { kind: 'lane' };
  if (element.startsWith('Data')) return { kind: 'dataObject', collection: false };
  if (element === 'Group') return { kind: 'group' };
  return { kind: 'annotation' };
}

const TASK_MARKERS: Readonly<Record<string, TaskMarker>> = {
  UserTask: 'user',
  ServiceTask: 'service',
  ScriptTask: 'script',
  SendTask: 'send',
  ReceiveTask: 'receive',
  ManualTask: 'manual',
  BusinessRuleTask: 'businessRule',
};

const GATEWAY_MARKERS: Readonly<Record<string, GatewayMarker>> = {
  ExclusiveGateway: 'exclusive',
  ParallelGateway: 'parallel',
  InclusiveGateway: 'inclusive',
  EventBasedGateway: 'eventBased',
  ComplexGateway: 'complex',
};

const EVENT_MARKERS: ReadonlySet<string> = new Set<EventMarker>([
  'message',
  'timer',
  'error',
  'signal',
  'escalation',
  'conditional',
  'link',
  'compensation',
  'cancel',
  'terminate',
]);

function isEventMarker(type: string): type is EventMarker {
  return EVENT_MARKERS.has(type);
}

function loopMarkerOf(loop: Record<string, unknown>): LoopMarker | undefined {
  if (loop.type === 'standard') return 'loop';
  if (loop.type === 'multiInstance') return loop.sequential === true ? 'sequentialInstances' : 'parallelInstances';
  return undefined;
}

/** Icons of the built-in agent types; other agent types take their category's. */
const TYPE_ICONS: Readonly<Record<string, GlyphName>> = {
  'agent.llm': 'sparkles',
  'agent.tools': 'wrench',
  'agent.react': 'cycle',
  'agent.router': 'signpost',
  'agent.condition': 'branch',
  'agent.human': 'person',
  'agent.code': 'code',
  'agent.http': 'globe',
  'agent.template': 'braces',
  'agent.assign': 'assign',
  'agent.retriever': 'search',
  'agent.subflow': 'nested',
  'agent.map': 'stack',
  'agent.mcp': 'plug',
};

const CATEGORY_ICONS: Readonly<Record<string, GlyphName>> = {
  ai: 'sparkles',
  logic: 'branch',
  data: 'database',
  human: 'person',
  flow: 'play',
};

/** Tile colours: AI indigo, logic amber, data green, human pink, flow slate. */
const CATEGORY_COLORS: Readonly<Record<string, string>> = {
  ai: '#6366F1',
  logic: '#D97706',
  data: '#059669',
  human: '#DB2777',
  flow: '#64748B',
};

/** Categories nobody chose a colour for still get a stable one of these. */
const SPARE_COLORS = ['#0284C7', '#7C3AED', '#0D9488', '#EA580C', '#65A30D'] as const;
const UNKNOWN_COLOR = '#909399';

function categoryColor(category: string): string {
  const chosen = CATEGORY_COLORS[category];
  if (chosen) return chosen;
  let hash = 0;
  for (const char of category) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return SPARE_COLORS[hash % SPARE_COLORS.length] ?? UNKNOWN_COLOR;
}

function cardViewOf(nodeType: NodeType, config: unknown): NodeView {
  const roleIcon: GlyphName | undefined = nodeType.role === 'start' ? 'play' : nodeType.role === 'end' ? 'stop' : undefined;
  const icon = TYPE_ICONS[nodeType.type] ?? roleIcon ?? CATEGORY_ICONS[nodeType.category] ?? 'box';
  const summary = configSummary(nodeType.type, { ...filledDefaultsOf(nodeType), ...asRecord(config) });
  return { kind: 'card', icon, color: categoryColor(nodeType.category), ...(summary ? { summary } : {}) };
}

const filledDefaults = new WeakMap<NodeType, Record<string, unknown>>();

/**
 * The type's defaults with what its schema fills in (an LLM node's model), parsed once per type:
 * a node keeps only what was set on it, and a card should still say what the node will use.
 */
function filledDefaultsOf(nodeType: NodeType): Record<string, unknown> {
  let defaults = filledDefaults.get(nodeType);
  if (!defaults) {
    const parsed = nodeType.configSchema.safeParse(nodeType.defaults);
    defaults = asRecord(parsed.success ? parsed.data : nodeType.defaults);
    filledDefaults.set(nodeType, defaults);
  }
  return defaults;
}
