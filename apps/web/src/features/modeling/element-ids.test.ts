import { describe, expect, it } from 'vitest';
import { freshId, idPrefixOf } from './element-ids';

describe('element ids', () => {
  it('numbers ids per prefix, skipping taken ones, and reserves what it hands out', () => {
    const taken = new Set(['llm_1', 'llm_3']);
    expect(freshId('llm', taken)).toBe('llm_2');
    expect(freshId('llm', taken)).toBe('llm_4');
    expect(taken.has('llm_4')).toBe(true);
  });

  it('makes a valid NCName of any prefix', () => {
    expect(freshId('1 odd/name', new Set())).toBe('_1_odd_name_1');
    expect(idPrefixOf('bpmn.userTask')).toBe('userTask');
  });
});
