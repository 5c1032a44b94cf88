import { describe, expect, it } from 'vitest';
import { encodeQuery, pathSegment } from './wire';
import { PortalError } from './transport';

/** p's pairs sorted, as Go's url.Values.Encode writes them. */
function sorted(p: URLSearchParams): string {
  return [...p]
    .map(([k, v]) => new URLSearchParams([[k, v]]).toString())
    .sort()
    .join('&');
}

// The same cases as app/wire's TestEncodeQuery, so both sides write one query.
describe('encodeQuery', () => {
  it.each([
    {
      name: 'struct',
      param: '',
      value: { text: 'pay ments', kinds: ['api', 'component'], filters: { 'spec.type': 'service', empty: '' }, facets: { tag: ['a', 'b'] }, starred: true, mode: 'out', score: 0.5, small: 7, NoTag: 'y', limit: 5 },
      want: 'NoTag=y&facets.tag=a&facets.tag=b&filters.empty=&filters.spec.type=service&kinds=api&kinds=component&limit=5&mode=out&score=0.5&small=7&starred=true&text=pay+ments',
    },
    { name: 'zero struct', param: '', value: { text: '', kinds: [], starred: false, limit: 0 }, want: '' },
    { name: 'scalar', param: 'limit', value: 20, want: 'limit=20' },
    { name: 'zero scalar', param: 'limit', value: 0, want: '' },
    { name: 'ref', param: 'ref', value: 'component:default/a', want: 'ref=component%3Adefault%2Fa' },
    { name: 'list', param: 'names', value: ['sync:done', ''], want: 'names=&names=sync%3Adone' },
    { name: 'nil', param: 'x', value: undefined, want: '' },
  ])('writes a $name as Go does', ({ param, value, want }) => {
    const p = new URLSearchParams();
    encodeQuery(p, param, value);
    expect(sorted(p)).toBe(want);
  });

  it('refuses what Go would refuse', () => {
    expect(() => encodeQuery(new URLSearchParams(), '', 3)).toThrow();
    expect(() => encodeQuery(new URLSearchParams(), 'p', [['a']])).toThrow();
    expect(() => encodeQuery(new URLSearchParams(), 'p', { a: { b: 'c' } })).toThrow();
  });
});

describe('pathSegment', () => {
  it('escapes a whole ref into one segment', () => {
    expect(pathSegment('ref', 'component:default/pet store')).toBe('component%3Adefault%2Fpet%20store');
  });

  it('refuses an empty one as invalid', () => {
    let err: unknown;
    try {
      pathSegment('ref', '');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PortalError);
    expect((err as PortalError).code).toBe('invalid');
  });
});
