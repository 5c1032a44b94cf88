import type { MouseEvent } from 'react';
import { Link } from 'react-router-dom';
import { CircleArrowUp, X } from 'lucide-react';
import { useClient } from '../api/context';
import { useLoad } from '../api/useLoad';
import { Events } from '../api/types.gen';

const refreshOn = [Events.UpdatesChecked];

/** The update check's status, loaded again after each check. */
export function useUpdates() {
  return useLoad('updates', (c) => c.updates(), refreshOn);
}

/**
 * Release notes, rendered and sanitised by the portal (no raw HTML, no
 * images, https links only); links open in the system browser.
 */
export function ReleaseNotes({ html }: { html: string }) {
  const open = (e: MouseEvent<HTMLDivElement>) => {
    const href = (e.target as HTMLElement).closest('a')?.getAttribute('href');
    if (!href) return;
    e.preventDefault();
    if (window.runtime) window.runtime.BrowserOpenURL(href);
    else window.open(href, '_blank', 'noopener,noreferrer');
  };
  return <div className="release-notes docs-content" onClick={open} dangerouslySetInnerHTML={{ __html: html }} />;
}

/** A small notice in the sidebar while a newer release exists, until the user closes it for that version. */
export function UpdateNotice() {
  const client = useClient();
  const { data, reload } = useUpdates();
  if (!data?.enabled || !data.newer || data.dismissed) return null;
  const dismiss = async () => {
    try {
      await client.patchSettings({ dismissedUpdate: data.latest });
    } finally {
      reload();
    }
  };
  return (
    <div className="update-notice" role="status" data-testid="update-notice">
      <CircleArrowUp size={14} aria-hidden="true" />
      <Link to="/settings" title="What changed, in Settings">
        Callboard {data.latest} is out
      </Link>
      <button type="button" className="icon-button" aria-label={`Dismiss the notice of ${data.latest}`} onClick={dismiss}>
        <X size={12} aria-hidden="true" />
      </button>
    </div>
  );
}
