import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { FakeTransport, renderApp } from '../test/fakes';
import { pushStateLabel } from './UpdatePush';

describe('Template update pushes in the outbox', () => {
  it('labels each state with its cause', () => {
    expect(pushStateLabel({ state: 'queued', cause: 'offline' }).label).toBe('queued: offline');
    expect(pushStateLabel({ state: 'failed', cause: 'auth' }).label).toBe('failed: auth');
    expect(pushStateLabel({ state: 'prOpen' }).label).toBe('pull request open');
    expect(pushStateLabel({ state: 'pushed' }).label).toBe('pushed');
    expect(pushStateLabel({ state: 'merged' }).label).toBe('pull request merged');
    expect(pushStateLabel({ state: 'closed' }).label).toBe('pull request closed unmerged');
  });

  it('lists a push whose credentials were refused, and one with its pull request', async () => {
    const t = new FakeTransport([], {}, [{ id: 'demo', url: '/src/demo', path: 'catalog-info.yaml', status: 'ok', entities: 3, processingErrors: 0 }]);
    t.outboxEntries = [
      { id: 'push:a', kind: 'branchPush', locationId: '', commit: 'c1', message: 'Update from template svc (1234567)', author: '', paths: ['/src/radar'], createdAt: '2026-01-01T00:00:00Z', state: 'failed', cause: 'auth', lastError: 'authentication required', lastTry: '2026-01-01T00:00:00Z', branch: 'callboard/template-update/svc' },
      { id: 'push:b', kind: 'branchPush', locationId: '', commit: 'c2', message: 'Update from template web (7654321)', author: '', paths: ['/src/site'], createdAt: '2026-01-01T00:00:00Z', state: 'prOpen', branch: 'callboard/template-update/web', review: { branch: 'callboard/template-update/web', number: 3, url: 'https://forge.example/acme/site/pull/3', state: 'open' } },
    ];
    renderApp('/locations', t);
    const [refused, open] = await screen.findAllByTestId('update-push');
    expect(within(refused!).getByText('failed: auth')).toBeTruthy();
    expect(within(refused!).getByText(/the remote refused the credentials/)).toBeTruthy();
    expect(within(open!).getByRole('link', { name: /pull request #3/ }).getAttribute('href')).toBe('https://forge.example/acme/site/pull/3');
    expect(screen.getByText('Update from template web (7654321)')).toBeTruthy();
  });
});
