import { GitPullRequest } from 'lucide-react';
import type { TemplateUpdatePush } from '../api/types.gen';
import { relativeTime } from '../locale';
import { ExternalLink } from './ExternalLink';

const causeLabel: Record<string, string> = {
  auth: 'the remote refused the credentials',
  nonFastForward: 'the remote branch moved since Callboard pushed it',
  offline: 'the remote could not be reached',
};

/** The badge of a template update's push: its state and, when it failed or waits, why. */
export function pushStateLabel(p: Pick<TemplateUpdatePush, 'state' | 'cause'>): { label: string; tone: string } {
  switch (p.state) {
    case 'pushed':
      return { label: 'pushed', tone: 'badge-ok' };
    case 'prOpen':
      return { label: 'pull request open', tone: 'badge-ok' };
    case 'merged':
      return { label: 'pull request merged', tone: 'badge-ok' };
    case 'closed':
      return { label: 'pull request closed unmerged', tone: 'badge-warn' };
    case 'failed':
      return { label: p.cause ? `failed: ${p.cause === 'nonFastForward' ? 'not a fast-forward' : p.cause}` : 'failed', tone: 'badge-bad' };
    default:
      return { label: p.cause === 'offline' ? 'queued: offline' : 'queued', tone: 'badge-warn' };
  }
}

/** One push of a template update: where it goes, its state, the pull request's link, and why it failed. */
export function UpdatePushStatus({ push }: { push: Pick<TemplateUpdatePush, 'state' | 'cause' | 'lastError' | 'lastTry' | 'review' | 'remoteBranch' | 'remote'> }) {
  const { label, tone } = pushStateLabel(push);
  return (
    <div className="update-push" data-testid="update-push">
      <span className={`badge ${tone}`}>{label}</span> <code>{push.remoteBranch}</code>
      {push.remote && <span className="muted"> on {push.remote}</span>}
      {push.review?.url && (
        <>
          {' · '}
          <ExternalLink href={push.review.url}>
            <GitPullRequest size={12} aria-hidden="true" /> pull request #{push.review.number}
          </ExternalLink>
        </>
      )}
      {push.lastError && (
        <p className="muted">
          {push.lastTry ? `Last try ${relativeTime(push.lastTry)}: ` : ''}
          {push.cause && causeLabel[push.cause] ? `${causeLabel[push.cause]}. ` : ''}
          {push.state === 'queued' ? 'It is tried again at the next sync. ' : ''}
          {push.lastError}
        </p>
      )}
    </div>
  );
}
