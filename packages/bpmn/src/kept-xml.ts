// What an import does not model is kept as XML: the element with only its unmodelled attributes
// and children, serialised by bpmn-moddle, so that an export writes it back into the same element.
// References from kept parts to other elements (a data association's target, a data store) are
// written as ids and resolved again against the whole exported model.
import type { BpmnModdle, ModdleElement, ModdleReference } from 'bpmn-moddle';

/** Keys of a moddle element that are bookkeeping, not BPMN properties. */
const isBookkeeping = (key: string): boolean => key.startsWith('$');

export interface KeepOptions {
  /** Properties that are only partly modelled, with their kept part (the kept extension elements, flow elements). */
  readonly overrides?: Readonly<Record<string, unknown>>;
  /** Keep the element's id even when nothing else is left (a process, whose id the export would otherwise make up). */
  readonly keepId?: boolean;
  /** Keep attributes outside the BPMN packages (`camunda:asyncBefore`); the definitions' own are the export's. */
  readonly keepAttrs?: boolean;
}

export interface Kept {
  /** The element with only its kept properties, or `undefined` when nothing is left. */
  readonly xml: string | undefined;
  /** The ids of the elements inside the kept part. */
  readonly ids: readonly string[];
}

/** The element's unmodelled part: a copy of it with only what is kept, and the ids inside that. */
export interface KeptPart {
  readonly element: ModdleElement;
  readonly ids: readonly string[];
}

/** The element's unmodelled part, its properties but those in `modelled`; `undefined` when nothing is left. */
export function keptPart(moddle: BpmnModdle, element: ModdleElement, modelled: ReadonlySet<string>, options: KeepOptions = {}): KeptPart | undefined {
  const overrides = options.overrides ?? {};
  const kept: Record<string, unknown> = {};
  // Keys first, values only of what is kept: reading every value (Object.entries) calls the
  // getters moddle defines for `$type` and friends, and was most of an import's own time.
  for (const key of Object.keys(element)) {
    if (key === 'id' || isBookkeeping(key) || modelled.has(key) || Object.hasOwn(overrides, key)) continue;
    kept[key] = element[key];
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) kept[key] = value;
  }
  const attrs = options.keepAttrs === false ? [] : Object.entries(element.$attrs).filter(([name]) => !name.startsWith('xmlns'));
  if (Object.keys(kept).length === 0 && attrs.length === 0 && !options.keepId) return undefined;
  const copy = moddle.create(element.$type, { ...(typeof element.id === 'string' ? { id: element.id } : {}), ...kept });
  for (const [name, value] of attrs) copy.$attrs[name] = value;
  const byId = new Map<string, ModdleElement>();
  collectIds(Object.values(kept), byId, new Set());
  return { element: copy, ids: [...byId.keys()] };
}

/**
 * The element's unmodelled part as XML (see `keptPart`). `namespaces` are the file's `xmlns:`
 * declarations, which unknown attributes need to be written.
 */
export async function keptXml(
  moddle: BpmnModdle,
  element: ModdleElement,
  modelled: ReadonlySet<string>,
  namespaces: Readonly<Record<string, string>>,
  options: KeepOptions = {},
): Promise<Kept> {
  const part = keptPart(moddle, element, modelled, options);
  return part ? { xml: await serialise(moddle, part.element, namespaces), ids: part.ids } : { xml: undefined, ids: [] };
}

/**
 * An element as XML without the XML declaration. Attributes of unknown packages
 * (`triso:defaultBounds`) are written only when their prefix is declared, so the root declares
 * every prefix used anywhere below it, from the file's own declarations.
 */
export async function serialise(moddle: BpmnModdle, element: ModdleElement, namespaces: Readonly<Record<string, string>>): Promise<string> {
  const prefixes = new Set<string>();
  const visit = (value: unknown, seen: Set<unknown>): void => {
    if (!value || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) return value.forEach((item) => visit(item, seen));
    const attrs = (value as { $attrs?: Record<string, string> }).$attrs ?? {};
    for (const name of Object.keys(attrs)) if (name.includes(':') && !name.startsWith('xmlns')) prefixes.add(name.slice(0, name.indexOf(':')));
    const properties = (value as { $descriptor?: { propertiesByName?: Record<string, { isReference?: boolean }> } }).$descriptor?.propertiesByName ?? {};
    for (const [key, child] of Object.entries(value)) if (!isBookkeeping(key) && !properties[key]?.isReference) visit(child, seen);
  };
  visit(element, new Set());
  for (const prefix of prefixes) {
    const uri = namespaces[prefix];
    if (uri && element.$attrs[`xmlns:${prefix}`] === undefined) element.$attrs[`xmlns:${prefix}`] = uri;
  }
  const { xml } = await moddle.toXML(element);
  return xml.replace(/^<\?xml[^>]*\?>\s*/, '');
}

/** The kept parts written back into an export, and the references they still have to find. */
export class KeptRestorer {
  readonly #pending: ModdleReference[] = [];
  /** `xmlns:` declarations the kept attributes need, for the definitions element. */
  readonly namespaces: Record<string, string> = {};
  readonly warnings: string[] = [];

  constructor(private readonly moddle: BpmnModdle) {}

  /** Parses kept XML whose root is an element of `type`. */
  async parse(xml: string, type: string): Promise<ModdleElement> {
    const { rootElement, elementsById, references } = await this.moddle.fromXML(xml, type);
    for (const [name, value] of Object.entries(rootElement.$attrs)) if (name.startsWith('xmlns:')) this.namespaces[name] = value;
    // References inside the fragment are resolved by the reader; the others wait for the whole model.
    this.#pending.push(...references.filter((reference) => !(reference.id in elementsById)));
    return rootElement;
  }

  /**
   * Writes the kept part of an element back into the element the export made. Callers skip it for
   * elements nothing was kept of (most of them): awaiting it for every element of a large diagram
   * cost a promise and a turn of the microtask queue each.
   */
  async restore(element: ModdleElement, xml: string): Promise<void> {
    const kept = await this.parse(xml, element.$type);
    for (const [key, value] of Object.entries(kept)) {
      if (isBookkeeping(key) || key === 'id') continue;
      const current = element[key];
      if (key === 'extensionElements' && current) {
        (current as ModdleElement).values = [...(((current as ModdleElement).values as unknown[] | undefined) ?? []), ...(((value as ModdleElement).values as unknown[] | undefined) ?? [])];
      } else if (Array.isArray(value) && Array.isArray(current)) {
        current.push(...(value as unknown[]));
      } else {
        element[key] = value;
      }
    }
    this.#pending.forEach((reference) => {
      if (reference.element === kept) reference.element = element;
    });
    for (const [name, value] of Object.entries(kept.$attrs)) if (!name.startsWith('xmlns')) element.$attrs[name] = value;
  }

  /** Resolves the kept references against every element of the finished model, by id. */
  resolve(root: ModdleElement): void {
    // Indexing the whole model costs as much as a third of an export of a large diagram; most
    // exports keep no reference to resolve.
    if (this.#pending.length === 0) return;
    const byId = new Map<string, ModdleElement>();
    collectIds(root, byId, new Set());
    for (const { element, property, id } of this.#pending) {
      const target = byId.get(id);
      const name = property.includes(':') ? property.slice(property.indexOf(':') + 1) : property;
      if (!target) {
        this.warnings.push(`${String(element.id ?? element.$type)}: kept reference to "${id}" (${name}) names no element of the export; left out`);
        continue;
      }
      const descriptor = this.moddle.getElementDescriptor(this.moddle.getType(element.$type)).propertiesByName[name];
      if (descriptor?.isMany) element[name] = [...((element[name] as unknown[] | undefined) ?? []), target];
      else element[name] = target;
    }
    this.#pending.length = 0;
  }
}

/** Every element with an id inside `value`, following containment, not references. */
export function collectIds(value: unknown, byId: Map<string, ModdleElement>, seen: Set<unknown>): void {
  if (!value || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((item) => collectIds(item, byId, seen));
    return;
  }
  if (!('$type' in value)) return;
  const element = value as ModdleElement;
  if (typeof element.id === 'string' && !byId.has(element.id)) byId.set(element.id, element);
  const properties = (element as { $descriptor?: { propertiesByName?: Record<string, { isReference?: boolean }> } }).$descriptor?.propertiesByName ?? {};
  for (const [key, child] of Object.entries(element)) {
    if (!isBookkeeping(key) && !properties[key]?.isReference) collectIds(child, byId, seen);
  }
}
