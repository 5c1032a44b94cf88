import type { ReactNode } from 'react';
import { Puzzle } from 'lucide-react';
import { useLoad } from '../api/useLoad';
import { Events, type PluginContent } from '../api/types.gen';
import { viewsOf, type PluginAction, type PluginView as View } from '../api/pluginViews';
import { Card } from '../components/Card';
import { PluginView } from '../components/plugins/PluginView';
import { PluginActionScope } from '../components/plugins/PluginAction';
import { useClient } from '../api/context';

/** A view a plugin wants as a tab of its own; id goes in the URL (?tab=…). */
export interface PluginTab {
  id: string;
  /** The entity whose view it is. */
  entityRef: string;
  label: string;
  plugin: PluginContent;
  view: View;
}

export interface PluginViews {
  /** Each plugin's answer, undefined until the first one comes. */
  contents: PluginContent[] | undefined;
  /** The call itself failed (not one plugin: that is in its content's error). */
  error: Error | undefined;
  loading: boolean;
  tabs: PluginTab[];
  /** The entity whose views they are. */
  entityRef: string | undefined;
}

// Plugins' charts are a chunk of their own, fetched with the page rather
// than when the first chart shows.
void import('../components/plugins/PluginChart');

// A plugin's content can change when the catalog does, and when a plugin starts, stops or is set up.
const REFRESH_ON = [Events.CatalogChanged, Events.SyncDone, Events.PluginsChanged];

const isTab = (v: View) => v.placement === 'PLACEMENT_TAB' || (v.placement as unknown) === 1;

/**
 * The plugins' views of an entity (none while ref is undefined), asked for
 * beside the entity itself: the page never waits for them.
 */
export function usePluginViews(ref: string | undefined): PluginViews {
  const { data, error, stale } = useLoad(`plugins\0${ref ?? ''}`, (c) => (ref ? c.entityPlugins(ref) : Promise.resolve(undefined)), REFRESH_ON);
  const contents = ref && !stale ? data : undefined;
  const tabs: PluginTab[] = [];
  const seen = new Set<string>();
  for (const plugin of contents ?? []) {
    if (plugin.error) continue;
    for (const view of viewsOf(plugin)) {
      const id = `${plugin.plugin}-${view.id}`;
      if (!isTab(view) || seen.has(id)) continue;
      seen.add(id);
      tabs.push({ id, entityRef: ref ?? '', label: view.title || plugin.plugin, plugin, view });
    }
  }
  return { contents, error: ref ? error : undefined, loading: !!ref && !contents && !error, tabs, entityRef: ref };
}

/** Lets a plugin's view run its actions for the entity. */
function Actions({ entityRef, plugin, children }: { entityRef: string | undefined; plugin: string; children: ReactNode }) {
  const client = useClient();
  if (!entityRef) return <>{children}</>;
  const run = (a: PluginAction) => client.runViewAction(entityRef, { plugin, action: a.id, parameters: a.parameters });
  return <PluginActionScope scope={{ run }}>{children}</PluginActionScope>;
}

/** "plugin unavailable: …", unless the host already said so. */
function unavailable(error: string): string {
  return /^plugin unavailable\b/i.test(error) ? error : `plugin unavailable: ${error}`;
}

function Attribution({ plugin }: { plugin: PluginContent }) {
  return (
    <span className="plugin-attribution" title={`Plugin ${plugin.plugin} ${plugin.version}, answered in ${plugin.durationMs} ms`}>
      {plugin.plugin}
    </span>
  );
}

/** The cards plugins add to the Overview: their card views, or why a plugin could not answer. */
export function PluginCards({ views }: { views: PluginViews }) {
  if (views.loading) {
    return (
      <Card title="Plugins" icon={Puzzle} className="plugin-loading" testId="plugin-loading">
        <div role="status">
          <span className="visually-hidden">Loading plugin views…</span>
          <span className="skeleton" />
          <span className="skeleton" />
          <span className="skeleton" />
        </div>
      </Card>
    );
  }
  if (views.error && !views.contents) {
    return (
      <Card title="Plugins" icon={Puzzle} testId="plugin-unavailable">
        <p className="banner banner-warn" role="note">
          Plugins unavailable: {views.error.message}
        </p>
      </Card>
    );
  }
  return (
    <>
      {(views.contents ?? []).map((plugin) =>
        plugin.error ? (
          <Card key={plugin.plugin} title={plugin.plugin} icon={Puzzle} testId="plugin-unavailable" className="plugin-card">
            <p className="banner banner-warn" role="note">
              {unavailable(plugin.error)}
            </p>
          </Card>
        ) : (
          viewsOf(plugin)
            .filter((v) => !isTab(v))
            .map((view, i) => (
              <Card
                key={`${plugin.plugin}-${view.id}-${i}`}
                title={view.title || plugin.plugin}
                actions={<Attribution plugin={plugin} />}
                testId="plugin-card"
                className="plugin-card"
                where={`plugin view ${plugin.plugin}/${view.id}`}
              >
                <Actions entityRef={views.entityRef} plugin={plugin.plugin}>
                  <PluginView view={view} />
                </Actions>
              </Card>
            ))
        ),
      )}
    </>
  );
}

/** A plugin's tab: its view in one card. */
export function PluginTabPanel({ tab }: { tab: PluginTab }) {
  return (
    <Card title={tab.label} actions={<Attribution plugin={tab.plugin} />} testId="plugin-tab" className="plugin-tab">
      <Actions entityRef={tab.entityRef} plugin={tab.plugin.plugin}>
        <PluginView view={tab.view} />
      </Actions>
    </Card>
  );
}
