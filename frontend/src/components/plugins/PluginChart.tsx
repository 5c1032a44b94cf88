import { useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear, scalePoint, scaleTime, scaleUtc } from '@visx/scale';
import { LinePath } from '@visx/shape';
import type { PluginChart as Chart } from '../../api/pluginViews';
import { chartModel, chartSummary, formatLabel, formatValue, labelTime, type ChartModel } from './chartModel';
import { formatNumber } from '../../locale';
import '../../styles/plugins.css';

const HEIGHT = 200;
const MARGIN = { top: 10, right: 14, bottom: 26, left: 44 };

/** The width the chart has, following its container; jsdom and the first frame get a card's usual width. */
function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(560);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const w = Math.round(entry?.contentRect.width ?? 0);
      if (w > 0) setWidth(w);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

/** At most n of the labels, evenly spaced, for a category axis that would crowd. */
function thin(labels: string[], n: number): string[] {
  if (labels.length <= n) return labels;
  const step = Math.ceil(labels.length / Math.max(1, n));
  return labels.filter((_, i) => i % step === 0);
}

/**
 * A plugin's line or bar chart, drawn in SVG with visx so the theme's
 * custom properties colour it. Its name is the title; a visually hidden
 * table holds every value, and the picture says what it shows in a sentence.
 */
export function PluginChart({ chart, fallbackTitle }: { chart: Partial<Chart>; fallbackTitle: string }) {
  const model = useMemo(() => chartModel(chart), [chart]);
  const title = model.title || fallbackTitle;
  const captionId = useId();
  const [ref, width] = useWidth();
  return (
    <figure className="plugin-chart" aria-labelledby={captionId}>
      <figcaption id={captionId} className="plugin-chart-title">
        {title}
        {model.unit && <span className="muted"> · {model.unit}</span>}
      </figcaption>
      {model.series.length > 1 && (
        <ul className="plugin-chart-legend" aria-hidden="true">
          {model.series.map((s, i) => (
            <li key={i}>
              <span className={`plugin-swatch plugin-series-${i % 6}`} />
              {s.name}
            </li>
          ))}
        </ul>
      )}
      <div ref={ref} className="plugin-chart-plot">
        {model.labels.length === 0 ? (
          <p className="muted">No data.</p>
        ) : (
          <svg width={width} height={HEIGHT} role="img" aria-label={`${title}: ${chartSummary(model)}`}>
            <Plot model={model} width={width} />
          </svg>
        )}
      </div>
      <DataTable model={model} title={title} />
    </figure>
  );
}

function Plot({ model, width }: { model: ChartModel; width: number }) {
  const innerWidth = Math.max(40, width - MARGIN.left - MARGIN.right);
  const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const values = model.series.flatMap((s) => s.points.map((p) => p.value));
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const y = scaleLinear<number>({ domain: [lo, hi === lo ? lo + 1 : hi], range: [innerHeight, 0], nice: true });
  const maxTicks = Math.max(2, Math.floor(innerWidth / 80));
  // Counts (every value whole) get whole ticks only: no "0.2 commits".
  const whole = values.every((v) => Number.isInteger(v));
  const yTicks = y.ticks(4).filter((t) => !whole || Number.isInteger(t));
  const tooltip = (label: string, name: string, value: number) =>
    `${formatLabel(model, label, 'full')}${model.series.length > 1 ? ` · ${name}` : ''}: ${formatValue(model, value)}`;

  let body;
  let axis;
  if (model.bar) {
    const x = scaleBand<string>({ domain: model.labels, range: [0, innerWidth], paddingInner: 0.2, paddingOuter: 0.1 });
    const inner = scaleBand<number>({ domain: model.series.map((_, i) => i), range: [0, x.bandwidth()], padding: 0.08 });
    // A few categories make wide bands: bars keep a bar's width, centred.
    const barWidth = Math.min(inner.bandwidth(), 56);
    const inset = (inner.bandwidth() - barWidth) / 2;
    body = model.series.map((s, i) => (
      <g key={i} className={`plugin-series plugin-series-${i % 6}`}>
        {s.points.map((p, j) => {
          const top = y(Math.max(0, p.value));
          return (
            <rect key={j} x={(x(p.label) ?? 0) + (inner(i) ?? 0) + inset} y={top} width={barWidth} height={Math.abs(y(p.value) - y(0))} rx={2}>
              <title>{tooltip(p.label, s.name, p.value)}</title>
            </rect>
          );
        })}
      </g>
    ));
    axis = <AxisBottom top={innerHeight} scale={x} tickValues={thin(model.labels, maxTicks)} tickFormat={(l) => formatLabel(model, l, 'tick')} {...axisStyle} />;
  } else if (model.time) {
    const times = model.labels.map((l) => labelTime(model, l));
    const domain: [Date, Date] = [times[0]!, times.at(-1)!];
    const config = { domain, range: [0, innerWidth] as [number, number] };
    const x = model.time === 'day' ? scaleUtc<number>(config) : scaleTime<number>(config);
    const at = (label: string) => x(labelTime(model, label));
    // One date puts the point in the middle rather than at the axis's start.
    const px = (label: string) => (times.length === 1 ? innerWidth / 2 : at(label));
    body = <Lines model={model} x={px} y={y} tooltip={tooltip} />;
    const ticks = times.length <= maxTicks ? times : x.ticks(maxTicks);
    axis = (
      <AxisBottom
        top={innerHeight}
        scale={x}
        tickValues={ticks}
        tickFormat={(d) => formatLabel(model, (d as Date).toISOString(), 'tick')}
        {...axisStyle}
      />
    );
  } else {
    const x = scalePoint<string>({ domain: model.labels, range: [0, innerWidth], padding: 0.5 });
    body = <Lines model={model} x={(l) => x(l) ?? 0} y={y} tooltip={tooltip} />;
    axis = <AxisBottom top={innerHeight} scale={x} tickValues={thin(model.labels, maxTicks)} {...axisStyle} />;
  }

  return (
    <Group left={MARGIN.left} top={MARGIN.top}>
      {yTicks.map((t) => (
        <line key={t} className="plugin-chart-grid" x1={0} x2={innerWidth} y1={y(t)} y2={y(t)} />
      ))}
      {body}
      {axis}
      <AxisLeft scale={y} tickValues={yTicks} tickFormat={(v) => formatNumber(Number(v), { notation: 'compact', maximumFractionDigits: 1 })} hideAxisLine {...axisStyle} />
    </Group>
  );
}

const axisStyle = {
  axisClassName: 'plugin-chart-axis',
  axisLineClassName: 'plugin-chart-axis-line',
  tickClassName: 'plugin-chart-tick',
  tickLength: 4,
  tickLabelProps: { className: 'plugin-chart-tick-label', fontSize: 11 },
};

function Lines({
  model,
  x,
  y,
  tooltip,
}: {
  model: ChartModel;
  x: (label: string) => number;
  y: (v: number) => number;
  tooltip: (label: string, name: string, value: number) => string;
}) {
  return (
    <>
      {model.series.map((s, i) => (
        <g key={i} className={`plugin-series plugin-series-${i % 6}`}>
          <LinePath data={s.points} x={(p) => x(p.label)} y={(p) => y(p.value)} className="plugin-line" />
          {s.points.map((p, j) => (
            <circle key={j} cx={x(p.label)} cy={y(p.value)} r={s.points.length > 40 ? 1.5 : 2.5}>
              <title>{tooltip(p.label, s.name, p.value)}</title>
            </circle>
          ))}
        </g>
      ))}
    </>
  );
}

/** Every value as a table, for screen readers and for copying. */
function DataTable({ model, title }: { model: ChartModel; title: string }) {
  if (model.labels.length === 0) return null;
  const value = (s: ChartModel['series'][number], label: string) => {
    const p = s.points.find((q) => q.label === label);
    return p ? formatValue(model, p.value) : '—';
  };
  // A table ignores the 1px height of .visually-hidden and grows to its
  // rows: the wrapper is what stays clipped.
  return (
    <div className="visually-hidden">
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{model.time ? 'Date' : 'Category'}</th>
            {model.series.map((s, i) => (
              <th key={i} scope="col">
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {model.labels.map((l) => (
            <tr key={l}>
              <th scope="row">{formatLabel(model, l, 'full')}</th>
              {model.series.map((s, i) => (
                <td key={i}>{value(s, l)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
