import { useEffect, useId, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Bell, CheckCheck, Trash2 } from 'lucide-react';
import { useClient } from '../api/context';
import { useLoad } from '../api/useLoad';
import { Events, type Notification, type NotificationKind, type NotificationList } from '../api/types.gen';
import { formatDate, relativeTime } from '../locale';
import { PageHeader } from './PageHeader';
import '../styles/notifications.css';

const refreshOn = [Events.NotificationAdded];

/** The notification centre, loaded again whenever a notification is raised. */
export function useNotificationCentre() {
  const client = useClient();
  const loaded = useLoad('notification-centre', (c) => c.listNotifications(), refreshOn);
  // Each change answers with the centre as it is now; it stands until
  // the next load.
  const [changed, setChanged] = useState<{ list: NotificationList; over?: NotificationList }>();
  const list = changed && changed.over === loaded.data ? changed.list : loaded.data;
  const apply = async (p: Promise<NotificationList>) => {
    const over = loaded.data;
    try {
      setChanged({ list: await p, over });
    } catch {
      loaded.reload();
    }
  };
  return {
    list,
    error: loaded.error,
    read: (ids: string[]) => apply(client.readNotifications({ ids })),
    readAll: () => apply(client.readNotifications({ all: true })),
    clear: () => apply(client.clearNotifications()),
  };
}

/** What each kind is called, in the centre and in Settings. */
export const KIND_LABELS: Record<NotificationKind, string> = {
  'outbox-conflict': 'A change of mine conflicts with the remote',
  'pull-request': 'A pull request of mine was merged or closed',
  'template-run': 'A template run finished',
  problems: 'New problems in entities I own',
  'sync-failed': 'A sync failed, or a location has been offline for a day',
  'ci-failed': 'CI failed on a service I own',
  'template-update': 'A template update is available for a project',
};

/** dayOf is the heading of the day a notification was raised on. */
function dayOf(iso: string, now: Date): string {
  const d = new Date(iso);
  const start = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((start(now) - start(d)) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return formatDate(d, { dateStyle: 'full' });
}

/** byDay groups notifications, newest first, under the day they were raised. */
export function byDay(ns: Notification[], now = new Date()): { day: string; items: Notification[] }[] {
  const groups: { day: string; items: Notification[] }[] = [];
  for (const n of ns) {
    const day = dayOf(n.time, now);
    const last = groups[groups.length - 1];
    if (last?.day === day) last.items.push(n);
    else groups.push({ day, items: [n] });
  }
  return groups;
}

/**
 * The notifications grouped by day, each opening its page and marking
 * it read; onOpen runs after (the panel closes).
 */
export function NotificationItems({ list, read, onOpen }: { list: NotificationList; read: (ids: string[]) => void; onOpen?: () => void }) {
  const navigate = useNavigate();
  if (list.notifications.length === 0) {
    return (
      <p className="muted notification-empty" data-testid="notifications-empty">
        Nothing yet. Choose what notifies you in <Link to="/settings">Settings</Link>.
      </p>
    );
  }
  const open = (n: Notification) => {
    if (!n.read) read([n.id]);
    onOpen?.();
    if (n.link) void navigate(n.link);
  };
  return (
    <div className="notification-days">
      {byDay(list.notifications).map((g) => (
        <section key={g.day} aria-label={g.day}>
          <h3 className="notification-day">{g.day}</h3>
          <ul className="notification-list">
            {g.items.map((n) => (
              <li key={n.id}>
                <button type="button" className={`notification${n.read ? '' : ' unread'}`} onClick={() => open(n)} data-testid="notification" data-kind={n.kind}>
                  <span className="notification-title">
                    {!n.read && <span className="notification-dot" aria-label="Unread" />}
                    {n.title}
                  </span>
                  {n.body && <span className="notification-body">{n.body}</span>}
                  <span className="notification-meta" title={formatDate(n.time)}>
                    {relativeTime(n.time)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

/** The actions over the whole centre. */
function CentreActions({ list, readAll, clear }: { list: NotificationList; readAll: () => void; clear: () => void }) {
  return (
    <div className="notification-actions">
      <button type="button" className="button button-small button-quiet" disabled={list.unread === 0} onClick={readAll} data-testid="notifications-read-all">
        <CheckCheck size={13} aria-hidden="true" /> Mark all read
      </button>
      <button type="button" className="button button-small button-quiet" disabled={list.notifications.length === 0} onClick={clear} data-testid="notifications-clear">
        <Trash2 size={13} aria-hidden="true" /> Clear
      </button>
    </div>
  );
}

/**
 * The bell in the sidebar's header: the unread count, and the centre in
 * a panel beside it. Escape or a click outside closes the panel and
 * gives the focus back to the bell.
 */
export function NotificationBell() {
  const { list, read, readAll, clear } = useNotificationCentre();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const bell = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const unread = list?.unread ?? 0;

  useEffect(() => {
    if (!open) return;
    panel.current?.focus();
    const close = (focusBell: boolean) => {
      setOpen(false);
      if (focusBell) bell.current?.focus();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close(true);
    };
    const onDown = (e: MouseEvent) => {
      const t = e.target as Node;
      if (!panel.current?.contains(t) && !bell.current?.contains(t)) close(false);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onDown);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onDown);
    };
  }, [open]);

  const label = unread > 0 ? `Notifications, ${unread} unread` : 'Notifications';
  return (
    <>
      <button
        ref={bell}
        type="button"
        className="icon-button notification-bell"
        aria-label={label}
        title={label}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        data-testid="notification-bell"
      >
        <Bell size={16} aria-hidden="true" />
        {unread > 0 && (
          <span className="notification-count" data-testid="notification-count">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div ref={panel} id={panelId} className="notification-panel" role="dialog" aria-label="Notifications" tabIndex={-1} data-testid="notification-panel">
          <div className="notification-panel-head">
            <h2>Notifications</h2>
            {list && <CentreActions list={list} readAll={readAll} clear={clear} />}
          </div>
          {list ? <NotificationItems list={list} read={read} onOpen={() => setOpen(false)} /> : <p className="muted">Loading…</p>}
        </div>
      )}
    </>
  );
}

/** The centre as a page, for the palette's "Notifications". */
export function NotificationsPage() {
  const { list, error, read, readAll, clear } = useNotificationCentre();
  return (
    <div className="page notifications-page" data-testid="notifications-page">
      <PageHeader title="Notifications" subtitle="What Callboard told you, newest first" actions={list && <CentreActions list={list} readAll={readAll} clear={clear} />} />
      {error && (
        <p className="banner banner-error" role="alert">
          {error.message}
        </p>
      )}
      {list && <NotificationItems list={list} read={read} />}
    </div>
  );
}
