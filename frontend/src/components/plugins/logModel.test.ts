import { describe, expect, it } from 'vitest';
import { highlight, matching, sectionsOf } from './logModel';

describe('log search', () => {
  it('finds lines case-insensitively', () => {
    expect(matching(['ok', '--- FAIL: TestCharge', 'fail again', ''], 'fail')).toEqual([1, 2]);
    expect(matching(['anything'], '')).toEqual([]);
  });

  it('cuts a line into plain and matching parts', () => {
    expect(highlight('Fail, fail, pass', 'fail')).toEqual([
      { text: 'Fail', match: true },
      { text: ', ', match: false },
      { text: 'fail', match: true },
      { text: ', pass', match: false },
    ]);
    expect(highlight('', 'x')).toEqual([{ text: '', match: false }]);
  });

  it('checks what a plugin sent', () => {
    expect(sectionsOf([{ title: 'Build', lines: ['a', 3], open: true, status: 'STATUS_ERROR' }, null, 'x'])).toEqual([
      { title: 'Build', lines: ['a', ''], open: true, status: 'STATUS_ERROR', duration: '' },
    ]);
    expect(sectionsOf(undefined)).toEqual([]);
  });
});
