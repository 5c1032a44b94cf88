import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeSource, renderField, withFolderPicker } from '../testing';
import { hostKind, parseRepoUrl, repoUrlErrors, serializeRepoUrl } from './repoUrl';

const me = { userRef: 'user:default/ada', groups: ['group:default/team-a', 'group:platform/infra'] };
const repoUrl = (options: Record<string, unknown> = {}) => ({ type: 'string', title: 'Repository Location', 'ui:field': 'RepoUrlPicker', 'ui:options': options });

describe('RepoUrlPicker', () => {
  it('writes host?owner=…&repo=… for the one allowed host, suggesting the user’s groups as owners', async () => {
    const user = userEvent.setup();
    const { value } = renderField(repoUrl({ allowedHosts: ['github.com'] }), new FakeSource([], me));
    const group = screen.getByRole('group', { name: 'Repository Location' });
    const host = within(group).getByLabelText<HTMLSelectElement>('Host');
    expect(host.value).toBe('github.com');
    expect(host.disabled).toBe(true);
    await waitFor(() => expect(value()).toBe('github.com?'));

    const owner = within(group).getByLabelText('Owner');
    await user.click(owner);
    await waitFor(() => expect(within(screen.getByRole('listbox')).getAllByRole('option').map((o) => o.textContent)).toEqual(['team-a', 'infra']));
    await user.click(within(group).getByRole('option', { name: 'infra' }));
    await user.type(within(group).getByLabelText('Repository'), 'payments');
    await waitFor(() => expect(value()).toBe('github.com?owner=infra&repo=payments'));
  });

  it('lets the user choose among allowed hosts, asking for what each host groups repositories by', async () => {
    const user = userEvent.setup();
    const { value } = renderField(
      repoUrl({ allowedHosts: ['github.com', 'dev.azure.com', 'bitbucket.org'], allowedProjects: ['core'], ownerLabel: 'Org' }),
      new FakeSource([], me),
    );
    const host = screen.getByLabelText<HTMLSelectElement>('Host');
    expect([...host.options].map((o) => o.value)).toEqual(['github.com', 'dev.azure.com', 'bitbucket.org']);
    expect(screen.getByLabelText('Org')).toBeTruthy();

    await user.selectOptions(host, 'dev.azure.com');
    await user.type(screen.getByLabelText('Org'), 'contoso');
    await user.type(screen.getByLabelText('Repository'), 'app');
    expect(screen.getByLabelText<HTMLSelectElement>('Project').value).toBe('core');
    await waitFor(() => expect(value()).toBe('dev.azure.com?repo=app&organization=contoso&project=core'));

    await user.selectOptions(host, 'bitbucket.org');
    expect(screen.getByLabelText('Org')).toBeTruthy();
    await user.type(screen.getByLabelText('Org'), 'ws');
    await waitFor(() => expect(value()).toBe('bitbucket.org?repo=app&organization=contoso&workspace=ws&project=core'));
  });

  it('limits owners and repositories to the allowed ones', async () => {
    const { value } = renderField(repoUrl({ allowedHosts: ['gitlab.com'], allowedOwners: ['a', 'b'], allowedRepos: ['only'] }), new FakeSource([], me));
    expect(screen.getByLabelText<HTMLSelectElement>('Owner').value).toBe('a');
    expect(screen.getByText(/GitLab namespace/)).toBeTruthy();
    const repo = screen.getByLabelText<HTMLSelectElement>('Repository');
    expect(repo.value).toBe('only');
    expect(repo.disabled).toBe(true);
    await waitFor(() => expect(value()).toBe('gitlab.com?owner=a&repo=only'));
  });

  it('takes any host when the template names none, and reads back a value it wrote', async () => {
    const user = userEvent.setup();
    const { value } = renderField(repoUrl(), new FakeSource([], me), { initial: 'gitlab.example.com?owner=grp&repo=svc' });
    expect(screen.getByLabelText<HTMLInputElement>('Host').value).toBe('gitlab.example.com');
    expect(screen.getByLabelText<HTMLInputElement>('Owner').value).toBe('grp');
    expect(screen.getByLabelText<HTMLInputElement>('Repository').value).toBe('svc');
    await user.clear(screen.getByLabelText('Host'));
    await waitFor(() => expect(value()).toBeUndefined());
  });

  it('offers a local folder with no remote where the app can pick folders', async () => {
    const user = userEvent.setup();
    const source = withFolderPicker(new FakeSource([], me), '/home/ada/src');
    const { value } = renderField(repoUrl({ allowedHosts: ['github.com'] }), source);
    await user.type(screen.getByLabelText('Repository'), 'svc');
    await user.click(screen.getByLabelText('Local folder only (no remote)'));
    expect(screen.queryByLabelText('Host')).toBeNull();
    await user.click(screen.getByRole('button', { name: /Choose/ }));
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>('Folder').value).toBe('/home/ada/src'));
    expect(screen.getByLabelText<HTMLInputElement>('Folder name').value).toBe('svc');
    await waitFor(() => expect(value()).toBe('local?repo=svc&path=%2Fhome%2Fada%2Fsrc'));

    await user.click(screen.getByLabelText('Remote repository'));
    await waitFor(() => expect(value()).toBe('github.com?repo=svc'));
  });

  it('takes a typed folder where there is no folder dialog (a browser)', async () => {
    const user = userEvent.setup();
    const { value } = renderField(repoUrl({ allowedHosts: ['github.com'] }), new FakeSource([], me));
    await user.click(screen.getByLabelText('Local folder only (no remote)'));
    expect(screen.queryByRole('button', { name: /Choose/ })).toBeNull();
    await user.type(screen.getByLabelText('Folder'), '/srv/work');
    await user.type(screen.getByLabelText('Folder name'), 'svc');
    await waitFor(() => expect(value()).toBe('local?repo=svc&path=%2Fsrv%2Fwork'));
  });
});

describe('repoUrl', () => {
  it('reads and writes Backstage’s format', () => {
    const v = 'bitbucket.org?owner=o&repo=r&workspace=w&project=p';
    expect(parseRepoUrl(v)).toEqual({ host: 'bitbucket.org', owner: 'o', repoName: 'r', organization: '', workspace: 'w', project: 'p', path: '' });
    expect(serializeRepoUrl(parseRepoUrl(v))).toBe(v);
    expect(serializeRepoUrl(parseRepoUrl(undefined))).toBeUndefined();
    expect(parseRepoUrl('::not a url').host).toBe('');
  });

  it('tells hosts apart by name', () => {
    expect(['github.com', 'github.example.com', 'gitlab.com', 'dev.azure.com', 'x.visualstudio.com', 'bitbucket.org', 'bitbucket.corp', 'gerrit.corp', 'gitea.io', 'git.corp', 'local'].map(hostKind)).toEqual([
      'github',
      'github',
      'gitlab',
      'azure',
      'azure',
      'bitbucketCloud',
      'bitbucketServer',
      'gerrit',
      'gitea',
      'github',
      'local',
    ]);
  });

  it('says what is missing, per host, as Backstage does', () => {
    expect(repoUrlErrors('github.com?owner=o&repo=r')).toEqual([]);
    expect(repoUrlErrors('github.com?repo=r')).toEqual(['Incomplete repository location provided, owner not provided']);
    expect(repoUrlErrors('bitbucket.org?repo=r')).toEqual([
      'Incomplete repository location provided, workspace not provided',
      'Incomplete repository location provided, project not provided',
    ]);
    expect(repoUrlErrors('dev.azure.com?organization=o&project=p')).toEqual(['Incomplete repository location provided, repo not provided']);
    expect(repoUrlErrors('gerrit.corp?repo=r')).toEqual([]);
    expect(repoUrlErrors('local?repo=r')).toEqual(['Choose the folder to create the repository in']);
  });
});
