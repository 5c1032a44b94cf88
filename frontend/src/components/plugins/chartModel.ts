import type { PluginChart } from '../../api/pluginViews';
import { formatDate, formatNumber } from '../../locale';

export interface ChartPoint {
  label: string;
  value: number;
}

export interface ChartSeries {
  name: string;
  points: ChartPoint[];
}

/** A plugin's chart, checked: finite values only, labels read as dates when every one is. */
export interface ChartModel {
  title: string;
  bar: boolean;
  unit: string;
  /** day: every label is a calendar date (midnight), shown as that date anywhere; instant: a moment, shown in local time; null: categories. */
  time: 'day' | 'instant' | null;
  /** Every label once: in time order for dates, else in the order first sent. */
  labels: string[];
  series: ChartSeries[];
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?([Zz]|[+-]\d{2}:\d{2}))?$/;

/** The moment of an RFC 3339 label; a calendar day is its midnight UTC. */
export function labelTime(model: Pick<ChartModel, 'time'>, label: string): Date {
  const m = RFC3339.exec(label);
  if (model.time === 'day' && m) return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Date(label);
}

function isMidnight(m: RegExpExecArray): boolean {
  return m[4] === undefined || (m[4] === '00' && m[5] === '00' && (m[6] ?? '00') === '00');
}

/** The most points a chart draws: a plugin's output is untrusted, and SVG past this size stalls the window. */
export const MAX_CHART_POINTS = 5000;

/** The chart checked and ready to draw; throws when it is too big to draw. */
export function chartModel(c: Partial<PluginChart> | undefined): ChartModel {
  const sent = (Array.isArray(c?.series) ? c.series : []).reduce((n, s) => n + (Array.isArray(s?.points) ? s.points.length : 0), 0);
  if (sent > MAX_CHART_POINTS) {
    throw new Error(`the chart has ${formatNumber(sent)} points, more than the ${formatNumber(MAX_CHART_POINTS)} a card draws`);
  }
  const series = (Array.isArray(c?.series) ? c.series : []).map((s, i) => ({
    name: typeof s?.name === 'string' && s.name ? s.name : `Series ${i + 1}`,
    points: (Array.isArray(s?.points) ? s.points : []).flatMap((p) => {
      // protojson writes NaN and ±Infinity as strings; a chart has no place for them.
      const value = Number(p?.value ?? 0);
      return Number.isFinite(value) ? [{ label: String(p?.label ?? ''), value }] : [];
    }),
  }));
  const all = series.flatMap((s) => s.points.map((p) => p.label));
  const matches = all.map((l) => RFC3339.exec(l));
  const dated = all.length > 0 && matches.every((m, i) => m && !Number.isNaN(Date.parse(m[4] === undefined ? `${all[i]}T00:00:00Z` : all[i]!)));
  const time = !dated ? null : matches.every((m) => isMidnight(m!)) ? 'day' : 'instant';
  let labels = [...new Set(all)];
  if (time) {
    labels = labels.sort((a, b) => labelTime({ time }, a).getTime() - labelTime({ time }, b).getTime());
    for (const s of series) s.points.sort((a, b) => labelTime({ time }, a.label).getTime() - labelTime({ time }, b.label).getTime());
  }
  return {
    title: typeof c?.title === 'string' ? c.title : '',
    bar: c?.kind === 'CHART_BAR' || (c?.kind as unknown) === 1,
    unit: typeof c?.unit === 'string' ? c.unit : '',
    time,
    labels,
    series,
  };
}

const DAY = 24 * 3600 * 1000;

/** A label as an axis tick (short) or in the data table and tooltips (full). */
export function formatLabel(model: ChartModel, label: string, style: 'tick' | 'full'): string {
  if (!model.time) return label;
  const t = labelTime(model, label);
  const utc = model.time === 'day' ? { timeZone: 'UTC' } : {};
  if (style === 'full') {
    return formatDate(t, model.time === 'day' ? { dateStyle: 'medium', ...utc } : { dateStyle: 'medium', timeStyle: 'short' });
  }
  const first = labelTime(model, model.labels[0] ?? label).getTime();
  const last = labelTime(model, model.labels.at(-1) ?? label).getTime();
  const span = last - first;
  if (model.time === 'instant' && span < 2 * DAY) return formatDate(t, { hour: '2-digit', minute: '2-digit' });
  if (span > 300 * DAY) return formatDate(t, { month: 'short', year: 'numeric', ...utc });
  return formatDate(t, { month: 'short', day: 'numeric', ...utc });
}

export function formatValue(model: ChartModel, value: number): string {
  const n = formatNumber(value, { maximumFractionDigits: 2 });
  return model.unit ? `${n} ${model.unit}` : n;
}

/** One sentence for screen readers: the kind of chart, its series and range. */
export function chartSummary(model: ChartModel): string {
  const kind = model.bar ? 'Bar chart' : 'Line chart';
  if (model.labels.length === 0) return `${kind} with no data`;
  const names = model.series.map((s) => s.name).join(', ');
  const first = formatLabel(model, model.labels[0]!, 'full');
  const last = formatLabel(model, model.labels.at(-1)!, 'full');
  const range = model.labels.length === 1 ? `at ${first}` : model.time ? `from ${first} to ${last}` : `${first} to ${last}`;
  const values = model.series.flatMap((s) => s.points.map((p) => p.value));
  return `${kind} of ${model.series.length === 1 ? names : `${model.series.length} series (${names})`}, ${model.labels.length} ${model.time ? 'dates' : 'categories'} ${range}; values ${formatValue(model, Math.min(...values))} to ${formatValue(model, Math.max(...values))}.`;
}
