// bpmn-moddle 10 types its elements (under `bpmn-moddle/types`) but not the BpmnModdle class its
// main entry exports; this declares the part of that class Loomflow uses.
declare module 'bpmn-moddle' {
  import type { BpmnDefinitions } from 'bpmn-moddle/types';

  export interface ModdleWarning {
    message: string;
  }

  export interface FromXmlResult {
    rootElement: BpmnDefinitions & { $type: 'bpmn:Definitions' };
    elementsById: Record<string, { $type: string }>;
    warnings: ModdleWarning[];
  }

  /** A reference by id the reader met: `property` is namespaced (`bpmn:sourceRef`). */
  export interface ModdleReference {
    element: ModdleElement;
    property: string;
    id: string;
  }

  /** Reading a fragment whose root is an element of a given type, e.g. a kept `bpmn:Task`. */
  export interface FromXmlFragmentResult {
    rootElement: ModdleElement;
    elementsById: Record<string, ModdleElement>;
    references: ModdleReference[];
    warnings: ModdleWarning[];
  }

  export interface ModdlePropertyDescriptor {
    name: string;
    ns: { name: string; prefix: string; localName: string };
    isMany?: boolean;
    isReference?: boolean;
    isAttr?: boolean;
    type: string;
  }

  /** An element the exporter builds: its properties are checked by moddle against the descriptors. */
  export interface ModdleElement {
    readonly $type: string;
    /** Attributes outside every known package, e.g. `xmlns:` declarations. */
    readonly $attrs: Record<string, string>;
    /** Whether the element is of this type or a subtype (`bpmn:Transaction` is a `bpmn:SubProcess`). */
    $instanceOf(type: string): boolean;
    [property: string]: unknown;
  }

  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string): Promise<FromXmlResult>;
    fromXML(xml: string, typeName: string): Promise<FromXmlFragmentResult>;
    getElementDescriptor(type: unknown): { propertiesByName: Record<string, ModdlePropertyDescriptor>; properties: ModdlePropertyDescriptor[] };
    /** Throws when the type is unknown. */
    getType(name: string): unknown;
    create(type: string, attrs?: Record<string, unknown>): ModdleElement;
    toXML(element: ModdleElement, options?: { format?: boolean }): Promise<{ xml: string }>;
  }
}
