import { describe, expect, it } from 'vitest';
import { countKinds, kindLabel, kindPlural } from './kinds';
import type { EntitySummary } from './api/types';

describe('kinds', () => {
  it('names kinds as people write them', () => {
    expect(kindLabel('component')).toBe('Component');
    expect(kindLabel('API')).toBe('API');
    expect(kindPlural('api')).toBe('APIs');
    expect(kindPlural('airesource')).toBe('AI resources');
    expect(kindPlural('AiResource')).toBe('AI resources');
  });

  it('counts kinds in the order Backstage users expect', () => {
    const e = (kind: string) => ({ kind }) as EntitySummary;
    expect(countKinds([e('Location'), e('AiResource'), e('Component'), e('Widget'), e('component')])).toEqual([
      ['component', 2],
      ['airesource', 1],
      ['location', 1],
      ['widget', 1],
    ]);
  });
});
