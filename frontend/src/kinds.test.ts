import { describe, expect, it } from 'vitest';
import { kindLabel, kindPlural, sortKinds } from './kinds';

describe('kinds', () => {
  it('names kinds as people write them', () => {
    expect(kindLabel('component')).toBe('Component');
    expect(kindLabel('API')).toBe('API');
    expect(kindPlural('api')).toBe('APIs');
    expect(kindPlural('airesource')).toBe('AI resources');
    expect(kindPlural('AiResource')).toBe('AI resources');
  });

  it('orders kinds as Backstage users expect', () => {
    const c = (value: string) => ({ value, count: 1 });
    expect(sortKinds([c('location'), c('airesource'), c('widget'), c('component')]).map((k) => k.value)).toEqual([
      'component',
      'airesource',
      'location',
      'widget',
    ]);
  });
});
