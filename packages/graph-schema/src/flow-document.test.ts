import { describe, expect, it } from 'vitest';
import { flowDocumentSchema } from './flow-document';
import { validateFlow } from './validation/validate-flow';

/** A document as schema version 1 allowed it, notes in a list of their own. */
function withLegacyNotes(kind: 'agent' | 'bpmn', attachedTo: string) {
  const [start, end] = kind === 'agent' ? ['agent.start', 'agent.end'] : ['bpmn.startEvent', 'bpmn.endEvent'];
  return {
    schemaVersion: 1,
    id: 'legacy',
    name: 'Legacy',
    kind,
    nodes: [
      { id: 'begin', type: start, position: { x: 0, y: 0 }, size: { width: 36, height: 36 } },
      { id: 'finish', type: end, position: { x: 200, y: 0 }, size: { width: 36, height: 36 } },
    ],
    edges: [{ id: 'go', source: 'begin', target: 'finish' }],
    annotations: [{ id: 'why', text: 'Nothing happens here yet.', position: { x: 100, y: -80 }, size: { width: 120, height: 40 }, attachedTo }],
  };
}

describe('a document with the annotation list of schema version 1', () => {
  it.each([
    ['agent', 'agent.note'],
    ['bpmn', 'bpmn.textAnnotation'],
  ] as const)('parses a %s flow with each annotation as a %s node, keeping its text, place and target', (kind, type) => {
    const flow = flowDocumentSchema.parse(withLegacyNotes(kind, 'go'));
    expect(flow).not.toHaveProperty('annotations');
    expect(flow.nodes.at(-1)).toEqual({
      id: 'why',
      type,
      position: { x: 100, y: -80 },
      size: { width: 120, height: 40 },
      config: { text: 'Nothing happens here yet.', annotates: 'go' },
    });
    expect(validateFlow(flow)).toEqual([]);
  });

  it('reports a lifted note whose target is gone at the note', () => {
    const issues = validateFlow(withLegacyNotes('agent', 'polish'));
    expect(issues).toEqual([
      expect.objectContaining({ code: 'missing-annotation-target', nodeId: 'why', params: { annotation: 'why', target: 'polish' } }),
    ]);
  });

  it('still refuses an annotation id that a node has too', () => {
    const document = withLegacyNotes('agent', 'go');
    document.annotations = document.annotations.map((annotation) => ({ ...annotation, id: 'begin' }));
    expect(validateFlow(document).map((issue) => issue.code)).toContain('duplicate-id');
  });
});
