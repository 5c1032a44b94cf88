import { afterEach, describe, expect, it } from 'vitest';
import { act, screen, waitFor } from '@testing-library/react';
import type { TemplateDetail } from '../api/types.gen';
import { FakeTransport, renderApp, summary } from '../test/fakes';

const ref = 'template:default/go-service';
const detail: TemplateDetail = {
  ref,
  title: 'Go service',
  description: 'A Go HTTP service',
  workspace: '/home/ada/src',
  parameters: [{ title: 'About', properties: { name: { title: 'Name', type: 'string' }, owner: { title: 'Owner', type: 'string' } } }],
  steps: [],
  trustedHosts: [],
  fetches: [],
};

/** The portal of the browser, or, with onRoute and setTitle, of the window. */
function portal() {
  const t = new FakeTransport([summary('Template', 'go-service')], {});
  t.templates[ref] = detail;
  return t;
}

class WindowTransport extends FakeTransport {
  titles: string[] = [];
  send: ((route: string) => void) | undefined;
  setTitle(title: string) {
    this.titles.push(title);
  }
  subscriptions = 0;
  onRoute(cb: (route: string) => void) {
    this.subscriptions++;
    this.send = cb;
    return () => {
      this.send = undefined;
    };
  }
}

afterEach(() => {
  document.title = '';
});

describe('a callboard://create link', () => {
  it('prefills the form with its values, and the browser page offers its link', async () => {
    const formData = encodeURIComponent(JSON.stringify({ name: 'ferry-radar', owner: 'team-a' }));
    renderApp(`/create/templates/default/go-service?formData=${formData}`, portal());
    expect((await screen.findByRole<HTMLInputElement>('textbox', { name: /Name/ })).value).toBe('ferry-radar');
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: /Owner/ }).value).toBe('team-a');
    const open = screen.getByRole('link', { name: /Open in Callboard/ });
    expect(open.getAttribute('href')).toBe('callboard://create/template:default/go-service?name=ferry-radar&owner=team-a');
    expect(document.title).toBe('go-service — Callboard');
  });

  it('leaves the form as it is when formData is not an object', async () => {
    renderApp('/create/templates/default/go-service?formData=%5B1%5D', portal());
    expect((await screen.findByRole<HTMLInputElement>('textbox', { name: /Name/ })).value).toBe('');
  });
});

describe('the window', () => {
  it('goes where a link sends it, names itself after the page, and offers no link to itself', async () => {
    const t = new WindowTransport([], {});
    t.templates[ref] = detail;
    renderApp('/', t);
    await waitFor(() => expect(t.titles.at(-1)).toBe('Callboard'));
    expect(t.send).toBeDefined();
    act(() => t.send?.('/create/templates/default/go-service'));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/create/templates/default/go-service'));
    await waitFor(() => expect(t.titles.at(-1)).toBe('go-service — Callboard'));
    expect(await screen.findByRole('textbox', { name: /Name/ })).toBeTruthy();
    expect(screen.queryByRole('link', { name: /Open in Callboard/ })).toBeNull();
    // Followed once for the window's life, not again at each page: a new
    // subscription would take (and a dropped one lose) a waiting route.
    act(() => t.send?.('/catalog'));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/catalog'));
    expect(t.subscriptions).toBe(1);
  });

  it('refuses what is not a route of its own', async () => {
    const t = new WindowTransport([], {});
    renderApp('/', t);
    await waitFor(() => expect(t.send).toBeDefined());
    for (const bad of ['//evil.example/x', 'https://evil.example/', 'javascript:alert(1)']) act(() => t.send?.(bad));
    expect(screen.getByTestId('location').textContent).toBe('/');
  });
});
