import { useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { Bell, BellOff } from 'lucide-react';
import { useClient } from '../api/context';
import { useLoad } from '../api/useLoad';
import type { NotificationChange, NotificationSettings } from '../api/types.gen';
import { Card } from '../components/Card';

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

/** Desktop notifications of new problems: owned by me on or off, and which locations notify every problem. */
export function NotificationsCard() {
  const { data, busy, error, change } = useNotifications();
  return (
    <Card title="Notifications" icon={Bell} testId="settings-notifications">
      {data && (
        <>
          <div className="setting-row">
            <div>
              <p className="setting-label">Notify new problems in entities I own</p>
              <p className="muted">
                When a sync refuses a file or keeps an entity at its last good version, and the entity is yours or your team&apos;s, the desktop tells you: where, how many,
                and the first file and line. Only while the window is open.
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
