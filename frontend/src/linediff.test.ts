import { describe, expect, it } from 'vitest';
import { DIFF_MAX_LINES, lineDiff } from './linediff';

describe('lineDiff', () => {
  it.each([
    ['same', 'a\nb\n', 'a\nb\n', '  a|  b'],
    ['added', 'a\nc\n', 'a\nb\nc\n', '  a|+ b|  c'],
    ['removed', 'a\nb\nc', 'a\nc', '  a|- b|  c'],
    ['changed', 'a: 1\nb: 2\n', 'a: 1\nb: 3\n', '  a: 1|- b: 2|+ b: 3'],
    ['from nothing', '', 'x', '- |+ x'],
  ])('%s', (_, a, b, want) => {
    expect(
      lineDiff(a, b)!
        .map((l) => `${l.op} ${l.text}`)
        .join('|'),
    ).toBe(want);
  });

  it('refuses texts too long to compare', () => {
    expect(lineDiff('x\n'.repeat(DIFF_MAX_LINES + 1), 'x')).toBeNull();
  });
});
