import { useEffect, useRef } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { ExternalLink as ExternalIcon } from 'lucide-react';
import { useClient } from '../api/context';
import { isRoute, linkOf, titleOf } from '../links';

/**
 * The window and its page in step: the title names the page ("payments —
 * Callboard", the document's in a browser), and a callboard:// link the
 * window is sent opens its page.
 */
export function FollowLinks() {
  const client = useClient();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  useEffect(() => {
    const title = titleOf(pathname);
    document.title = title;
    client.setTitle(title);
  }, [client, pathname]);
  // navigate changes with every page; following routes must not: each
  // new subscription takes the waiting route, and a take in flight when
  // its subscription was dropped would lose the route it took.
  const go = useRef(navigate);
  useEffect(() => {
    go.current = navigate;
  }, [navigate]);
  useEffect(
    () =>
      client.onRoute((route) => {
        if (isRoute(route)) void go.current(route);
      }),
    [client],
  );
  return null;
}

/**
 * "Open in Callboard": the page's callboard:// link, for a browser on
 * `callboard serve` to hand the page to the desktop app. Nothing in the
 * window, or on a page no link opens.
 */
export function OpenInCallboard() {
  const client = useClient();
  const { pathname, search } = useLocation();
  const link = client.inWindow ? null : linkOf(pathname + search);
  if (!link) return null;
  return (
    <a href={link} className="button button-small button-quiet" title={`Open this page in the Callboard app (${link})`}>
      <ExternalIcon size={13} aria-hidden="true" /> Open in Callboard
    </a>
  );
}
