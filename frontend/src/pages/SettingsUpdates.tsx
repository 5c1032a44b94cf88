import { useState } from 'react';
import { CircleArrowUp, Compass, RefreshCw } from 'lucide-react';
import { useClient } from '../api/context';
import { useLoad } from '../api/useLoad';
import { Card } from '../components/Card';
import { ExternalLink } from '../components/ExternalLink';
import { ReleaseNotes, useUpdates } from '../components/UpdateNotice';
import { relativeTime } from '../locale';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The update check: its switch, its feed, what it last found and the release's notes. */
export function UpdatesCard() {
  const client = useClient();
  const { data, reload } = useUpdates();
  const [feed, setFeed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (what: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await what();
      return true;
    } catch (e) {
      setError(message(e));
      return false;
    } finally {
      setBusy(false);
      reload();
    }
  };
  const saveFeed = async (e: React.FormEvent) => {
    e.preventDefault();
    if (await run(() => client.patchSettings({ updateFeedUrl: (feed ?? '').trim() }))) setFeed(null);
  };

  return (
    <Card title="Updates" icon={CircleArrowUp} testId="settings-updates">
      {data && (
        <>
          <div className="setting-row">
            <div>
              <p className="setting-label">Check for a newer Callboard once a day</p>
              <p className="muted">In the background, after the window is up: one request to the feed below, with no token and nothing about you but the version. Off: Callboard never asks.</p>
            </div>
            <label className="checkbox">
              <input type="checkbox" role="switch" aria-label="Check for updates" checked={data.enabled} disabled={busy} onChange={() => void run(() => client.patchSettings({ updateCheck: !data.enabled }))} />
              {data.enabled ? 'On' : 'Off'}
            </label>
          </div>
          <form className="setting-row" onSubmit={saveFeed} aria-label="Release feed">
            <label className="grow">
              <span className="setting-label">Release feed</span>
              <input
                type="url"
                value={feed ?? data.feedUrl}
                onChange={(e) => setFeed(e.target.value)}
                spellCheck={false}
                placeholder="https://api.github.com/repos/callboard/callboard/releases/latest"
              />
              <span className="muted">GitHub's releases API, or a JSON file of your own: {'{"version", "url", "notes"}'}, served over https. Empty for Callboard's releases.</span>
            </label>
            <button type="submit" className="button button-small" disabled={busy || feed === null}>
              Save
            </button>
          </form>
          <div className="setting-row">
            <p data-testid="update-status">
              You run Callboard {data.current}
              {!data.isRelease && ' (built from source: never told of updates)'}.{' '}
              {data.latest && (
                <>
                  The latest release is {data.url ? <ExternalLink href={data.url}>{data.latest}</ExternalLink> : data.latest}
                  {data.newer ? ', newer than yours.' : '.'}{' '}
                </>
              )}
              {data.checkedAt ? `Checked ${relativeTime(data.checkedAt)}.` : 'Not checked yet.'}
              {data.error && <span className="warn-text"> The last check failed: {data.error}</span>}
            </p>
            <button type="button" className="button button-small" disabled={busy} onClick={() => void run(() => client.checkUpdates())}>
              <RefreshCw size={13} aria-hidden="true" className={busy ? 'spin' : undefined} /> Check now
            </button>
          </div>
          {data.newer && data.notesHtml && (
            <details open={!data.dismissed}>
              <summary>What changed in {data.latest}</summary>
              <ReleaseNotes html={data.notesHtml} />
            </details>
          )}
        </>
      )}
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
    </Card>
  );
}

/** The demo organisation: removed in one click, brought back here. */
export function DemoCard() {
  const client = useClient();
  const { data, reload } = useLoad('settings', (c) => c.settings(), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (what: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await what();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
      reload();
    }
  };
  const restore = () =>
    act(async () => {
      const demo = await client.restoreDemo();
      void client.sync(demo.id);
    });
  const remove = () => {
    if (window.confirm('Remove the demo organisation? Its entities leave the catalog, and it stays away until you bring it back here.')) void act(() => client.removeDemo());
  };
  return (
    <Card title="Demo organisation" icon={Compass} testId="settings-demo">
      <div className="setting-row">
        <p className="muted">
          Marigold Ferries, a made-up company, shows what Callboard does; it is marked Demo wherever it appears.{' '}
          {data?.demoRemoved ? 'You removed it.' : 'Remove it once your own catalog is in.'}
        </p>
        {data &&
          (data.demoRemoved ? (
            <button type="button" className="button button-small" disabled={busy} onClick={() => void restore()}>
              Restore the demo
            </button>
          ) : (
            <button type="button" className="button button-small button-quiet" disabled={busy} onClick={remove}>
              Remove the demo
            </button>
          ))}
      </div>
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
    </Card>
  );
}
