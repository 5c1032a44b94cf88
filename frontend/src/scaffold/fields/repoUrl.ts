// RepoUrlPicker's value, as Backstage writes it: host?owner=o&repo=r, with
// organization, workspace and project for the hosts that group repositories
// that way. Callboard adds one host of its own, "local": a folder on this
// machine (local?repo=name&path=/parent/folder) and no remote at all.

export const LOCAL_HOST = 'local';

export interface RepoUrl {
  host: string;
  owner: string;
  repoName: string;
  organization: string;
  workspace: string;
  project: string;
  /** For LOCAL_HOST: the folder the repository's folder is made in. */
  path: string;
}

export const emptyRepoUrl: RepoUrl = { host: '', owner: '', repoName: '', organization: '', workspace: '', project: '', path: '' };

/** Backstage's parseRepoPickerUrl, plus path; anything unparsable is empty. */
export function parseRepoUrl(value: unknown): RepoUrl {
  if (typeof value !== 'string' || !value) return { ...emptyRepoUrl };
  try {
    const url = new URL(`https://${value}`);
    const p = (k: string) => url.searchParams.get(k) ?? '';
    return {
      host: url.host,
      owner: p('owner'),
      repoName: p('repo'),
      organization: p('organization'),
      workspace: p('workspace'),
      project: p('project'),
      path: p('path'),
    };
  } catch {
    return { ...emptyRepoUrl };
  }
}

/** Backstage's serializeRepoPickerUrl, plus path; undefined until there is a host. */
export function serializeRepoUrl(r: RepoUrl): string | undefined {
  if (!r.host) return undefined;
  const params = new URLSearchParams();
  if (r.owner) params.set('owner', r.owner);
  if (r.repoName) params.set('repo', r.repoName);
  if (r.organization) params.set('organization', r.organization);
  if (r.workspace) params.set('workspace', r.workspace);
  if (r.project) params.set('project', r.project);
  if (r.path) params.set('path', r.path);
  return `${r.host}?${params.toString()}`;
}

/**
 * How a host groups repositories. Backstage asks its integrations config;
 * Callboard has none, so the host's name tells, and anything unknown is
 * taken to work like GitHub: an owner, then the repository.
 */
export type HostKind = 'github' | 'gitlab' | 'gitea' | 'azure' | 'bitbucketCloud' | 'bitbucketServer' | 'gerrit' | 'local';

export function hostKind(host: string): HostKind {
  const h = host.toLowerCase();
  if (h === LOCAL_HOST) return 'local';
  if (h === 'bitbucket.org') return 'bitbucketCloud';
  if (h === 'dev.azure.com' || h.endsWith('.visualstudio.com') || h.includes('azure')) return 'azure';
  for (const kind of ['gitlab', 'gitea', 'gerrit', 'github'] as const) if (h.includes(kind)) return kind;
  if (h.includes('bitbucket')) return 'bitbucketServer';
  return 'github';
}

/** What Backstage's repoPickerValidation says is missing; a local folder needs its folder and name. */
export function repoUrlErrors(value: string): string[] {
  let url: URL;
  try {
    url = new URL(`https://${value}`);
  } catch {
    return ['Unable to parse the Repository URL'];
  }
  const has = (k: string) => Boolean(url.searchParams.get(k));
  const missing = (what: string) => `Incomplete repository location provided, ${what} not provided`;
  if (!url.host) return [missing('host')];
  const errors: string[] = [];
  switch (hostKind(url.host)) {
    case 'local':
      if (!has('path')) errors.push('Choose the folder to create the repository in');
      if (!has('repo')) errors.push('Give the new folder a name');
      return errors;
    case 'bitbucketCloud':
      if (!has('workspace')) errors.push(missing('workspace'));
      if (!has('project')) errors.push(missing('project'));
      break;
    case 'bitbucketServer':
    case 'azure':
      if (!has('project')) errors.push(missing('project'));
      break;
    case 'gerrit':
      break;
    default:
      if (!has('owner')) errors.push(missing('owner'));
  }
  if (!has('repo')) errors.push(missing('repo'));
  return errors;
}
