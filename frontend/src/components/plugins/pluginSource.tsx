/** Plugins whose search results carry a badge of their own, by plugin name. */
const SOURCE_BADGES: Record<string, string> = { stackoverflow: 'Stack Overflow' };

/** Where a plugin's search result comes from, in words: its badge's name, else the plugin's. */
export function pluginSourceLabel(plugin: string): string {
  return SOURCE_BADGES[plugin] ?? `From the ${plugin} plugin`;
}

/** Whether a plugin's search results carry a badge of their own. */
export function hasSourceBadge(plugin: string): boolean {
  return plugin in SOURCE_BADGES;
}

/** The badge of a plugin's search results, when it has one. */
export function PluginSourceBadge({ plugin }: { plugin: string }) {
  const label = SOURCE_BADGES[plugin];
  if (!label) return null;
  return (
    <span className={`badge badge-source-${plugin}`} data-testid="source-badge">
      {label}
    </span>
  );
}
