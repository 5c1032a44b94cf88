import { useState } from 'react';
import { GitPullRequest } from 'lucide-react';
import { useClient } from '../api/context';
import type { EntityReview } from '../api/types.gen';
import { ExternalLink } from './ExternalLink';

/** The words and badge colour of a pull request's state. */
export function reviewStateLabel(state: string | undefined): { label: string; tone: string } {
  switch (state) {
    case 'changesRequested':
      return { label: 'changes requested', tone: 'badge-bad' };
    case 'merged':
      return { label: 'merged, waiting for the next sync', tone: 'badge-good' };
    case 'closed':
      return { label: 'closed, not merged', tone: 'badge-bad' };
    default:
      return { label: 'in review', tone: 'badge-info' };
  }
}

/**
 * An entity whose file has a change made in Callboard waiting in a pull
 * request: its link and state, and that the version shown is the user's,
 * not merged. A closed one offers to discard the change or reopen it.
 */
export function ReviewBadge({ review, onChanged }: { review: EntityReview; onChanged: () => void }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { label, tone } = reviewStateLabel(review.state);

  const settle = async (action: 'discard' | 'reopen') => {
    setBusy(true);
    setError(null);
    try {
      await client.settleReview(review.entryId, action);
      onChanged();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="review-badge" data-testid="review-badge">
      <span className={`badge ${tone}`} title="Changed in Callboard: the change waits in a pull request">
        <GitPullRequest size={12} aria-hidden="true" /> {label === 'in review' ? 'In review' : `In review: ${label}`}
      </span>
      {review.url ? (
        <ExternalLink href={review.url}>pull request #{review.number}</ExternalLink>
      ) : (
        <span className="muted">pull request being opened</span>
      )}
      <span className="muted">yours, not merged</span>
      {review.state === 'closed' && (
        <>
          <button type="button" className="button button-small" disabled={busy} onClick={() => settle('discard')}>
            Discard my change
          </button>
          <button type="button" className="button button-small" disabled={busy} onClick={() => settle('reopen')}>
            Reopen
          </button>
        </>
      )}
      {error && (
        <span className="warn-text" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
