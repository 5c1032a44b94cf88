import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import type { EntityDetail } from '../api/types.gen';

const fromBackstage: EntityDetail = {
  ...summary('Component', 'billing-svc-1', { type: 'service' }),
  entity: {
    metadata: {
      name: 'billing-svc-1',
      namespace: 'default',
      annotations: {
        'callboard.dev/backstage': 'https://backstage.acme.example',
        'backstage.io/source-location': 'url:https://github.com/acme/billing/tree/main/',
      },
    },
  },
  relations: [],
  source: { locationId: 'backstage-acme-example', file: 'component/default/billing-svc-1.json', line: 1, commit: 'c5a7acc97321' },
  yaml: 'apiVersion: backstage.io/v1alpha1\nkind: Component\n',
};

describe('An entity read from a Backstage', () => {
  it('links to it in that Backstage and to its source repository', async () => {
    renderApp('/catalog/component/default/billing-svc-1', new FakeTransport([], { [fromBackstage.ref]: fromBackstage }));
    const link = await screen.findByRole('link', { name: /View in Backstage/ });
    expect(link.getAttribute('href')).toBe('https://backstage.acme.example/catalog/default/component/billing-svc-1');
    expect(screen.getByRole('link', { name: /View source/ }).getAttribute('href')).toBe('https://github.com/acme/billing/tree/main/');
    expect(screen.getByText(/edit it in its source repository/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Edit/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Open in editor/ })).toBeNull();
  });
});
