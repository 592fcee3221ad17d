// The flow document: the one JSON shape that the canvas, the server, the CLI, the BPMN mapper and
// the runtime exchange (docs/flow-document.md). Node `config` stays open here; each node type
// validates its own config against its schema in the registry.
import { z } from 'zod';
import { schemaPatterns, schemaReasonCatalog } from './schema-reasons';

export const SCHEMA_VERSION = 1;

/**
 * Node and edge ids double as BPMN element ids when a flow is exported, so they follow the XML
 * NCName rules BPMN tools enforce: a letter or underscore, then letters, digits, `_`, `-` or `.`.
 */
export const elementIdSchema = z
  .string()
  .regex(schemaPatterns['element-id'], schemaReasonCatalog['element-id'].en)
  .max(128);

/** Flow ids appear in URLs and file names. */
export const flowIdSchema = z
  .string()
  .regex(schemaPatterns['flow-id'], schemaReasonCatalog['flow-id'].en)
  .max(128);

/** Channel names are FEEL variable names and JavaScript property names at once. */
export const channelNameSchema = z
  .string()
  .regex(schemaPatterns['channel-name'], schemaReasonCatalog['channel-name'].en)
  .max(64);

export const channelTypes = ['string', 'number', 'boolean', 'object', 'array', 'messages', 'any'] as const;
export const reducers = ['replace', 'append', 'merge', 'messages', 'sum'] as const;
export const flowKinds = ['agent', 'bpmn'] as const;

export const pointSchema = z.object({ x: z.number().finite(), y: z.number().finite() });
export const sizeSchema = z.object({ width: z.number().finite().positive(), height: z.number().finite().positive() });

export const channelSchema = z.object({
  name: channelNameSchema,
  type: z.enum(channelTypes).default('any'),
  reducer: z.enum(reducers).default('replace'),
  default: z.unknown().optional(),
  description: z.string().optional(),
});

export const stateSchema = z.object({
  channels: z.array(channelSchema).default([]),
  input: z.array(channelNameSchema).optional(),
  output: z.array(channelNameSchema).optional(),
});

/** Top-left bounds, as BPMN DI writes them. */
export const boundsSchema = z.object({ x: z.number().finite(), y: z.number().finite(), width: z.number().finite().nonnegative(), height: z.number().finite().nonnegative() });

/**
 * What a node or edge imported from BPMN XML carries that Loomflow does not model, so that
 * exporting it again gives the other tool back its file: `@loomflow/bpmn` writes it, nothing else
 * reads it (but for `trigger`
 * and `label`, which the canvas draws).
 */
export const bpmnKeptSchema = z.object({
  /** The element it was imported from when that is not the one its type maps to (a complex gateway drawn as an inclusive one). */
  element: z.string().min(1).optional(),
  /** The element's unmodelled attributes and children (extension elements, io specifications, …) as bpmn-moddle writes them. */
  xml: z.string().optional(),
  /** Its DI label bounds: relative to the node's centre for a node, absolute for an edge. */
  label: boundsSchema.optional(),
  /**
   * The trigger of an event whose event definition is kept as XML rather than modelled (an
   * escalation, a message naming no message), as BPMN names it (`escalation`, `message`), so the
   * canvas can still draw its marker.
   */
  trigger: z.string().min(1).optional(),
  /** Ids the file gave elements the export makes for this one (an annotation's association, a data object). */
  ids: z.record(z.string(), elementIdSchema).optional(),
});

/** What a BPMN import keeps of the file beyond its nodes and edges (see `bpmnKeptSchema`). */
export const bpmnDocumentKeptSchema = z.object({
  /** Root elements Loomflow does not model (data stores, item definitions, other processes, …). */
  definitions: z.string().optional(),
  collaboration: z.string().optional(),
  /** Each process's id and unmodelled parts, by process id. */
  processes: z.record(z.string(), z.string()).optional(),
  /** DI of the kept elements that are drawn. */
  diagram: z.string().optional(),
});

export const flowNodeSchema = z.object({
  id: elementIdSchema,
  type: z.string().min(1),
  name: z.string().optional(),
  /** The centre of the node's shape, as LogicFlow places nodes (BPMN DI bounds are derived). */
  position: pointSchema,
  size: sizeSchema.optional(),
  /** The lane, pool or sub-process that contains this node. */
  parent: elementIdSchema.optional(),
  config: z.record(z.string(), z.unknown()).default({}),
  /**
   * The version of the node's type its config was written for (absent: 1, so documents from
   * before versions existed stay valid). `migrateFlow` brings it up to the type's current version.
   */
  typeVersion: z.number().int().positive().optional(),
  bpmn: bpmnKeptSchema.optional(),
});

export const flowEdgeSchema = z.object({
  id: elementIdSchema,
  source: elementIdSchema,
  target: elementIdSchema,
  sourcePort: z.string().min(1).optional(),
  targetPort: z.string().min(1).optional(),
  label: z.string().optional(),
  /** A FEEL expression over the state; the edge is taken when it is true. */
  condition: z.string().optional(),
  /** Taken when no conditional sibling matches. */
  isDefault: z.boolean().optional(),
  /** Bend points between the two ends; the ends themselves follow the nodes. */
  waypoints: z.array(pointSchema).optional(),
  bpmn: bpmnKeptSchema.optional(),
});

/**
 * The notes documents of schema version 1 could carry in a list of their own, never drawn. Notes
 * are nodes now (`agent.note`, `bpmn.textAnnotation`, with `annotates` for the element they
 * explain); parsing a document lifts such a list into those nodes, so nothing written before is
 * lost and every host sees one form.
 */
const legacyAnnotationSchema = z.object({
  id: elementIdSchema,
  text: z.string(),
  position: pointSchema,
  size: sizeSchema.optional(),
  attachedTo: elementIdSchema.optional(),
});

/** The node type a note takes in a flow of each kind. */
const noteNodeTypes = { agent: 'agent.note', bpmn: 'bpmn.textAnnotation' } as const satisfies Record<(typeof flowKinds)[number], string>;

export const flowDocumentSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  id: flowIdSchema,
  name: z.string().min(1).max(200),
  description: z.string().optional(),
  kind: z.enum(flowKinds),
  state: stateSchema.default({ channels: [] }),
  nodes: z.array(flowNodeSchema),
  edges: z.array(flowEdgeSchema).default([]),
  /** Read only from old documents: lifted into note nodes on parsing (above). */
  annotations: z.array(legacyAnnotationSchema).optional(),
  /** Overrides the recursion limit the compiler derives from the graph. */
  recursionLimit: z.number().int().positive().optional(),
  /** How long one run of the flow may execute, in milliseconds; a server caps it at its own maximum. */
  runTimeoutMs: z.number().int().positive().optional(),
  bpmn: bpmnDocumentKeptSchema.optional(),
}).overwrite(({ annotations, ...document }) => {
  if (!annotations) return document;
  const notes = annotations.map(({ id, text, position, size, attachedTo }) => ({
    id,
    type: noteNodeTypes[document.kind],
    position,
    ...(size ? { size } : {}),
    config: { text, ...(attachedTo ? { annotates: attachedTo } : {}) },
  }));
  return { ...document, nodes: [...document.nodes, ...notes] };
});

export type FlowKind = (typeof flowKinds)[number];
export type ChannelType = (typeof channelTypes)[number];
export type Reducer = (typeof reducers)[number];
export type Point = z.infer<typeof pointSchema>;
export type Size = z.infer<typeof sizeSchema>;
export type Channel = z.infer<typeof channelSchema>;
export type FlowState = z.infer<typeof stateSchema>;
export type FlowNode = z.infer<typeof flowNodeSchema>;
export type FlowEdge = z.infer<typeof flowEdgeSchema>;
export type Bounds = z.infer<typeof boundsSchema>;
export type BpmnKept = z.infer<typeof bpmnKeptSchema>;
export type BpmnDocumentKept = z.infer<typeof bpmnDocumentKeptSchema>;
/** A flow document after parsing: defaults filled in, old annotation lists lifted into nodes. */
export type FlowDocument = Omit<z.infer<typeof flowDocumentSchema>, 'annotations'>;
/** A flow document as written by hand or sent over the wire: defaults may be missing. */
export type FlowDocumentInput = z.input<typeof flowDocumentSchema>;
