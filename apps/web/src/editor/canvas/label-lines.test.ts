import { describe, expect, it } from 'vitest';
import { labelLines, textWidth } from './label-lines';

describe('labelLines', () => {
  it('keeps a name that fits on one line', () => {
    expect(labelLines('Pay out', 88, 12, 4)).toEqual(['Pay out']);
  });

  it('wraps between words, keeping the space at the end of a line so the text still reads as the name', () => {
    const lines = labelLines('Hand over to engineering lead', 88, 12, 4);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('')).toBe('Hand over to engineering lead');
    for (const line of lines) expect(textWidth(line.trimEnd(), 12)).toBeLessThanOrEqual(88);
  });

  it('breaks Chinese text between any two characters, without adding spaces', () => {
    const lines = labelLines('经理审批并通知财务部门付款', 60, 12, 4);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('')).toBe('经理审批并通知财务部门付款');
    for (const line of lines) expect(textWidth(line, 12)).toBeLessThanOrEqual(60);
  });

  it('splits a word longer than a line where the line is full', () => {
    const lines = labelLines('Supercalifragilisticexpialidocious', 60, 12, 4);
    expect(lines.join('')).toBe('Supercalifragilisticexpialidocious');
    expect(lines.length).toBeGreaterThan(1);
  });

  it('ends the last allowed line with an ellipsis when the name does not fit', () => {
    const lines = labelLines('one two three four five six seven eight nine ten', 40, 12, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/…$/);
    expect(textWidth(lines[1] ?? '', 12)).toBeLessThanOrEqual(40);
  });

  it('has no lines for an empty or blank name', () => {
    expect(labelLines('', 80, 12, 3)).toEqual([]);
    expect(labelLines('   ', 80, 12, 3)).toEqual([]);
  });
});
