import { Puzzle } from 'lucide-react';
import { useLoad } from '../../api/useLoad';
import { Events } from '../../api/types.gen';
import { viewsOf } from '../../api/pluginViews';
import { Card } from '../Card';
import { PluginView } from './PluginView';

const REFRESH_ON = [Events.PluginsChanged, Events.SyncDone, Events.CatalogChanged];

/**
 * The cards plugins add to Home, below the app's own: each in a card of
 * its own (an error drawing one stays in it), a plugin that cannot answer
 * saying why on its card only. Nothing while they load or when the call
 * fails: Home never waits for plugins.
 */
export function PluginHomeCards() {
  const { data } = useLoad('home-plugin-cards', (c) => c.homeCards(), REFRESH_ON);
  return (
    <>
      {(data ?? []).map((plugin) =>
        plugin.error ? (
          <Card key={plugin.plugin} title={plugin.plugin} icon={Puzzle} testId="home-plugin-unavailable" className="plugin-card">
            <p className="banner banner-warn" role="note">
              unavailable: {plugin.error.replace(/^plugin unavailable: /i, '')}
            </p>
          </Card>
        ) : (
          viewsOf(plugin).map((view, i) => (
            <Card
              key={`${plugin.plugin}-${view.id}-${i}`}
              title={view.title || plugin.plugin}
              icon={Puzzle}
              testId="home-plugin-card"
              className="plugin-card"
              where={`home card ${plugin.plugin}/${view.id}`}
            >
              <PluginView view={view} />
            </Card>
          ))
        ),
      )}
    </>
  );
}
