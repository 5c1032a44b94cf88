import { useState } from 'react';
import { Plus } from 'lucide-react';
import type { Location } from '../api/types.gen';
import { relativeTime } from '../locale';
import { useAddLocation } from './AddLocation';
import { ExternalLink } from './ExternalLink';
import { isStaleRead } from './BackstageOrigin';

/** The host of a Backstage address as typed, for the token command; '' until it reads as a URL. */
function hostOf(url: string): string {
  try {
    return new URL(url.trim()).host;
  } catch {
    return '';
  }
}

/**
 * Connects an organisation's Backstage: its catalog is read from the
 * backend's API with the host's token from the OS keyring, then kept
 * offline like any location's.
 */
export function ConnectBackstageForm({ onAdded }: { onAdded: () => void }) {
  const { add, busy, error } = useAddLocation(onAdded);
  const [url, setUrl] = useState('');
  const host = hostOf(url) || 'HOST';

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (await add({ url: url.trim(), backstage: true })) setUrl('');
  };

  return (
    <form className="add-location" onSubmit={submit} aria-label="Connect a Backstage">
      <label className="add-location-url">
        <span>Backstage</span>
        <input type="text" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://backstage.acme.example" required spellCheck={false} />
      </label>
      <button type="submit" className="button" disabled={busy || !url.trim()}>
        <Plus size={14} aria-hidden="true" /> {busy ? 'Connecting…' : 'Connect'}
      </button>
      <p className="muted">
        Store its token first, once: <code>callboard token set {host}</code> reads it from stdin into the OS keyring (a static external-access token, or your own
        Backstage token). It is sent to that host only.
      </p>
      {error && (
        <p className="banner banner-error add-location-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** What a Backstage location read last, under it in the list. */
export function BackstageDetails({ location }: { location: Location }) {
  const b = location.backstage;
  if (!b) return null;
  return (
    <p className={isStaleRead(b.readAt) ? 'warn-text' : 'muted'} data-testid="backstage-details" data-stale={isStaleRead(b.readAt) ? 'true' : undefined}>
      Read from <ExternalLink href={b.baseUrl}>{b.baseUrl}</ExternalLink>
      {b.readAt ? (
        <>
          , last read <time dateTime={b.readAt}>{relativeTime(b.readAt)}</time>: {b.requests} request{b.requests === 1 ? '' : 's'}, {b.changed} changed, {b.removed} removed.
        </>
      ) : (
        ', not read yet.'
      )}{' '}
      Edits go to each entity&apos;s source repository, never to Backstage.
    </p>
  );
}
