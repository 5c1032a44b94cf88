import { useEffect, useRef, useState, type ReactNode } from 'react';
import { FolderOpen, HardDrive, Globe } from 'lucide-react';
import type { FieldProps } from '@rjsf/utils';
import { scaffoldContext } from '../context';
import { parseEntityRef } from '../refs';
import { Combobox } from './Combobox';
import { inputProps, optionalString, stringList, uiOptions, useLoaded } from './common';
import { hostKind, LOCAL_HOST, parseRepoUrl, serializeRepoUrl, type HostKind, type RepoUrl } from './repoUrl';

/** Free text with suggestions: what is typed is the value; a suggestion just fills it in. */
function SuggestInput(props: {
  id: string;
  value: string;
  onChange(v: string): void;
  suggestions: string[];
  invalid?: boolean;
  disabled?: boolean;
  required?: boolean;
  describedBy?: string;
  autoFocus?: boolean;
  placeholder?: string;
}) {
  const needle = props.value.toLowerCase();
  const options = props.suggestions.filter((s) => s.toLowerCase().includes(needle) && s !== props.value).map((s) => ({ value: s, label: s }));
  return (
    <Combobox
      id={props.id}
      text={props.value}
      onTextChange={(t) => props.onChange(t.trim())}
      options={options}
      onPick={(o) => props.onChange(o.value)}
      onCommit={() => undefined}
      invalid={props.invalid}
      disabled={props.disabled}
      required={props.required}
      describedBy={props.describedBy}
      autoFocus={props.autoFocus}
      placeholder={props.placeholder}
      emptyText="No suggestions — type any name"
    />
  );
}

/** One of a list when the template limits the choice, else free text (with suggestions when there are any). */
function Choice(props: {
  id: string;
  value: string;
  onChange(v: string): void;
  allowed: string[];
  suggestions?: string[];
  invalid?: boolean;
  disabled?: boolean;
  describedBy?: string;
  placeholder?: string;
}) {
  const { id, value, onChange, allowed, invalid, disabled, describedBy } = props;
  if (allowed.length > 0) {
    return (
      <select
        id={id}
        className="scaffold-select"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled || allowed.length === 1}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
      >
        {!allowed.includes(value) && <option value={value}>{value || 'Choose…'}</option>}
        {allowed.map((a) => (
          <option key={a} value={a}>
            {a}
          </option>
        ))}
      </select>
    );
  }
  if (props.suggestions?.length) {
    return (
      <SuggestInput
        id={id}
        value={value}
        onChange={onChange}
        suggestions={props.suggestions}
        invalid={invalid}
        disabled={disabled}
        describedBy={describedBy}
        placeholder={props.placeholder}
      />
    );
  }
  return (
    <input
      id={id}
      type="text"
      className="scaffold-input"
      value={value}
      onChange={(e) => onChange(e.target.value.trim())}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      disabled={disabled}
      placeholder={props.placeholder}
      spellCheck={false}
    />
  );
}

/** A labelled input inside the picker's group; its description goes under it, so the inputs line up side by side. */
function Part({ id, label, description, children }: { id: string; label: string; description?: string; children: ReactNode }) {
  return (
    <div className="scaffold-subfield">
      <label className="scaffold-sublabel" htmlFor={id}>
        {label}
      </label>
      {children}
      {description && (
        <p className="scaffold-subdescription" id={`${id}__description`}>
          {description}
        </p>
      )}
    </div>
  );
}

type Key = 'owner' | 'organization' | 'workspace' | 'project';
interface PartSpec {
  key: Key;
  label: string;
  description: string;
  /** Which allowed… option limits it. */
  allowed?: 'allowedOwners' | 'allowedOrganizations' | 'allowedProjects';
  /** ui:options.ownerLabel and ownerDescription name this part. */
  isOwner?: boolean;
  /** The user's groups are good guesses for it. */
  suggestGroups?: boolean;
  optional?: boolean;
}

const namespace = (forge: string) =>
  `${forge} namespace where this repository will belong to. It can be the name of organization, group, subgroup, user, or the project.`;

// The inputs Backstage's per-host pickers show, with their labels.
const partsOf: Record<HostKind, PartSpec[]> = {
  github: [{ key: 'owner', label: 'Owner', description: 'The organization, user or project that this repo will belong to', allowed: 'allowedOwners', isOwner: true, suggestGroups: true }],
  gitlab: [{ key: 'owner', label: 'Owner', description: namespace('GitLab'), allowed: 'allowedOwners', isOwner: true, suggestGroups: true }],
  gitea: [{ key: 'owner', label: 'Owner', description: namespace('Gitea'), allowed: 'allowedOwners', isOwner: true, suggestGroups: true }],
  azure: [
    { key: 'organization', label: 'Organization', description: 'The Organization that this repo will belong to', allowed: 'allowedOrganizations', isOwner: true },
    { key: 'project', label: 'Project', description: 'The Project that this repo will belong to', allowed: 'allowedProjects' },
  ],
  bitbucketCloud: [
    { key: 'workspace', label: 'Workspace', description: 'The Workspace that this repo will belong to', allowed: 'allowedOwners', isOwner: true },
    { key: 'project', label: 'Project', description: 'The Project that this repo will belong to', allowed: 'allowedProjects' },
  ],
  bitbucketServer: [{ key: 'project', label: 'Project', description: 'The Project that this repo will belong to', allowed: 'allowedProjects' }],
  gerrit: [
    { key: 'owner', label: 'Owner', description: 'The owner of the project (optional)', isOwner: true, optional: true },
    { key: 'workspace', label: 'Parent', description: 'The project parent that the repo will belong to' },
  ],
  local: [],
};

const COMMON_HOSTS = ['github.com', 'gitlab.com', 'bitbucket.org', 'dev.azure.com'];

/** The names of the user's groups, the owners they most likely create repositories for. */
function useGroupNames(source: ReturnType<typeof scaffoldContext>['source'], exclude: string[] = []): string[] {
  const identity = useLoaded('identity', () => source.identity());
  return (identity.value?.groups ?? [])
    .map((ref) => parseEntityRef(ref, { defaultKind: 'group' })?.name ?? ref)
    .filter((name) => !exclude.includes(name));
}

/**
 * ui:field RepoUrlPicker: where the new repository goes — host, owner (or
 * organization, workspace, project, as the host groups repositories) and
 * name — written as Backstage's host?owner=…&repo=…. In the desktop app it
 * can instead be a folder on this machine, with no remote.
 */
export function RepoUrlPicker(props: FieldProps<string>) {
  const { formData, onChange, fieldPathId, rawErrors, registry } = props;
  const { source } = scaffoldContext(registry);
  const o = uiOptions(props.uiSchema);
  const allowed = {
    allowedHosts: stringList(o.allowedHosts) ?? [],
    allowedOwners: stringList(o.allowedOwners) ?? [],
    allowedOrganizations: stringList(o.allowedOrganizations) ?? [],
    allowedProjects: stringList(o.allowedProjects) ?? [],
    allowedRepos: stringList(o.allowedRepos) ?? [],
  };
  const ip = inputProps(props);
  const id = ip.id;
  const groups = useGroupNames(source);

  // Like Backstage's picker, the first of each allowed list is chosen to start with.
  const [state, setState] = useState<RepoUrl>(() => {
    const s = parseRepoUrl(formData);
    const host = s.host || allowed.allowedHosts[0] || '';
    return {
      ...s,
      host,
      owner: s.owner || allowed.allowedOwners[0] || '',
      workspace: s.workspace || (host === 'bitbucket.org' ? (allowed.allowedOwners[0] ?? '') : ''),
      organization: s.organization || allowed.allowedOrganizations[0] || '',
      project: s.project || allowed.allowedProjects[0] || '',
      repoName: s.repoName || allowed.allowedRepos[0] || '',
    };
  });
  const lastRemote = useRef(state.host === LOCAL_HOST ? (allowed.allowedHosts[0] ?? '') : state.host);
  const update = (patch: Partial<RepoUrl>) => setState((s) => ({ ...s, ...patch }));

  const value = serializeRepoUrl(state);
  useEffect(() => {
    if (value !== formData) onChange(value, fieldPathId.path);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a change of the picker's own value is reported; formData follows it.
  }, [value]);

  const kind = hostKind(state.host);
  const local = kind === 'local';
  const missing = (v: string) => (rawErrors?.length ?? 0) > 0 && !v;
  // Each input is described by its own line and by the field's errors.
  const describe = (partId: string) => `${partId}__description ${ip.describedBy}`;

  const pick = async () => {
    const folder = await source.pickFolder?.();
    if (folder) update({ path: folder });
  };

  const hostId = `${id}-host`;
  const repoId = `${id}-repo`;
  return (
    <div className={local ? 'scaffold-repo scaffold-repo-local' : 'scaffold-repo'}>
      <fieldset className="segmented segmented-radio scaffold-repo-where" disabled={ip.disabled}>
        <legend className="visually-hidden">Where to create it</legend>
        {[
          { local: false, label: 'Remote repository', icon: Globe },
          { local: true, label: 'Local folder only (no remote)', icon: HardDrive },
        ].map((choice) => (
          <label key={choice.label} className={`segment${local === choice.local ? ' active' : ''}`}>
            <input
              type="radio"
              name={`${id}-where`}
              checked={local === choice.local}
              onChange={() => {
                if (choice.local) {
                  lastRemote.current = state.host;
                  update({ host: LOCAL_HOST });
                } else update({ host: lastRemote.current || allowed.allowedHosts[0] || '', path: '' });
              }}
            />
            <choice.icon size={14} aria-hidden="true" />
            {choice.label}
          </label>
        ))}
      </fieldset>
      {local ? (
        <>
          <Part id={`${id}-folder`} label="Folder" description="The new repository's folder is made inside this one. Nothing is pushed anywhere.">
            <div className="scaffold-folder">
              <input
                id={`${id}-folder`}
                type="text"
                className="scaffold-input"
                value={state.path}
                onChange={(e) => update({ path: e.target.value })}
                placeholder={source.pickFolder ? 'Type a path or choose a folder' : 'Type the path of a folder, e.g. /home/you/src'}
                spellCheck={false}
                aria-invalid={missing(state.path) || undefined}
                aria-describedby={describe(`${id}-folder`)}
              />
              {source.pickFolder && (
                <button type="button" className="button" onClick={pick} disabled={ip.disabled}>
                  <FolderOpen size={14} aria-hidden="true" /> Choose…
                </button>
              )}
            </div>
          </Part>
          <Part id={repoId} label="Folder name" description="The name of the repository and of its folder">
            <Choice
              id={repoId}
              value={state.repoName}
              onChange={(repoName) => update({ repoName })}
              allowed={allowed.allowedRepos}
              invalid={missing(state.repoName)}
              disabled={ip.disabled}
              describedBy={describe(repoId)}
            />
          </Part>
        </>
      ) : (
        <>
          <Part id={hostId} label="Host" description="The host where the repository will be created">
            <Choice
              id={hostId}
              value={state.host}
              onChange={(host) => update({ host })}
              allowed={allowed.allowedHosts}
              suggestions={COMMON_HOSTS}
              invalid={missing(state.host)}
              disabled={ip.disabled}
              describedBy={describe(hostId)}
              placeholder="github.com"
            />
          </Part>
          {partsOf[kind].map((part) => {
            const partId = `${id}-${part.key}`;
            const label = (part.isOwner && optionalString(o.ownerLabel)) || part.label;
            const description = (part.isOwner && optionalString(o.ownerDescription)) || part.description;
            return (
              <Part key={part.key} id={partId} label={label} description={description}>
                <Choice
                  id={partId}
                  value={state[part.key]}
                  onChange={(v) => update({ [part.key]: v })}
                  allowed={part.allowed ? allowed[part.allowed] : []}
                  suggestions={part.suggestGroups ? groups : undefined}
                  invalid={!part.optional && missing(state[part.key])}
                  disabled={ip.disabled}
                  describedBy={describe(partId)}
                />
              </Part>
            );
          })}
          <Part id={repoId} label={optionalString(o.repoLabel) ?? 'Repository'} description={optionalString(o.repoDescription) ?? 'The name of the repository'}>
            <Choice
              id={repoId}
              value={state.repoName}
              onChange={(repoName) => update({ repoName })}
              allowed={allowed.allowedRepos}
              invalid={missing(state.repoName)}
              disabled={ip.disabled}
              describedBy={describe(repoId)}
            />
          </Part>
        </>
      )}
    </div>
  );
}

/** ui:field RepoOwnerPicker: an owner on the host, the user's groups suggested, excludedOwners left out. */
export function RepoOwnerPicker(props: FieldProps<string>) {
  const { source } = scaffoldContext(props.registry);
  const o = uiOptions(props.uiSchema);
  const groups = useGroupNames(source, stringList(o.excludedOwners));
  const ip = inputProps(props);
  return (
    <SuggestInput
      id={ip.id}
      value={props.formData ?? ''}
      onChange={(v) => props.onChange(v || undefined, props.fieldPathId.path)}
      suggestions={groups}
      invalid={ip.invalid}
      disabled={ip.disabled}
      required={ip.required}
      describedBy={ip.describedBy}
      autoFocus={ip.autoFocus}
      placeholder={ip.placeholder}
    />
  );
}
