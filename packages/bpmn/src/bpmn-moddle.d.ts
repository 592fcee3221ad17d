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

  /** An element the exporter builds: its properties are checked by moddle against the descriptors. */
  export interface ModdleElement {
    readonly $type: string;
    /** Attributes outside every known package, e.g. `xmlns:` declarations. */
    readonly $attrs: Record<string, string>;
    [property: string]: unknown;
  }

  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string): Promise<FromXmlResult>;
    /** Throws when the type is unknown. */
    getType(name: string): unknown;
    create(type: string, attrs?: Record<string, unknown>): ModdleElement;
    toXML(element: ModdleElement, options?: { format?: boolean }): Promise<{ xml: string }>;
  }
}
