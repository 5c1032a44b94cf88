import { Link, useParams, useSearchParams } from 'react-router-dom';
import { Puzzle, SearchX } from 'lucide-react';
import { PortalError } from '../api/client';
import { useLoad } from '../api/useLoad';
import { Events, type PluginPageContent } from '../api/types.gen';
import type { PluginBlock } from '../api/pluginViews';
import { Boundary } from '../components/Boundary';
import { PageHeader } from '../components/PageHeader';
import { PluginView } from '../components/plugins/PluginView';
import { EmptyState, ErrorState, Loading } from '../components/States';

const REFRESH_ON = [Events.PluginsChanged, Events.SyncDone];

function blocksOf(content: PluginPageContent): PluginBlock[] {
  return content.blocks.filter((b): b is PluginBlock => typeof b === 'object' && b !== null && !Array.isArray(b));
}

/**
 * A page a plugin adds, at /plugins/<plugin>/<page>: its blocks drawn with
 * the app's own pieces, the address's query handed to the plugin.
 */
export function PluginPagePage() {
  const { plugin = '', page = '' } = useParams();
  const [search] = useSearchParams();
  const query = search.toString();
  const { data, error, reload, stale } = useLoad(
    `plugin-page\0${plugin}\0${page}\0${query}`,
    (c) => c.pluginPage(plugin, page, Object.fromEntries(new URLSearchParams(query))),
    REFRESH_ON,
  );
  const content = stale ? undefined : data;
  if (error instanceof PortalError && error.code === 'not_found') {
    return (
      <div className="page">
        <EmptyState icon={SearchX} title="No such plugin page">
          <p>
            No enabled plugin has a page <code>{`${plugin}/${page}`}</code>. It may be turned off in <Link to="/settings">Settings</Link>.
          </p>
        </EmptyState>
      </div>
    );
  }
  let body;
  if (error && !content) body = <ErrorState title={`Could not load the ${plugin} plugin's page`} error={error} onRetry={reload} />;
  else if (!content) body = <Loading label="Asking the plugin…" />;
  else if (content.error) {
    body = (
      <p className="banner banner-warn" role="note" data-testid="plugin-page-unavailable">
        {/^plugin unavailable\b/i.test(content.error) ? content.error : `plugin unavailable: ${content.error}`}
      </p>
    );
  } else {
    body = (
      <Boundary label="This plugin page" where={`plugin page ${plugin}/${page}`}>
        <PluginView view={{ id: page, title: content.title, placement: 'PLACEMENT_CARD', blocks: blocksOf(content) }} />
      </Boundary>
    );
  }
  return (
    <div className="page page-wide" data-testid="plugin-page">
      <PageHeader
        title={content?.title || page}
        subtitle={
          <>
            <Puzzle size={12} aria-hidden="true" /> From the {plugin} plugin{content?.subtitle ? ` · ${content.subtitle}` : ''}
          </>
        }
      />
      {body}
    </div>
  );
}
