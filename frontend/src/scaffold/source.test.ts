import { describe, expect, it } from 'vitest';
import { PortalClient } from '../api/client';
import { transportOf } from '../test/transport';
import type { EntityList, EntityQuery, EntitySummary, UserState } from '../api/types.gen';
import { displayEntityRef, humanizeEntityRef, normalizeRef, parseEntityRef, stringifyEntityRef } from './refs';
import { catalogSourceFromClient } from './source';

const summary = (kind: string, name: string, extra: Partial<EntitySummary> = {}): EntitySummary => ({
  ref: `${kind.toLowerCase()}:default/${name}`,
  kind,
  namespace: 'default',
  name,
  tags: [],
  ...extra,
});

/** A transport answering listEntities and userState only: what the source uses. */
function client(items: EntitySummary[], identity: UserState['identity'] = { groups: [] }) {
  const queries: EntityQuery[] = [];
  const transport = transportOf({
    async listEntities(q: EntityQuery): Promise<EntityList> {
      queries.push(q);
      return { items, total: items.length, facets: { tag: [{ value: 'go', count: 3 }] } };
    },
    async userState(): Promise<UserState> {
      return { identity, starred: [], recent: [] };
    },
  });
  return { client: new PortalClient(transport), queries };
}

describe('catalogSourceFromClient', () => {
  it('asks the listing for filters it has facets for, owners and systems as full refs', async () => {
    const { client: c, queries } = client([summary('Component', 'b', { title: 'Beta' }), summary('Component', 'a')]);
    const out = await catalogSourceFromClient(c).entities({
      filter: { kind: ['Component'], 'spec.type': 'service', 'spec.owner': 'team-a', 'spec.system': 'billing' },
      text: 'pay',
      limit: 10,
    });
    expect(queries).toEqual([
      {
        text: 'pay',
        sort: 'name',
        limit: 10,
        facets: { kind: ['Component'], type: ['service'], owner: ['group:default/team-a'], system: ['system:default/billing'] },
      },
    ]);
    expect(out.map((e) => e.ref)).toEqual(['component:default/a', 'component:default/b']);
  });

  it('sends other paths as filters, one query per alternative, and checks facets on what comes back', async () => {
    const items = [summary('Component', 'svc', { owner: 'group:default/a' }), summary('API', 'api', { owner: 'group:default/a' })];
    const { client: c, queries } = client(items, { groups: ['group:default/a'] });
    const out = await catalogSourceFromClient(c).entities({ filter: { kind: 'component', 'metadata.annotations.x': ['1', '2'] }, mine: true });
    expect(queries.map((q) => [q.kind, q.filters])).toEqual([
      ['component', { 'metadata.annotations.x': '1' }],
      ['component', { 'metadata.annotations.x': '2' }],
    ]);
    expect(out.map((e) => e.ref)).toEqual(['component:default/svc']);
  });

  it('merges the answers of alternative filters', async () => {
    const { client: c, queries } = client([summary('Group', 'g'), summary('User', 'u')]);
    const out = await catalogSourceFromClient(c).entities({ filter: [{ kind: 'Group' }, { kind: 'User' }] });
    expect(queries.map((q) => q.facets)).toEqual([{ kind: ['Group'] }, { kind: ['User'] }]);
    expect(out.map((e) => e.ref)).toEqual(['group:default/g', 'user:default/u']);
  });

  it('answers identity, tags and, given one, the folder picker', async () => {
    const { client: c, queries } = client([], { userRef: 'user:default/ada', groups: ['group:default/a'] });
    const pick = async () => '/tmp';
    const source = catalogSourceFromClient(c, { pickFolder: pick });
    expect(await source.identity()).toEqual({ userRef: 'user:default/ada', groups: ['group:default/a'] });
    expect(await source.tags(['Component'])).toEqual([{ tag: 'go', count: 3 }]);
    expect(queries.at(-1)).toEqual({ facets: { kind: ['Component'] }, limit: 1 });
    expect(source.pickFolder).toBe(pick);
    expect(catalogSourceFromClient(c).pickFolder).toBeUndefined();
  });
});

describe('entity refs', () => {
  it('parse and print as catalog-model does', () => {
    expect(parseEntityRef('component:ns/name')).toEqual({ kind: 'component', namespace: 'ns', name: 'name' });
    expect(parseEntityRef('name', { defaultKind: 'Group' })).toEqual({ kind: 'Group', namespace: 'default', name: 'name' });
    expect(parseEntityRef('ns/name', { defaultKind: 'Group', defaultNamespace: 'x' })).toEqual({ kind: 'Group', namespace: 'ns', name: 'name' });
    expect(parseEntityRef('name')).toBeNull();
    expect(parseEntityRef('kind:')).toBeNull();
    expect(stringifyEntityRef({ kind: 'Group', namespace: 'Default', name: 'Team' })).toBe('group:default/team');
    expect(normalizeRef(' team-a ', { defaultKind: 'Group' })).toBe('group:default/team-a');
    expect(normalizeRef('plain', {})).toBe('plain');
  });

  it('humanize as catalog-react does', () => {
    const ref = { kind: 'Group', namespace: 'default', name: 'team' };
    expect(humanizeEntityRef(ref)).toBe('group:team');
    expect(humanizeEntityRef(ref, { defaultKind: 'group' })).toBe('team');
    expect(humanizeEntityRef({ ...ref, namespace: 'ops' }, { defaultKind: 'Group' })).toBe('ops/team');
    expect(humanizeEntityRef({ ...ref, namespace: 'ops' }, { defaultNamespace: 'ops' })).toBe('group:team');
    expect(humanizeEntityRef(ref, { defaultNamespace: 'ops' })).toBe('group:default/team');
    expect(displayEntityRef('not a ref')).toBe('not a ref');
  });
});
