import { describe, expect, it } from 'vitest';
import { isRoute, linkOf, titleOf } from './links';

interface Cases {
  open: { link: string; route: string; canonical?: string }[];
  noLink: string[];
}

// app/deeplink's table: the Go side reads each link into its route, and
// writes each route's link; the UI must write the same links.
// (Node's fs through getBuiltinModule, the URL through a variable: see
// scaffold/templates.test.tsx.)
const fs = (globalThis as unknown as { process: { getBuiltinModule(id: 'node:fs'): { readFileSync(path: string, encoding: 'utf8'): string } } }).process.getBuiltinModule('node:fs');
const here = import.meta.url;
const cases = JSON.parse(fs.readFileSync(new URL('../../app/deeplink/testdata/links.json', here).pathname, 'utf8')) as Cases;

describe('linkOf', () => {
  it.each(cases.open)('writes the link of $route', ({ link, route, canonical }) => {
    expect(linkOf(route)).toBe(canonical ?? link);
  });

  it.each(cases.noLink)('has no link for %s', (route) => {
    expect(linkOf(route)).toBeNull();
  });

  it('leaves out what a link cannot carry', () => {
    expect(linkOf('/catalog/component/default/payments?tab=overview&x=1')).toBe('callboard://entity/component:default/payments');
    expect(linkOf('/create/templates/default/go?formData=%7B%22n%22%3A1%2C%22s%22%3A%22v%22%7D')).toBe('callboard://create/template:default/go?s=v');
    expect(linkOf('/create/templates/default/go?formData=nope')).toBe('callboard://create/template:default/go');
    expect(linkOf('/search?q=a%0Ab')).toBeNull();
    expect(linkOf('/catalog/component/default/%E0%A4%A')).toBeNull();
  });
});

describe('titleOf', () => {
  it.each([
    ['/', 'Callboard'],
    ['/catalog', 'Catalog — Callboard'],
    ['/catalog/component/default/payments', 'payments — Callboard'],
    ['/catalog/api/team-a/payments', 'team-a/payments — Callboard'],
    ['/create/templates/default/go-service', 'go-service — Callboard'],
    ['/create/runs/r1', 'Template run — Callboard'],
    ['/docs/preview', 'Docs preview — Callboard'],
    ['/settings', 'Settings — Callboard'],
    ['/nowhere/at/all', 'Callboard'],
    ['/catalog/%E0%A4%A/x/y', 'Callboard'],
  ])('%s is "%s"', (path, title) => {
    expect(titleOf(path)).toBe(title);
  });
});

describe('isRoute', () => {
  it.each([
    ['/catalog/component/default/payments?tab=docs', true],
    ['/', true],
    ['//evil.example/x', false],
    ['https://evil.example/', false],
    ['javascript:alert(1)', false],
    ['/\\evil.example', false],
    ['/a\nb', false],
  ])('%s: %s', (route, ok) => {
    expect(isRoute(route)).toBe(ok);
  });
});
