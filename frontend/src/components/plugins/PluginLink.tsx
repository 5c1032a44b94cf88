import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { ExternalLink } from '../ExternalLink';

/** Where a plugin's link may lead: an app route, or a web or mail address. */
export type LinkTarget = { route: string } | { href: string };

/**
 * Reads a URL a plugin sent. App routes ("/catalog/…", or "#/catalog/…" as
 * the hash router writes them) stay in the app; http, https and mailto
 * addresses leave it; anything else (javascript:, data:, file:, relative
 * paths) is no link at all.
 */
export function linkTarget(url: string | undefined | null): LinkTarget | null {
  const u = (url ?? '').trim();
  if (!u) return null;
  if (u.startsWith('#/')) return { route: u.slice(1) };
  if (u.startsWith('/')) return u.startsWith('//') || u.startsWith('/\\') ? null : { route: u };
  try {
    const { protocol } = new URL(u);
    return protocol === 'http:' || protocol === 'https:' || protocol === 'mailto:' ? { href: u } : null;
  } catch {
    return null;
  }
}

/** A plugin's link: a route through the router, a web address the way every external link opens, else plain text. */
export function PluginLink({ url, children }: { url: string | undefined | null; children: ReactNode }) {
  const target = linkTarget(url);
  if (!target) return <span>{children}</span>;
  if ('route' in target) return <Link to={target.route}>{children}</Link>;
  return <ExternalLink href={target.href}>{children}</ExternalLink>;
}
