import { useState } from 'react';
import { useClient } from '../api/context';
import type { Location } from '../api/types.gen';

/** Hosts Callboard knows the forge of (sync/remote's knownHosts). */
const knownHosts = new Set(['github.com', 'www.github.com', 'gitlab.com', 'bitbucket.org', 'dev.azure.com', 'gitea.com', 'codeberg.org']);

const forges = [
  { value: 'github', label: 'GitHub' },
  { value: 'gitlab', label: 'GitLab' },
  { value: 'gitea', label: 'Gitea or Forgejo' },
];

/**
 * hostOf is the host of a remote repository's URL (https, ssh or scp-like
 * git@host:path); "" for a folder on disk, whose edits open no pull request.
 */
export function hostOf(url: string): string {
  const scp = /^[\w.-]+@([^:/]+):/.exec(url);
  if (scp?.[1]) return scp[1].toLowerCase();
  try {
    const u = new URL(url);
    return ['http:', 'https:', 'ssh:', 'git:'].includes(u.protocol) ? u.host.toLowerCase() : '';
  } catch {
    return '';
  }
}

const modes = [
  { value: 'detect', label: 'Detect (pull request when the branch is protected)' },
  { value: 'direct', label: 'Push directly' },
  { value: 'pr', label: 'Open a pull request' },
];

/**
 * How a location's edits reach its branch. Detect says what it found; a
 * discovered organisation's choice goes to its repositories.
 */
export function ReviewModeSelect({ location: l, onChanged }: { location: Location; onChanged: () => void }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mode = l.reviewMode || 'detect';

  // A host Callboard does not know by name (an Enterprise install, a
  // self-hosted GitLab or Gitea) needs its forge named for pull requests.
  const host = hostOf(l.url);
  const askForge = host !== '' && (!knownHosts.has(host) || !!l.reviewForge);

  const change = async (next: string, forge?: string) => {
    setBusy(true);
    setError(null);
    try {
      await client.setReviewMode(l.id, forge ? { mode: next, forge } : { mode: next });
      onChanged();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="review-mode">
      <label>
        Edits made here{l.org ? ' (to its repositories)' : ''}:{' '}
        <select value={mode} disabled={busy} onChange={(e) => change(e.target.value)} aria-label={`How edits reach ${l.id}`}>
          {modes.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      {askForge && (
        <label>
          {' '}
          on{' '}
          <select
            value={l.reviewForge ?? ''}
            disabled={busy}
            onChange={(e) => e.target.value && change(mode, e.target.value)}
            aria-label={`Forge of ${host}`}
          >
            {!l.reviewForge && <option value="">an unknown forge (no pull requests)</option>}
            {forges.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {mode === 'detect' && l.reviewDetected && (
        <span className="muted"> · found: {l.reviewDetected === 'pr' ? 'the branch is protected, pull requests' : 'pushes directly'}</span>
      )}
      {error && (
        <span className="warn-text" role="alert">
          {' '}
          {error}
        </span>
      )}
    </div>
  );
}
