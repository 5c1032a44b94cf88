import { useState } from 'react';
import { useClient } from '../api/context';
import type { Location } from '../api/types.gen';

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

  const change = async (next: string) => {
    setBusy(true);
    setError(null);
    try {
      await client.setReviewMode(l.id, { mode: next });
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
