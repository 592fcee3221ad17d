// One bpmn-moddle set-up for reading and writing: the BPMN 2.0 packages, Camunda 8's `zeebe:`
// package and Loomflow's own, so extension elements the export writes are typed when read back.
import { BpmnModdle, type ModdleElement, type ModdlePropertyDescriptor } from 'bpmn-moddle';
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { loomflowDescriptor } from './export/loomflow-extension';

let shared: BpmnModdle | undefined;

/**
 * The one instance every import and export uses. A moddle holds no state of a document, only its
 * packages and a constructor per element type, built on first use; a fresh instance per call
 * built them all again and gave V8 new shapes to learn on every file (a fifth of an export's time
 * on generated diagrams of 1,000–4,000 elements).
 */
export function bpmnModdle(): BpmnModdle {
  shared ??= new BpmnModdle({ zeebe: zeebeDescriptor, loomflow: loomflowDescriptor });
  return shared;
}

/** A moddle element type: its prototype carries the descriptor, the model and `$instanceOf`. */
interface ModdleType {
  readonly prototype: object;
  readonly $descriptor: { readonly ns: { readonly name: string }; readonly propertiesByName: Readonly<Record<string, ModdlePropertyDescriptor>> };
}

interface ElementKind {
  readonly prototype: object;
  readonly propertiesByName: Readonly<Record<string, ModdlePropertyDescriptor>>;
}

const kinds = new Map<string, ElementKind>();

function kindOf(type: string): ElementKind {
  let kind = kinds.get(type);
  if (!kind) {
    // Throws for an unknown type, as `create` does.
    const moddleType = bpmnModdle().getType(type) as ModdleType;
    const { ns, propertiesByName } = moddleType.$descriptor;
    const prototype = Object.create(moddleType.prototype, { $type: { value: ns.name, enumerable: true }, $parent: { value: undefined, writable: true } }) as object;
    kind = { prototype, propertiesByName };
    kinds.set(type, kind);
  }
  return kind;
}

/**
 * What `bpmnModdle().create(type, properties)` makes, for the export, which makes one per node,
 * edge, shape, bound and waypoint. Moddle's constructor gives every element its own getter
 * closures for `$type`, `$attrs` and `$parent` and sets each property through several descriptor
 * lookups; that was most of an export's own time. Here `$type` and the unset `$parent` come from a
 * prototype made once per type and each property is looked up once, then stored as moddle
 * stores it: references (`sourceRef`, `bpmnElement`) not enumerable, names outside the type's
 * packages in `$attrs`, undefined values left out. The element is an instance of the moddle type,
 * so its descriptor, `$instanceOf` and serialisation are moddle's own.
 */
export function createElement(type: string, properties: Readonly<Record<string, unknown>> = {}): ModdleElement {
  const { prototype, propertiesByName } = kindOf(type);
  const element = Object.create(prototype) as Record<string, unknown> & ModdleElement;
  Object.defineProperty(element, '$attrs', { value: {} });
  for (const key of Object.keys(properties)) {
    const value = properties[key];
    if (value === undefined) continue;
    const property = propertiesByName[key];
    if (!property) element.$attrs[key.replace(/^:/, '')] = value as string;
    else if (property.isReference && !(property.name in element)) Object.defineProperty(element, property.name, { value, writable: true, configurable: true });
    else element[property.name] = value;
  }
  return element;
}
