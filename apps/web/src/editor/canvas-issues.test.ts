import { describe, expect, it } from 'vitest';
import { canvasElementsWithIssues } from './canvas-issues';

describe('canvasElementsWithIssues', () => {
  it('names only the elements whose issue state changed', () => {
    expect(canvasElementsWithIssues(new Set(['a', 'b']), new Set(['b', 'c']))).toEqual(['a', 'c']);
    expect(canvasElementsWithIssues(new Set(['a']), new Set(['a']))).toEqual([]);
  });
});
