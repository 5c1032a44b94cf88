import { useState } from 'react';
import { Building2, Plus, Save } from 'lucide-react';
import { useClient } from '../api/context';
import { useLoad } from '../api/useLoad';
import type { Discovery, Location, OrgRepo } from '../api/types.gen';
import { plural } from '../format';
import { relativeTime } from '../locale';
import { useAddLocation } from './AddLocation';
import { SyncStatus } from './Chips';
import { ErrorState, Loading } from './States';

/** Why a listed repository has no catalog files, in the user's words. */
export const skipReasons: Record<string, string> = {
  noFile: 'no catalog file',
  filtered: 'left out by the filters',
  archived: 'archived',
  noAccess: 'no access with your token',
  noBranch: 'empty, or its branch is gone',
};

const words = (s: string) =>
  s
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);

/** A comma-separated list, kept as typed (a trailing comma stays) and given back as words. */
function ListInput({ value, onChange, placeholder }: { value: string[] | undefined; onChange: (v: string[]) => void; placeholder: string }) {
  const [text, setText] = useState((value ?? []).join(', '));
  return (
    <input
      type="text"
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(words(e.target.value));
      }}
      placeholder={placeholder}
      spellCheck={false}
    />
  );
}

/** The filter fields shared by adding an organisation and editing one. */
function Filters({ value, onChange }: { value: Discovery; onChange: (d: Discovery) => void }) {
  const set = (patch: Partial<Discovery>) => onChange({ ...value, ...patch });
  return (
    <>
      <label>
        <span>Catalog file or glob</span>
        <input type="text" value={value.catalogPath ?? ''} onChange={(e) => set({ catalogPath: e.target.value })} placeholder="catalog-info.yaml" spellCheck={false} />
      </label>
      <label>
        <span>Branch</span>
        <input type="text" value={value.branch ?? ''} onChange={(e) => set({ branch: e.target.value })} placeholder="each repository's default" spellCheck={false} />
      </label>
      <label>
        <span>Name pattern (regex)</span>
        <input type="text" value={value.repository ?? ''} onChange={(e) => set({ repository: e.target.value })} placeholder="all" spellCheck={false} />
      </label>
      <label>
        <span>Topics (any of)</span>
        <ListInput value={value.topicsInclude} onChange={(v) => set({ topicsInclude: v })} placeholder="all" />
      </label>
      <label>
        <span>Leave out topics</span>
        <ListInput value={value.topicsExclude} onChange={(v) => set({ topicsExclude: v })} placeholder="none" />
      </label>
      <label>
        <span>Visibility</span>
        <ListInput value={value.visibility} onChange={(v) => set({ visibility: v })} placeholder="public, private, internal" />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={!value.excludeForks} onChange={(e) => set({ excludeForks: !e.target.checked })} /> Forks
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={value.includeArchived ?? false} onChange={(e) => set({ includeArchived: e.target.checked })} /> Archived repositories
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={value.teams ?? false} onChange={(e) => set({ teams: e.target.checked })} /> Import teams and members
      </label>
    </>
  );
}

/** Registers an organisation and syncs it: its catalog fills in as its repositories sync. */
export function AddOrgForm({ onAdded }: { onAdded: () => void }) {
  const { add, busy, error } = useAddLocation(onAdded);
  const [url, setUrl] = useState('');
  const [discovery, setDiscovery] = useState<Discovery>({ teams: true });

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (await add({ url: url.trim(), discover: discovery })) setUrl('');
  };

  return (
    <form className="add-location" onSubmit={submit} aria-label="Add your organisation">
      <label className="add-location-url">
        <span>Organisation</span>
        <input type="text" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://github.com/ACME or https://gitlab.com/group" required spellCheck={false} />
      </label>
      <label>
        <span>Forge</span>
        <select className="select" value={discovery.forge ?? ''} onChange={(e) => setDiscovery({ ...discovery, forge: e.target.value || undefined })}>
          <option value="">known from the host</option>
          <option value="github">GitHub (Enterprise)</option>
          <option value="gitlab">GitLab (self-managed)</option>
        </select>
      </label>
      <Filters value={discovery} onChange={setDiscovery} />
      <button type="submit" className="button" disabled={busy || !url.trim()}>
        <Plus size={14} aria-hidden="true" /> {busy ? 'Discovering…' : 'Add organisation'}
      </button>
      {error && (
        <p className="banner banner-error add-location-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** A discovered organisation's repositories, with or without catalog files and why, and its filters editable in place. */
export function OrgRepos({ location, onChanged }: { location: Location; onChanged: () => void }) {
  const client = useClient();
  const org = location.org;
  const { data, error, reload } = useLoad(`org-repos:${location.id}:${location.lastSyncAt ?? ''}`, (c) => c.orgRepos(location.id));
  const [editing, setEditing] = useState<Discovery | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  if (!org) return null;

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!editing) return;
    setSaveError(null);
    try {
      await client.updateOrg(location.id, editing);
      setEditing(null);
      onChanged();
    } catch (err) {
      setSaveError(err instanceof Error ? err.message : String(err));
    }
  };

  const catalogued = (data ?? []).filter((r) => r.files.length > 0);
  const others = (data ?? []).filter((r) => r.files.length === 0);
  return (
    <details className="org-repos">
      <summary>
        <Building2 size={13} aria-hidden="true" /> {plural(org.repos, 'repository', 'repositories')}, {org.catalogued} with catalog files
        {org.listedAt ? <span className="muted"> · last seen {relativeTime(org.listedAt)}</span> : <span className="muted"> · not listed yet</span>}
        {org.rateLimit ? (
          <span className="muted">
            {' '}
            · API budget {org.rateRemaining}/{org.rateLimit}
          </span>
        ) : null}
      </summary>
      {editing ? (
        <form className="add-location" onSubmit={save} aria-label={`Filters of ${location.id}`}>
          <Filters value={editing} onChange={setEditing} />
          <button type="submit" className="button button-small">
            <Save size={13} aria-hidden="true" /> Save filters
          </button>
          <button type="button" className="button button-small button-quiet" onClick={() => setEditing(null)}>
            Cancel
          </button>
          {saveError && (
            <p className="banner banner-error" role="alert">
              {saveError}
            </p>
          )}
        </form>
      ) : (
        <button type="button" className="button button-small button-quiet" onClick={() => setEditing({ ...org.discovery })}>
          Edit filters
        </button>
      )}
      {error && !data ? (
        <ErrorState title="Could not list the organisation's repositories" error={error} onRetry={reload} />
      ) : !data ? (
        <Loading />
      ) : (
        <ul className="org-repo-list">
          {[...catalogued, ...others].map((r: OrgRepo) => (
            <li key={r.id} data-testid="org-repo">
              {r.status ? <SyncStatus status={r.status} /> : null}
              <span className="location-id">{r.fullName}</span>
              {r.files.length > 0 ? (
                <span className="muted"> · {r.files.join(', ')}</span>
              ) : (
                <span className="muted"> · {skipReasons[r.skipped ?? ''] ?? r.skipped}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
