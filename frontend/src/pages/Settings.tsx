import { useState, type ReactNode } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { AppWindow, FolderGit2, Globe, Info as InfoIcon, Monitor, Moon, Palette, Plus, RefreshCw, ShieldCheck, Sun, Trash2, UserRound, Wrench, type LucideIcon } from 'lucide-react';
import { useClient } from '../api/context';
import { useLoad } from '../api/useLoad';
import type { Link } from '../api/types.gen';
import { useSyncProgress } from '../api/useSyncProgress';
import { AboutDialog } from '../components/AboutDialog';
import { AddLocationForm } from '../components/AddLocation';
import { Card } from '../components/Card';
import { OutboxCard } from '../components/OutboxCard';
import { LocationList } from '../components/LocationList';
import { AddOrgForm, OrgRepos } from '../components/OrgDiscovery';
import { BackstageDetails, ConnectBackstageForm } from '../components/BackstageConnect';
import { PageHeader } from '../components/PageHeader';
import { ProblemsLink } from '../components/ProblemsLink';
import { ErrorState, Loading } from '../components/States';
import { ReviewModeSelect } from '../components/ReviewModeSelect';
import { setThemePreference, useTheme, type ThemePreference } from '../theme';
import { plural } from '../format';
import { appLocale, formatDate, formatNumber, relativeTime } from '../locale';
import { PluginsCard } from './SettingsPlugins';
import { CredentialsCard } from './SettingsCredentials';
import { DemoCard, UpdatesCard } from './SettingsUpdates';
import { QuestionsCard } from './SettingsQuestions';
import { LocationNotifyToggle, NotificationsCard, useNotifications } from './SettingsNotifications';

const themes: { value: ThemePreference; label: string; icon: LucideIcon }[] = [
  { value: 'system', label: 'System', icon: Monitor },
  { value: 'light', label: 'Light', icon: Sun },
  { value: 'dark', label: 'Dark', icon: Moon },
];

function ThemeSwitch() {
  const { preference } = useTheme();
  return (
    <fieldset className="segmented segmented-radio">
      <legend className="visually-hidden">Theme</legend>
      {themes.map(({ value, label, icon: Icon }) => (
        <label key={value} className={`segment${preference === value ? ' active' : ''}`}>
          <input
            type="radio"
            name="theme"
            value={value}
            checked={preference === value}
            onChange={() => setThemePreference(value)}
          />
          <Icon size={14} aria-hidden="true" />
          {label}
        </label>
      ))}
    </fieldset>
  );
}

function AboutCard() {
  const { data, error, reload } = useLoad('info', (c) => c.info());
  const [aboutOpen, setAboutOpen] = useState(false);
  return (
    <Card
      title="About this Callboard"
      icon={InfoIcon}
      actions={
        data && (
          <button type="button" className="button button-small" onClick={() => setAboutOpen(true)}>
            Version and licenses
          </button>
        )
      }
    >
      {aboutOpen && data && <AboutDialog info={data} onClose={() => setAboutOpen(false)} />}
      {error && !data ? (
        <ErrorState title="Could not read the instance" error={error} onRetry={reload} />
      ) : !data ? (
        <Loading />
      ) : (
        <dl className="fields">
          <div className="field">
            <dt>Version</dt>
            <dd data-testid="app-version">{data.version}</dd>
          </div>
          <div className="field">
            <dt>Mode</dt>
            <dd>{data.mode}</dd>
          </div>
          <div className="field field-wide">
            <dt>Data directory</dt>
            <dd>
              <code>{data.dataDir}</code>
            </dd>
          </div>
          <div className="field">
            <dt>Started</dt>
            <dd title={relativeTime(data.startedAt)} data-testid="app-started">
              {formatDate(data.startedAt)}
            </dd>
          </div>
          <div className="field">
            <dt>Language</dt>
            <dd title={data.language ? `From the environment: ${data.language}` : 'The environment names no language (C or POSIX): the browser\'s, else English'}>
              <span data-testid="app-language">{appLocale()}</span>
            </dd>
          </div>
          <div className="field">
            <dt>Catalog</dt>
            <dd>
              {plural(data.entities, 'entity', 'entities')} in {plural(data.locations, 'location')}
            </dd>
          </div>
          {data.frontendErrors > 0 && (
            <div className="field">
              <dt>Window errors</dt>
              <dd title="Errors this window met since the start; each is in the app's log">{formatNumber(data.frontendErrors)}</dd>
            </div>
          )}
        </dl>
      )}
    </Card>
  );
}

const intervals = [
  { minutes: 1, label: 'every minute' },
  { minutes: 5, label: 'every 5 minutes' },
  { minutes: 15, label: 'every 15 minutes' },
  { minutes: 60, label: 'every hour' },
  { minutes: 24 * 60, label: 'once a day' },
];

/** How often locations sync in the background, saved as soon as it changes. */
function SyncIntervalSetting() {
  const client = useClient();
  const { data, error } = useLoad('settings', (c) => c.settings(), []);
  const [saved, setSaved] = useState<number | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const value = saved ?? data?.syncIntervalMinutes;
  const options = value && !intervals.some((i) => i.minutes === value) ? [...intervals, { minutes: value, label: `every ${value} minutes` }] : intervals;

  const change = async (minutes: number) => {
    setSaveError(null);
    try {
      // The settings are stored whole: keep what the other controls set.
      setSaved((await client.patchSettings({ syncIntervalMinutes: minutes })).syncIntervalMinutes);
    } catch (e) {
      setSaveError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <div className="setting-row locations-settings">
      <div>
        <p className="setting-label">Background sync</p>
        <p className="muted">While Callboard runs, every location is fetched on this schedule; one that cannot be reached is retried sooner, with backoff.</p>
        {(saveError || (error && !data)) && (
          <p className="banner banner-error" role="alert">
            {saveError ?? error?.message}
          </p>
        )}
      </div>
      <select
        className="select"
        aria-label="Background sync interval"
        value={value ?? ''}
        disabled={value === undefined}
        onChange={(e) => void change(Number(e.target.value))}
      >
        {options.map((i) => (
          <option key={i.minutes} value={i.minutes}>
            {i.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function LocationsCard() {
  const client = useClient();
  const { data, error, reload } = useLoad('locations', (c) => c.listLocations());
  const progress = useSyncProgress();
  const notify = useNotifications();
  // '' while every location syncs, an id while one does, null when idle.
  const [syncing, setSyncing] = useState<string | null>(null);
  const [syncError, setSyncError] = useState<string | null>(null);

  const remove = async (id: string) => {
    if (!window.confirm(`Remove location ${id}? Its entities leave the catalog, with the locations only its catalog lists; the repository itself is not touched.`)) return;
    setSyncError(null);
    try {
      await client.removeLocation(id);
    } catch (e) {
      setSyncError(e instanceof Error ? e.message : String(e));
    } finally {
      reload();
    }
  };

  const sync = async (id: string) => {
    setSyncing(id);
    setSyncError(null);
    try {
      await client.sync(id);
    } catch (e) {
      setSyncError(e instanceof Error ? e.message : String(e));
    } finally {
      setSyncing(null);
      reload();
    }
  };

  return (
    <Card
      title="Locations"
      icon={FolderGit2}
      actions={
        data &&
        data.length > 1 && (
          <button type="button" className="button button-small" disabled={syncing !== null} onClick={() => sync('')}>
            <RefreshCw size={13} aria-hidden="true" className={syncing === '' ? 'spin' : undefined} /> Sync all
          </button>
        )
      }
    >
      <SyncIntervalSetting />
      {notify.error && (
        <p className="banner banner-error" role="alert">
          {notify.error}
        </p>
      )}
      {syncError && (
        <p className="banner banner-error" role="alert">
          Sync failed: {syncError}
        </p>
      )}
      {error && !data ? (
        <ErrorState title="Could not list the locations" error={error} onRetry={reload} />
      ) : !data ? (
        <Loading />
      ) : data.length === 0 ? (
        <p className="muted">No locations are registered yet: add a repository below.</p>
      ) : (
        <LocationList
          locations={data}
          progress={progress}
          details={(l) => (
            <>
              {!l.url.startsWith('plugin:') && !l.backstage && <ReviewModeSelect location={l} onChanged={reload} />}
              {l.org && <OrgRepos location={l} onChanged={reload} />}
              {l.backstage && <BackstageDetails location={l} />}
            </>
          )}
          action={(l) => (
            <>
              <LocationNotifyToggle id={l.id} settings={notify.data} busy={notify.busy} onChange={(c) => void notify.change(c)} />
              <button
                type="button"
                className="button button-small"
                disabled={syncing !== null}
                onClick={() => sync(l.id)}
                aria-label={`Sync ${l.id} now`}
              >
                <RefreshCw size={13} aria-hidden="true" className={syncing === l.id || syncing === '' ? 'spin' : undefined} />
                {syncing === l.id ? 'Syncing…' : 'Sync now'}
              </button>
              <button
                type="button"
                className="button button-small button-quiet"
                disabled={syncing !== null || (l.listedBy?.length ?? 0) > 0}
                onClick={() => remove(l.id)}
                aria-label={`Remove ${l.id}`}
                title={
                  (l.listedBy?.length ?? 0) > 0
                    ? `Listed by the catalog of ${l.listedBy?.join(' and ')}: remove its target there and this location goes by itself`
                    : 'Remove this location'
                }
              >
                <Trash2 size={13} aria-hidden="true" />
              </button>
            </>
          )}
        />
      )}
      <AddLocationForm onAdded={reload} />
      <h3 className="setting-label">Add your organisation</h3>
      <p className="muted">Every repository of a GitHub organisation or GitLab group that holds a catalog file, listed with your own token; teams and members as Groups and Users.</p>
      <AddOrgForm onAdded={reload} />
      <h3 className="setting-label">Connect a Backstage</h3>
      <p className="muted">Your organisation&apos;s Backstage: every entity it shows you, read from its catalog API and kept on this machine, browsable offline.</p>
      <ConnectBackstageForm onAdded={reload} />
    </Card>
  );
}

/** Who the user is in the catalog: found from git's user.email, or chosen here. */
function IdentityCard() {
  const client = useClient();
  const { data, error, reload } = useLoad('identity', (c) => Promise.all([c.userState(), c.listEntities({ facets: { kind: ['user'] }, sort: 'name', limit: 500 })]));
  const [value, setValue] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const identity = data?.[0].identity;
  const users = data?.[1].items ?? [];
  const save = async (userRef: string) => {
    setSaveError(null);
    try {
      await client.patchSettings({ userRef });
      setValue(null);
      reload();
    } catch (e) {
      setSaveError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <Card title="You" icon={UserRound} testId="identity">
      <div className="setting-row">
        <div>
          <p className="setting-label">{identity?.userRef ? identity.name || identity.userRef : 'Not known yet'}</p>
          <p className="muted">
            {identity?.source === 'git'
              ? `Matched from git's user.email (${identity.email}). Home shows what your teams own.`
              : identity?.source === 'settings'
                ? 'Chosen here. Home shows what your teams own.'
                : "No User entity has git's user.email as its profile email: choose yourself."}
          </p>
          {identity && identity.groups.length > 0 && <p className="muted">Member of {identity.groups.map((g) => g.split('/')[1]).join(', ')}</p>}
          {(saveError || (error && !data)) && (
            <p className="banner banner-error" role="alert">
              {saveError ?? error?.message}
            </p>
          )}
        </div>
        <form
          className="identity-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save(value ?? '');
          }}
        >
          <input
            list="users"
            aria-label="Your User entity"
            placeholder="user:default/your-name"
            value={value ?? (identity?.source === 'settings' ? identity.userRef : '') ?? ''}
            onChange={(e) => setValue(e.target.value)}
          />
          <datalist id="users">
            {users.map((u) => (
              <option key={u.ref} value={u.ref}>
                {u.title || u.name}
              </option>
            ))}
          </datalist>
          <button type="submit" className="button button-small" disabled={value === null}>
            Save
          </button>
          {identity?.source === 'settings' && (
            <button type="button" className="button button-small button-quiet" onClick={() => void save('')}>
              Use git's email
            </button>
          )}
        </form>
      </div>
    </Card>
  );
}

/** The links Home shows in its toolkit. */
function ToolkitCard() {
  const client = useClient();
  const { data, reload } = useLoad('settings-toolkit', (c) => c.settings(), []);
  const [title, setTitle] = useState('');
  const [url, setUrl] = useState('');
  const [saveError, setSaveError] = useState<string | null>(null);
  const links = data?.toolkit ?? [];
  const save = async (toolkit: Link[]) => {
    setSaveError(null);
    try {
      await client.patchSettings({ toolkit });
      reload();
      return true;
    } catch (e) {
      setSaveError(e instanceof Error ? e.message : String(e));
      return false;
    }
  };
  return (
    <Card title="Toolkit" icon={Wrench} testId="toolkit-settings">
      <p className="muted">Links shown on Home.</p>
      <ul className="toolkit-edit">
        {links.map((l) => (
          <li key={l.url}>
            <span>{l.title}</span>
            <code className="muted">{l.url}</code>
            <button type="button" className="button button-small button-quiet" aria-label={`Remove ${l.title}`} onClick={() => void save(links.filter((x) => x !== l))}>
              <Trash2 size={13} aria-hidden="true" />
            </button>
          </li>
        ))}
      </ul>
      <form
        className="identity-form"
        aria-label="Add a link"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await save([...links, { title, url }])) {
            setTitle('');
            setUrl('');
          }
        }}
      >
        <input aria-label="Link title" placeholder="Title" value={title} onChange={(e) => setTitle(e.target.value)} />
        <input aria-label="Link URL" placeholder="https://…" value={url} onChange={(e) => setUrl(e.target.value)} />
        <button type="submit" className="button button-small" disabled={!url.trim()}>
          <Plus size={13} aria-hidden="true" /> Add link
        </button>
      </form>
      {saveError && (
        <p className="banner banner-error" role="alert">
          {saveError}
        </p>
      )}
    </Card>
  );
}

type SaveStatus = { ok: boolean; text: string } | null;

/** A settings form's save: runs it and keeps its outcome, "Saved." or the error, for SaveBanner. */
function useSave(): [SaveStatus, (run: () => Promise<void>) => Promise<void>] {
  const [status, setStatus] = useState<SaveStatus>(null);
  const save = async (run: () => Promise<void>) => {
    setStatus(null);
    try {
      await run();
      setStatus({ ok: true, text: 'Saved.' });
    } catch (err) {
      setStatus({ ok: false, text: err instanceof Error ? err.message : String(err) });
    }
  };
  return [status, save];
}

function SaveBanner({ status }: { status: SaveStatus }) {
  if (!status) return null;
  return (
    <p className={`banner ${status.ok ? 'banner-ok' : 'banner-error'}`} role={status.ok ? 'status' : 'alert'}>
      {status.text}
    </p>
  );
}

/** The commands "Open in editor" and "Open terminal here" run. */
function ToolsCard() {
  const client = useClient();
  const { data, reload } = useLoad('settings-tools', (c) => c.settings(), []);
  const [editor, setEditor] = useState<string | null>(null);
  const [terminal, setTerminal] = useState<string | null>(null);
  const [status, save] = useSave();
  return (
    <Card title="Editor and terminal" icon={AppWindow} testId="tools-settings">
      <p className="muted">What “Open in editor” and “Open terminal here” run, with the file or folder added at the end. Leave empty for VS Code when it is installed, else your system's default.</p>
      <form
        className="tools-form"
        aria-label="Editor and terminal"
        onSubmit={(e) => {
          e.preventDefault();
          void save(async () => {
            await client.patchSettings({ ...(editor !== null && { editor }), ...(terminal !== null && { terminal }) });
            setEditor(null);
            setTerminal(null);
            reload();
          });
        }}
      >
        <label>
          <span className="setting-label">Editor command</span>
          <input placeholder="code -g" value={editor ?? data?.editor ?? ''} onChange={(e) => setEditor(e.target.value)} />
        </label>
        <label>
          <span className="setting-label">Terminal command</span>
          <input placeholder="x-terminal-emulator" value={terminal ?? data?.terminal ?? ''} onChange={(e) => setTerminal(e.target.value)} />
        </label>
        <button type="submit" className="button button-small" disabled={editor === null && terminal === null}>
          Save
        </button>
      </form>
      <SaveBanner status={status} />
    </Card>
  );
}

/** A list of hosts in Settings, one per line: the trusted git hosts and the hosts placeholders may read from. */
function HostsCard({ title, icon, testId, field, placeholder, children }: { title: string; icon: LucideIcon; testId: string; field: 'trustedGitHosts' | 'remoteReadHosts'; placeholder: string; children: ReactNode }) {
  const client = useClient();
  const { data, reload } = useLoad(`settings-${field}`, (c) => c.settings(), []);
  const [text, setText] = useState<string | null>(null);
  const [status, save] = useSave();
  return (
    <Card title={title} icon={icon} testId={testId}>
      <p className="muted">{children}</p>
      <form
        className="tools-form"
        aria-label={title}
        onSubmit={(e) => {
          e.preventDefault();
          void save(async () => {
            await client.patchSettings({ [field]: (text ?? '').split(/[\s,]+/).filter(Boolean) });
            setText(null);
            reload();
          });
        }}
      >
        <label>
          <span className="setting-label">Hosts</span>
          <textarea rows={3} placeholder={placeholder} value={text ?? (data?.[field] ?? []).join('\n')} onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit" className="button button-small" disabled={text === null}>
          Save
        </button>
      </form>
      <SaveBanner status={status} />
    </Card>
  );
}

function Outbox() {
  const { data, reload } = useLoad('locations', (c) => c.listLocations());
  return <OutboxCard locations={data ?? []} onChanged={reload} />;
}

/** Every catalog repository with its sync state, and the commits made here that the remotes lack. */
export function LocationsPage() {
  return (
    <div className="page">
      <PageHeader title="Locations" subtitle="The catalog repositories Callboard keeps in sync, and your changes waiting to be pushed" actions={
          <>
            <RouterLink className="button button-small" to="/catalog/import">
              Import repository
            </RouterLink>
            <ProblemsLink />
          </>
        }
      />
      <div className="stack">
        <LocationsCard />
        <Outbox />
      </div>
    </div>
  );
}

export function SettingsPage() {
  return (
    <div className="page">
      <PageHeader title="Settings" subtitle="Appearance, who you are, plugins, and this instance" />
      <div className="stack">
        <Card title="Appearance" icon={Palette}>
          <div className="setting-row">
            <div>
              <p className="setting-label">Theme</p>
              <p className="muted">System follows your operating system's light or dark mode.</p>
            </div>
            <ThemeSwitch />
          </div>
        </Card>
        <IdentityCard />
        <ToolkitCard />
        <ToolsCard />
        <QuestionsCard />
        <NotificationsCard />
        <CredentialsCard />
        <HostsCard title="Trusted git hosts" icon={ShieldCheck} testId="trusted-hosts" field="trustedGitHosts" placeholder="github.com">
          Callboard sends the token in CALLBOARD_GIT_TOKEN, and lets templates publish new projects, only to the hosts of your locations and to the hosts listed here, one per line (github.com, git.example:8443). Tokens for one host (CALLBOARD_GIT_TOKEN_HOST,{' '}
          <code>callboard token set HOST</code>, the GitHub and GitLab CLIs, git&apos;s credential helpers) go to that host alone.
        </HostsCard>
        <HostsCard title="Remote read hosts" icon={Globe} testId="remote-read-hosts" field="remoteReadHosts" placeholder="specs.example.com">
          Catalog files may name a placeholder&apos;s file by URL (<code>$text: https://…</code>). Callboard reads those from the hosts of your locations, from trusted git hosts, and from the hosts listed here, one per line, and keeps what it read for when it is offline. A host&apos;s token goes to that host alone.
        </HostsCard>
        <PluginsCard />
        <DemoCard />
        <UpdatesCard />
        <AboutCard />
      </div>
    </div>
  );
}
