import type { PluginContent } from './types.gen';
import type { PluginRadar } from '../components/plugins/radarModel';

// The view a plugin sends: callboard.plugin.v1.View (plugins/pluginv1/plugin.proto)
// as protojson with default values emitted. Plugins are other programs, so
// every field is checked where it is drawn: enums may be names this app does
// not know yet, and a block may be of a kind it does not know.

export type PluginStatus = 'STATUS_NONE' | 'STATUS_OK' | 'STATUS_WARNING' | 'STATUS_ERROR' | 'STATUS_PENDING' | 'STATUS_INFO';

export interface PluginView {
  id: string;
  title: string;
  placement: 'PLACEMENT_CARD' | 'PLACEMENT_TAB';
  blocks: PluginBlock[];
  /** Buttons shown at the top of the view (protocol minor version: may be missing). */
  actions?: PluginAction[];
}

/**
 * A button or link that calls the plugin back (callboard.plugin.v1.ViewAction);
 * what it answers is shown in its place. The host only runs actions the
 * plugin's last view offered, with these very parameters.
 */
export interface PluginAction {
  id: string;
  label: string;
  parameters: Record<string, string>;
  /** Asked before running when not empty: the action changes something. */
  confirm: string;
  style: 'VIEW_ACTION_STYLE_DEFAULT' | 'VIEW_ACTION_STYLE_PRIMARY' | 'VIEW_ACTION_STYLE_DANGER';
}

/** Exactly one key is set: the block's kind. */
export interface PluginBlock {
  heading?: { text: string };
  keyValues?: { items: PluginKeyValue[] };
  table?: { columns: string[]; rows: { cells: PluginCell[] }[] };
  badges?: { items: { text: string; status: PluginStatus }[] };
  links?: { items: { title: string; url: string; action?: PluginAction | null }[] };
  markdown?: string;
  chart?: PluginChart;
  notice?: { text: string; status: PluginStatus };
  actions?: { items: PluginAction[] };
  /** Lines shown as they are, e.g. a container's log; sections fold a CI job's steps (minor version: may be missing). */
  /** follow, when set, brings the lines after these (minor version: may be missing). */
  log?: { title: string; lines: string[]; truncated: boolean; sections?: unknown; follow?: PluginAction | null };
  radar?: PluginRadar;
}

export interface PluginKeyValue {
  key: string;
  value: string;
  status: PluginStatus;
  /** An app route or a web address; '' for none. */
  url: string;
}

export interface PluginCell {
  text: string;
  status: PluginStatus;
  url: string;
  /** A button after the text. */
  action?: PluginAction | null;
}

/** A time series when the labels are RFC 3339 dates, else categories. */
export interface PluginChart {
  title: string;
  kind: 'CHART_LINE' | 'CHART_BAR';
  unit: string;
  series: { name: string; points: { label: string; value: number }[] }[];
}

/**
 * The views of one plugin's content. The portal passes them through as
 * the plugin sent them (PluginContent.views is unknown[]); what is not an
 * object is left out, and each view's fields are checked where drawn.
 */
export function viewsOf(content: PluginContent): PluginView[] {
  return content.views.filter((v): v is PluginView => typeof v === 'object' && v !== null && !Array.isArray(v));
}
