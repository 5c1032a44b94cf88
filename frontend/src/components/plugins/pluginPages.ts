import { ChartColumn, List, Puzzle, Radar, Table, type LucideIcon } from 'lucide-react';
import { useLoad } from '../../api/useLoad';
import { Events, type PluginPage } from '../../api/types.gen';

// The icons a plugin's page may name (PageSpec.icon); any other is the puzzle piece.
const ICONS: Record<string, LucideIcon> = { radar: Radar, chart: ChartColumn, list: List, table: Table };

export function pluginIcon(name: string | undefined): LucideIcon {
  return (name && ICONS[name]) || Puzzle;
}

// Pages come and go with plugins turned on or off, and with a sync (a
// plugin may read them from a repository).
const REFRESH_ON = [Events.PluginsChanged, Events.SyncDone];

/** The pages the enabled plugins add, for the sidebar, the palette and their routes ([] until known or on error). */
export function usePluginPages(): PluginPage[] {
  const { data } = useLoad('plugin-pages', (c) => c.pluginPages(), REFRESH_ON);
  return data ?? [];
}
