import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ChevronRight, Puzzle, RefreshCw } from 'lucide-react';
import { useClient } from '../api/context';
import { useLoad } from '../api/useLoad';
import { Events, type PluginConfigField, type PluginInfo, type State as PluginState } from '../api/types.gen';
import { Card } from '../components/Card';
import { ErrorState, Loading } from '../components/States';
import { relativeTime } from '../locale';
import '../styles/plugins.css';

const stateTone: Record<PluginState, string> = {
  running: 'good',
  stopped: 'neutral',
  disabled: 'neutral',
  crashed: 'bad',
  broken: 'bad',
};

const pointLabel: Record<string, string | undefined> = {
  entityContent: 'entity pages',
  actions: 'scaffolder actions',
  entities: 'catalog entities',
  search: 'search',
};

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The facts a plugin provides for scorecards, and how fresh what is kept of its reports is. */
function PluginFacts({ p }: { p: PluginInfo }) {
  if (p.facts.length === 0 && p.factsRead.entities === 0) return null;
  const read = p.factsRead;
  return (
    <div className="plugin-facts">
      <table aria-label={`Facts ${p.name} provides`}>
        <thead>
          <tr>
            <th scope="col">Fact</th>
            <th scope="col">Type</th>
            <th scope="col">Meaning</th>
          </tr>
        </thead>
        <tbody>
          {p.facts.map((f) => (
            <tr key={f.name}>
              <td>
                <code>
                  {p.name}.{f.name}
                </code>
              </td>
              <td>{f.type || <span className="muted">not reported yet</span>}</td>
              <td>{f.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted" data-testid="plugin-facts-read">
        {read.entities === 0
          ? 'No facts read yet: they are asked for when an entity with a fact check is opened or synced.'
          : `Facts kept about ${read.entities} ${read.entities === 1 ? 'entity' : 'entities'}: oldest read ${relativeTime(read.oldest)}, newest ${relativeTime(read.newest)}.`}
      </p>
    </div>
  );
}

function StateBadge({ state }: { state: PluginState }) {
  return (
    <span className={`badge badge-${stateTone[state] ?? 'neutral'}`}>
      <span className="dot" aria-hidden="true" />
      {state}
    </span>
  );
}

/** The plugin's stderr, loaded when opened, newest lines in view. */
function PluginLog({ name }: { name: string }) {
  const client = useClient();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [lines, setLines] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLPreElement>(null);

  const load = async () => {
    setError(null);
    try {
      setLines(await client.pluginLog(name));
    } catch (e) {
      setError(message(e));
    }
  };

  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines]);

  return (
    <div className="plugin-log">
      <button
        type="button"
        className="button button-small button-quiet disclosure"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => {
          setOpen(!open);
          if (!open) void load();
        }}
      >
        <ChevronRight size={13} aria-hidden="true" className="disclosure-icon" />
        Log
      </button>
      {open && (
        <div id={id} className="plugin-log-body">
          {error ? (
            <p className="banner banner-error" role="alert">
              {error}
            </p>
          ) : lines === null ? (
            <Loading label="Loading the log…" />
          ) : lines.length === 0 ? (
            <p className="muted">Nothing logged yet.</p>
          ) : (
            <pre ref={box} className="code plugin-log-lines" tabIndex={0} aria-label={`Log of ${name}`}>
              {lines.join('\n')}
            </pre>
          )}
          <button type="button" className="button button-small" onClick={() => void load()}>
            <RefreshCw size={13} aria-hidden="true" /> Reload log
          </button>
        </div>
      )}
    </div>
  );
}

/**
 * A secret is write-only: the portal says whether it is set, never what it
 * is. Typing replaces it on save; Clear removes it on save.
 */
function SecretField({
  field,
  isSet,
  draft,
  onChange,
}: {
  field: PluginConfigField;
  isSet: boolean;
  draft: string | undefined;
  onChange: (value: string | undefined) => void;
}) {
  const id = useId();
  const clearing = draft === '';
  return (
    <div className="plugin-field">
      <label htmlFor={id} className="setting-label">
        {field.title || field.key}
      </label>
      {field.description && <span className="muted">{field.description}</span>}
      <div className="plugin-secret">
        <input
          id={id}
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          value={draft ?? ''}
          placeholder={clearing ? 'cleared when you save' : isSet ? 'type to replace' : 'not set'}
          onChange={(e) => onChange(e.target.value || undefined)}
        />
        {isSet && !draft && !clearing && <span className="badge badge-good">set</span>}
        {clearing && <span className="badge badge-warn">cleared on save</span>}
        {isSet && (
          <button type="button" className="button button-small button-quiet" disabled={clearing} onClick={() => onChange('')} aria-label={`Clear ${field.title || field.key}`}>
            Clear
          </button>
        )}
      </div>
    </div>
  );
}

function PluginRow({ plugin }: { plugin: PluginInfo }) {
  const client = useClient();
  // What the last save returned, until a reload brings the plugin as it is now.
  const [saved, setSaved] = useState<PluginInfo | null>(null);
  useEffect(() => setSaved(null), [plugin]);
  const p = saved ?? plugin;
  const [values, setValues] = useState<Record<string, string>>({});
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const dirty = Object.keys(values).length > 0 || Object.keys(secrets).length > 0;

  const apply = async (enabled: boolean, edits: boolean) => {
    setBusy(true);
    setStatus(null);
    try {
      // Values replace the ones kept, so they go whole; secrets only where they change.
      const next = await client.setPlugin({ name: p.name, enabled, values: { ...p.values, ...(edits ? values : {}) }, secrets: edits ? secrets : {} });
      setSaved(next);
      if (edits) {
        setValues({});
        setSecrets({});
        setStatus({ ok: true, text: 'Saved.' });
      }
    } catch (e) {
      setStatus({ ok: false, text: message(e) });
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void apply(p.enabled, true);
  };

  const failed = p.state === 'crashed' || p.state === 'broken';
  return (
    <li className="plugin-row" data-testid="plugin-row" aria-label={p.name}>
      <div className="plugin-row-head">
        <div className="plugin-row-title">
          <span className="plugin-name">{p.name}</span>
          <code className="muted">{p.version}</code>
          {p.builtIn && <span className="badge badge-info">built-in</span>}
          <StateBadge state={p.state} />
        </div>
        <label className="switch">
          <input type="checkbox" role="switch" checked={p.enabled} disabled={busy} onChange={() => void apply(!p.enabled, false)} />
          <span className="switch-track" aria-hidden="true" />
          Enabled
        </label>
      </div>
      {p.description && <p className="plugin-description">{p.description}</p>}
      {p.extensionPoints.length > 0 && (
        <div className="plugin-points">
          <span className="muted">Adds</span>
          <ul className="chips" aria-label="Extension points">
            {p.extensionPoints.map((x) => (
              <li key={x} className="chip">
                {pointLabel[x] ?? x}
              </li>
            ))}
          </ul>
        </div>
      )}
      <PluginFacts p={p} />
      {p.lastError && (
        <p className={failed ? 'location-error' : 'plugin-last-error muted'}>
          {failed ? '' : 'Last error: '}
          {p.lastError}
        </p>
      )}
      {p.config.length > 0 && (
        <form className="plugin-config" aria-label={`Settings of ${p.name}`} onSubmit={submit}>
          {p.config.map((f) =>
            f.secret ? (
              <SecretField
                key={f.key}
                field={f}
                isSet={p.secretsSet.includes(f.key)}
                draft={secrets[f.key]}
                onChange={(v) =>
                  setSecrets(({ [f.key]: _, ...rest }) => (v === undefined ? rest : { ...rest, [f.key]: v }))
                }
              />
            ) : (
              <label key={f.key} className="plugin-field">
                <span className="setting-label">{f.title || f.key}</span>
                {f.description && <span className="muted">{f.description}</span>}
                <input
                  type="text"
                  spellCheck={false}
                  value={values[f.key] ?? p.values[f.key] ?? ''}
                  onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
                />
              </label>
            ),
          )}
          <div className="plugin-config-actions">
            <button type="submit" className="button button-small" disabled={!dirty || busy}>
              {busy ? 'Saving…' : 'Save'}
            </button>
            {dirty && (
              <button
                type="button"
                className="button button-small button-quiet"
                onClick={() => {
                  setValues({});
                  setSecrets({});
                }}
              >
                Discard changes
              </button>
            )}
          </div>
        </form>
      )}
      {status && (
        <p className={`banner ${status.ok ? 'banner-ok' : 'banner-error'}`} role={status.ok ? 'status' : 'alert'}>
          {status.text}
        </p>
      )}
      <PluginLog name={p.name} />
    </li>
  );
}

/** The installed plugins: how each is doing, on or off, its settings and its log. */
export function PluginsCard() {
  const { data, error, reload } = useLoad('plugins', (c) => c.plugins(), [Events.PluginsChanged]);
  return (
    <Card title="Plugins" icon={Puzzle} testId="plugins-settings">
      <p className="muted plugin-intro">Programs that add views to entity pages, scaffolder actions, catalog entities or search. Each runs on its own: one that fails leaves the rest of Callboard as it was.</p>
      {error && !data ? (
        <ErrorState title="Could not list the plugins" error={error} onRetry={reload} />
      ) : !data ? (
        <Loading />
      ) : data.length === 0 ? (
        <p className="muted">No plugins are installed.</p>
      ) : (
        <ul className="plugin-list">
          {data.map((p) => (
            <PluginRow key={p.name} plugin={p} />
          ))}
        </ul>
      )}
    </Card>
  );
}
