import type { MouseEvent, ReactNode } from 'react';
import { ExternalLink as ExternalIcon } from 'lucide-react';

/**
 * A link that leaves Callboard. In the desktop window it opens in the
 * system browser (the webview itself would navigate away from the app).
 */
export function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  const open = (e: MouseEvent<HTMLAnchorElement>) => {
    if (window.runtime) {
      e.preventDefault();
      window.runtime.BrowserOpenURL(href);
    }
  };
  return (
    <a href={href} target="_blank" rel="noreferrer noopener" onClick={open} className="external-link">
      {children}
      <ExternalIcon size={12} aria-hidden="true" />
    </a>
  );
}
