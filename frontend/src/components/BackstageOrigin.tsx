import { Clock } from 'lucide-react';
import type { EntityBackstage } from '../api/types.gen';
import { relativeTime } from '../locale';

/** A read older than this is shown as stale: a Backstage location syncs every few minutes when it can. */
export const STALE_AFTER_MS = 24 * 3600 * 1000;

/** Whether a read at iso (RFC 3339) is older than a day; a missing time is stale. */
export function isStaleRead(iso: string | undefined, now = Date.now()): boolean {
  if (!iso) return true;
  const t = Date.parse(iso);
  return Number.isNaN(t) || now - t > STALE_AFTER_MS;
}

/** The host of a base URL, for short labels; the URL itself when it is not one. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** "Read from backstage.acme.example 3 hours ago", warning-styled after a day. */
export function BackstageReadAge({ backstage, now }: { backstage: EntityBackstage; now?: number }) {
  const stale = isStaleRead(backstage.storedAt, now);
  const when = backstage.storedAt ? relativeTime(backstage.storedAt, now) : 'not read yet';
  return (
    <span
      className={`badge ${stale ? 'badge-warn' : 'badge-neutral'} backstage-read`}
      data-testid="backstage-read"
      title={backstage.storedAt ? `Last read from ${backstage.baseUrl} at ${backstage.storedAt}` : `Not read from ${backstage.baseUrl} yet`}
    >
      <Clock size={12} aria-hidden="true" /> Read from {hostOf(backstage.baseUrl)} {when}
    </span>
  );
}

/** What the editor of an entity read from a Backstage says about where the change goes. */
export function BackstageEditNote({ backstage }: { backstage: EntityBackstage }) {
  return (
    <p className="banner banner-info" data-testid="backstage-edit-note">
      This entity comes from {hostOf(backstage.baseUrl)}; the change goes to <code>{backstage.repo}</code>
      {backstage.file && (
        <>
          {' '}
          (<code>{backstage.file}</code>)
        </>
      )}{' '}
      and Backstage will pick it up at its next refresh.
    </p>
  );
}
