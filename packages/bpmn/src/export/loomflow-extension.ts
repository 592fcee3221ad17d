// The `loomflow:` namespace: what a flow holds that neither BPMN nor Camunda 8 can say (a node's
// whole config, the flow's state channels and limits). It is declared as a moddle package so the
// XML is namespaced and valid, and other tools keep it as an unknown extension element.
export const LOOMFLOW_NAMESPACE = 'https://loomflow.dev/schema/bpmn/1';

export const loomflowDescriptor = {
  name: 'Loomflow',
  prefix: 'loomflow',
  uri: LOOMFLOW_NAMESPACE,
  xml: { tagAlias: 'lowerCase' },
  associations: [],
  types: [
    {
      name: 'Config',
      superClass: ['Element'],
      properties: [
        { name: 'nodeType', isAttr: true, type: 'String' },
        { name: 'typeVersion', isAttr: true, type: 'Integer' },
        /** The node's config as JSON, so an import gets back exactly what was drawn. */
        { name: 'body', isBody: true, type: 'String' },
      ],
    },
    {
      name: 'Flow',
      superClass: ['Element'],
      properties: [
        { name: 'flowId', isAttr: true, type: 'String' },
        { name: 'schemaVersion', isAttr: true, type: 'Integer' },
        /** The flow's state, recursion limit and run timeout as JSON. */
        { name: 'body', isBody: true, type: 'String' },
      ],
    },
  ],
} as const;
