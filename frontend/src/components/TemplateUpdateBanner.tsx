import { Link } from 'react-router-dom';
import { GitMerge } from 'lucide-react';
import { useLoad } from '../api/useLoad';
import type { TemplateUpdateSummary } from '../api/types.gen';
import { shortCommit } from '../format';
import { UpdatePushStatus } from './UpdatePush';

/** How many of the template's commits a banner lists before "and N more". */
const SHOWN_COMMITS = 3;

/** The page that previews and applies an update of the project in dir. */
export function updateLink(dir: string): string {
  return `/create/update?${new URLSearchParams({ dir }).toString()}`;
}

/** "Template update available" for one project: the template's commits since the project's, and a link to the preview. */
export function TemplateUpdateBanner({ update }: { update: TemplateUpdateSummary }) {
  if (!update.available) return null;
  const shown = update.commits.slice(0, SHOWN_COMMITS);
  const more = update.commits.length - shown.length;
  return (
    <section className="banner banner-update" role="status" data-testid="template-update">
      <p className="banner-update-title">
        <GitMerge size={14} aria-hidden="true" /> <strong>Template update available</strong>: {update.title || update.template} changed since{' '}
        <code>{shortCommit(update.from)}</code>
        {update.entityRef ? '' : ` (${update.dir})`}
      </p>
      <ul className="banner-update-commits">
        {shown.map((c) => (
          <li key={c.hash}>
            <code>{shortCommit(c.hash)}</code> {c.subject} <span className="muted">— {c.author}, {c.date.slice(0, 10)}</span>
          </li>
        ))}
        {(more > 0 || update.moreCommits) && <li className="muted">and {update.moreCommits ? 'more' : `${more} more`}</li>}
      </ul>
      {update.push && (
        <div className="banner-update-push" data-testid="template-update-push">
          <span className="muted">
            {update.push.templateCommit && update.push.templateCommit !== update.to
              ? `An update to ${shortCommit(update.push.templateCommit)} was pushed:`
              : 'This update was pushed:'}
          </span>{' '}
          <UpdatePushStatus push={update.push} />
        </div>
      )}
      <Link className="button button-small" to={updateLink(update.dir)}>
        Preview update
      </Link>
    </section>
  );
}

/** The banner for an entity whose project's template moved on; nothing otherwise, or when it cannot tell. */
export function EntityTemplateUpdate({ entityRef }: { entityRef: string }) {
  const { data } = useLoad(`template-update\0${entityRef}`, (c) => c.entityTemplateUpdate(entityRef));
  if (!data?.available) return null;
  return <TemplateUpdateBanner update={data} />;
}

/** One banner per project on this machine whose template moved on (the Create page, Home). */
export function TemplateUpdates() {
  const { data } = useLoad('template-updates', (c) => c.templateUpdates());
  const available = (data ?? []).filter((u) => u.available);
  if (available.length === 0) return null;
  return (
    <div className="template-updates" data-testid="template-updates">
      {available.map((u) => (
        <TemplateUpdateBanner key={u.dir} update={u} />
      ))}
    </div>
  );
}
