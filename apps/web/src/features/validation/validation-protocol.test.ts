// The worker's answer is validateFlow's, in the language asked for, and the same as on the page's thread.
import { createDefaultRegistry, type FlowDocument } from '@loomflow/graph-schema';
import { describe, expect, it } from 'vitest';
import { answerValidation } from './validation-protocol';
import { createInlineValidator } from './validator';

const noEnd: FlowDocument = {
  schemaVersion: 1,
  id: 'no-end',
  name: 'No end',
  kind: 'agent',
  state: { channels: [] },
  nodes: [{ id: 'start', type: 'agent.start', position: { x: 0, y: 0 }, config: {} }],
  edges: [],
};
const registry = createDefaultRegistry();

describe('answerValidation', () => {
  it('answers the request with its id and the issues validateFlow finds, in the locale asked for', async () => {
    const english = answerValidation({ id: 7, document: noEnd, locale: 'en' }, registry);
    const chinese = answerValidation({ id: 8, document: noEnd, locale: 'zh-CN' }, registry);
    expect(english).toMatchObject({ id: 7, issues: [expect.objectContaining({ code: 'missing-end' })] });
    expect(chinese).toMatchObject({ id: 8, issues: [expect.objectContaining({ code: 'missing-end' })] });
    expect(chinese.issues[0]?.message).not.toBe(english.issues[0]?.message);
    // The inline validator gives the same issues.
    expect(await createInlineValidator(registry).validate(noEnd, 'en')).toEqual(english.issues);
  });
});
