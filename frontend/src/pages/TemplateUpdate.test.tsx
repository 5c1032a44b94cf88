import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { TemplateUpdatePreview, TemplateUpdateSummary } from '../api/types.gen';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import { markConflicts } from './TemplateUpdate';

const update: TemplateUpdateSummary = {
  dir: '/src/radar',
  template: 'template:default/go-service',
  title: 'Go service',
  entityRef: 'component:default/radar',
  from: '1111111111111111111111111111111111111111',
  to: '2222222222222222222222222222222222222222',
  available: true,
  commits: [
    { hash: '2222222222222222222222222222222222222222', subject: 'go-service: run the linter in CI', author: 'Grace', date: '2026-02-01T10:00:00Z' },
    { hash: '3333333333333333333333333333333333333333', subject: 'go-service: Go 1.26', author: 'Ada', date: '2026-01-20T10:00:00Z' },
  ],
};

const preview: TemplateUpdatePreview = {
  ...update,
  files: [
    { path: 'Makefile', action: 'update', old: 'run:\n', new: 'run:\nlint:\n', current: 'run:\n', merged: 'run:\nlint:\n' },
    {
      path: 'README.md',
      action: 'conflict',
      conflicts: 1,
      old: '# radar\n',
      new: '# radar service\n',
      current: '# radar, by us\n',
      merged: '<<<<<<< project\n# radar, by us\n=======\n# radar service\n>>>>>>> template\n',
    },
    { path: 'docs/new.md', from: 'docs/old.md', action: 'rename', old: 'a\n', new: 'a\nb\n', current: 'a\n', merged: 'a\nb\n' },
  ],
  conflicts: 1,
  asked: [{ name: 'license', title: 'License', value: 'MIT' }],
  dropped: ['legacy'],
  askAgain: ['token'],
  branch: 'callboard/template-update/22222222',
};

function portal() {
  const t = new FakeTransport([summary('Component', 'radar'), summary('Template', 'go-service')]);
  t.templateUpdateList = [update];
  t.updatePreview = preview;
  return t;
}

describe('Template updates', () => {
  it('marks the sides of a conflict in the merged text', () => {
    expect(markConflicts('a\n<<<<<<< project\nmine\n=======\ntheirs\n>>>>>>> template\nb').map((l) => l.kind)).toEqual(['plain', 'marker', 'ours', 'marker', 'theirs', 'marker', 'plain']);
  });

  it('says an update is available on the Create page, with the template commits since', async () => {
    renderApp('/create', portal());
    const banner = await screen.findByTestId('template-update');
    expect(within(banner).getByText('Template update available')).toBeTruthy();
    expect(within(banner).getByText(/run the linter in CI/)).toBeTruthy();
    expect(within(banner).getByRole('link', { name: 'Preview update' }).getAttribute('href')).toBe('/create/update?dir=%2Fsrc%2Fradar');
  });

  it("shows the state of the update's pull request where the update is offered", async () => {
    const t = portal();
    t.templateUpdateList = [
      {
        ...update,
        push: {
          id: 'p1',
          dir: '/src/radar',
          branch: 'callboard/template-update/22222222',
          commit: 'c1',
          remoteBranch: 'callboard/template-update/go-service',
          templateCommit: update.to,
          pullRequest: true,
          title: 'Update from template go-service (2222222)',
          state: 'prOpen',
          review: { branch: 'callboard/template-update/go-service', number: 4, url: 'https://forge.example/acme/radar/pull/4', state: 'open' },
          createdAt: '2026-02-02T00:00:00Z',
        },
      },
    ];
    renderApp('/create', t);
    const push = await screen.findByTestId('template-update-push');
    expect(within(push).getByText('This update was pushed:')).toBeTruthy();
    expect(within(push).getByText('pull request open')).toBeTruthy();
    expect(within(push).getByRole('link', { name: /pull request #4/ }).getAttribute('href')).toBe('https://forge.example/acme/radar/pull/4');
  });

  it('previews the three sides and the merge of each file, conflicts first, and applies it on its branch', async () => {
    const t = portal();
    renderApp('/create/update?dir=%2Fsrc%2Fradar', t);
    const page = await screen.findByTestId('template-update-page');
    expect(within(page).getByRole('heading', { name: 'Update from Go service' })).toBeTruthy();
    expect(t.updateRequests).toEqual([{ dir: '/src/radar' }]);
    // The conflict is shown first: project and template sides marked.
    const panes = screen.getByTestId('update-panes');
    expect(within(panes).getByText('Template as it was')).toBeTruthy();
    expect(within(panes).getByText('# radar, by us', { selector: '.merge-ours' })).toBeTruthy();
    expect(within(panes).getByText('# radar service', { selector: '.merge-theirs' })).toBeTruthy();
    expect(screen.getByText('"MIT"')).toBeTruthy();
    expect(screen.getByText(/The template no longer asks/)).toBeTruthy();
    expect(screen.getByText('docs/old.md → docs/new.md')).toBeTruthy();

    await userEvent.click(screen.getByRole('option', { name: /Makefile/ }));
    expect(within(screen.getByTestId('update-panes')).getAllByText(/lint:/).length).toBeGreaterThan(0);

    await userEvent.type(screen.getByLabelText(/token/), 's3cret');
    await userEvent.click(screen.getByRole('button', { name: /Apply on branch callboard\/template-update\/22222222/ }));
    const done = await screen.findByTestId('update-applied');
    expect(done.textContent).toContain('callboard/template-update/22222222');
    expect(done.textContent).toContain('1 conflicts marked');
    expect(t.updateRequests.at(-1)).toEqual({ dir: '/src/radar', secrets: { token: 's3cret' } });
  });

  it('opens a pull request from the applied update, offered first, and shows its link', async () => {
    const t = portal();
    renderApp('/create/update?dir=%2Fsrc%2Fradar', t);
    await userEvent.click(await screen.findByRole('button', { name: /Apply on branch/ }));
    await screen.findByTestId('update-applied');
    const buttons = screen.getAllByRole('button').map((b) => b.textContent?.trim());
    expect(buttons.indexOf('Open pull request')).toBeLessThan(buttons.indexOf('Push branch'));
    await userEvent.click(screen.getByRole('button', { name: 'Open pull request' }));
    const status = await screen.findByTestId('update-push');
    expect(t.pushRequests).toEqual([{ dir: '/src/radar', branch: 'callboard/template-update/22222222', pullRequest: true }]);
    expect(within(status).getByText('pull request open')).toBeTruthy();
    expect(within(status).getByRole('link', { name: /pull request #7/ }).getAttribute('href')).toBe('https://forge.example/acme/radar/pull/7');
  });

  it('shows an earlier push that waits for the network, and one refused', async () => {
    const t = portal();
    t.updatePushes = [
      { id: 'a', dir: '/src/radar', branch: 'callboard/template-update/1111', commit: 'c1', remoteBranch: 'callboard/template-update/go-service', pullRequest: true, title: 'Update', state: 'queued', cause: 'offline', lastError: 'dial tcp: connection refused', createdAt: '2026-02-01T10:00:00Z' },
      { id: 'b', dir: '/src/radar', branch: 'callboard/template-update/2222', commit: 'c2', remoteBranch: 'callboard/template-update/other', pullRequest: false, title: 'Update', state: 'failed', cause: 'nonFastForward', lastError: 'the remote branch moved', createdAt: '2026-02-01T10:00:00Z' },
    ];
    renderApp('/create/update?dir=%2Fsrc%2Fradar', t);
    const [queued, failed] = await screen.findAllByTestId('update-push');
    expect(within(queued!).getByText('queued: offline')).toBeTruthy();
    expect(within(queued!).getByText(/tried again at the next sync/)).toBeTruthy();
    expect(within(failed!).getByText('failed: not a fast-forward')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Push branch' })).toBeNull();
  });

  it('says why when the folder has no record', async () => {
    const t = portal();
    t.updatePreview = undefined;
    renderApp('/create/update?dir=%2Fsrc%2Felsewhere', t);
    expect(await screen.findByText(/has no .callboard\/template.json/)).toBeTruthy();
  });
});

describe('Template updates on Home', () => {
  it('shows the projects behind their template above the cards', async () => {
    const t = portal();
    t.locations = [{ id: 'platform', url: '/src/platform', path: 'catalog-info.yaml', status: 'ok', entities: 3, processingErrors: 0 }];
    renderApp('/', t);
    const banner = await screen.findByTestId('template-update');
    expect(within(banner).getByText(/Go service changed since/)).toBeTruthy();
  });
});
