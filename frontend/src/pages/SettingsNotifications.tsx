import { useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { Bell, BellOff } from 'lucide-react';
import { useClient } from '../api/context';
import { useLoad } from '../api/useLoad';
import type { NotificationChange, NotificationKind, NotificationSettings } from '../api/types.gen';
import { Card } from '../components/Card';
import { KIND_LABELS } from '../components/NotificationCentre';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The notification settings, and a change that reloads them, with its error. */
export function useNotifications() {
  const client = useClient();
  const { data, reload } = useLoad('notifications', (c) => c.notifications(), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const change = async (c: NotificationChange) => {
    setBusy(true);
    setError(null);
    try {
      await client.setNotifications(c);
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
      reload();
    }
  };
  return { data, busy, error, change };
}

/** A location's bell: every new problem of the location notified, or only those of entities the user owns. */
export function LocationNotifyToggle({ id, settings, busy, onChange }: { id: string; settings?: NotificationSettings; busy: boolean; onChange: (c: NotificationChange) => void }) {
  const on = settings?.locations.includes(id) ?? false;
  const Icon = on ? Bell : BellOff;
  return (
    <button
      type="button"
      className={on ? 'button button-small' : 'button button-small button-quiet'}
      aria-pressed={on}
      aria-label={`Notify every new problem of ${id}`}
      title={on ? 'Every new problem a sync brings here raises a desktop notification: click to hear only of yours' : 'Only new problems of entities you own raise a notification: click to hear of every one here'}
      disabled={busy || !settings}
      onClick={() => onChange({ locationId: id, location: !on })}
    >
      <Icon size={13} aria-hidden="true" />
    </button>
  );
}

/**
 * What notifies: new problems (owned by me, and the locations that
 * notify every one), and a switch for each other kind, with its default.
 */
export function NotificationsCard() {
  const { data, busy, error, change } = useNotifications();
  return (
    <Card title="Notifications" icon={Bell} testId="settings-notifications">
      {data && (
        <>
          <p className="muted">
            Notifications are kept in the centre behind the bell, and shown on the desktop while the window is open. Each is told once. Those about your own changes and
            runs are on by default; those that can come often are off until you turn them on.
          </p>
          <div className="setting-row">
            <div>
              <p className="setting-label">{KIND_LABELS.problems}</p>
              <p className="muted">
                When a sync refuses a file or keeps an entity at its last good version, and the entity is yours or your team&apos;s: where, how many, and the first file and
                line. On by default.
              </p>
            </div>
            <label className="checkbox">
              <input type="checkbox" role="switch" aria-label="Notify new problems in entities I own" checked={data.ownedByMe} disabled={busy} onChange={() => void change({ ownedByMe: !data.ownedByMe })} />
              {data.ownedByMe ? 'On' : 'Off'}
            </label>
          </div>
          <p className="muted" data-testid="notify-locations">
            {data.locations.length === 0 ? 'No location notifies every new problem' : `Every new problem is notified for ${data.locations.join(', ')}`}: choose with the bell on the{' '}
            <RouterLink to="/locations">Locations page</RouterLink>.
          </p>
          {data.kinds
            .filter((k) => k.kind !== 'problems')
            .map((k) => (
              <div className="setting-row" key={k.kind} data-testid={`notify-kind-${k.kind}`}>
                <div>
                  <p className="setting-label">{KIND_LABELS[k.kind]}</p>
                  <p className="muted">
                    {KIND_DETAILS[k.kind]} {k.default ? 'On by default.' : 'Off by default.'}
                  </p>
                </div>
                <label className="checkbox">
                  <input type="checkbox" role="switch" aria-label={KIND_LABELS[k.kind]} checked={k.on} disabled={busy} onChange={() => void change({ kind: k.kind, on: !k.on })} />
                  {k.on ? 'On' : 'Off'}
                </label>
              </div>
            ))}
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

/** Why each kind is on or off by default, and when it is told. */
const KIND_DETAILS: Record<NotificationKind, string> = {
  'outbox-conflict': 'An edit made here could not be pushed because the remote changed the same files; it waits on a branch for you.',
  'pull-request': 'A pull request Callboard opened for your edit was merged, or closed without merging.',
  'template-run': 'A project you started from a template is ready, or its run failed.',
  problems: '',
  'sync-failed': 'Once each time a location stops syncing, and again after a day without a sync. Off by default: a laptop offline would be told often.',
  'ci-failed': 'The last run on the default branch of a service you own failed (the CI plugin), once until it passes again. Off by default: builds can be flaky.',
  'template-update': 'The template a project on this machine was made from has new commits. Off by default: Home already shows it.',
};
