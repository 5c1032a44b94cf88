import { describe, expect, it } from 'vitest';
import { chartModel, chartSummary, formatLabel } from './chartModel';

describe('chartModel', () => {
  it('reads midnight RFC 3339 labels as calendar days, sorted, shown as the same date anywhere', () => {
    const m = chartModel({ title: 'Deploys', kind: 'CHART_LINE', unit: '', series: [{ name: 'prod', points: [{ label: '2026-03-02T00:00:00+09:00', value: 1 }, { label: '2026-03-01T00:00:00+09:00', value: 2 }] }] });
    expect(m.time).toBe('day');
    expect(m.labels).toEqual(['2026-03-01T00:00:00+09:00', '2026-03-02T00:00:00+09:00']);
    expect(m.series[0]!.points.map((p) => p.value)).toEqual([2, 1]);
    expect(formatLabel(m, m.labels[0]!, 'tick')).toBe('Mar 1');
    expect(formatLabel(m, m.labels[0]!, 'full')).toBe('Mar 1, 2026');
  });

  it('reads other RFC 3339 labels as moments, and a year of them by month', () => {
    const m = chartModel({ series: [{ name: 's', points: [{ label: '2026-03-01T10:30:00Z', value: 1 }, { label: '2026-03-01T12:00:00Z', value: 2 }] }] });
    expect(m.time).toBe('instant');
    expect(formatLabel(m, m.labels[0]!, 'tick')).toMatch(/\d{2}:\d{2}/);
    const year = chartModel({ series: [{ name: 's', points: [{ label: '2025-01-01T00:00:00Z', value: 1 }, { label: '2026-01-01T00:00:00Z', value: 2 }] }] });
    expect(formatLabel(year, year.labels[1]!, 'tick')).toBe('Jan 2026');
  });

  it('keeps other labels as categories in the order sent, and drops values that are not numbers', () => {
    const m = chartModel({
      kind: 'CHART_BAR',
      series: [{ name: '', points: [{ label: 'b', value: 1 }, { label: 'a', value: 'NaN' as unknown as number }, { label: '2026-01-01', value: 3 }] }],
    });
    expect(m.time).toBeNull();
    expect(m.bar).toBe(true);
    expect(m.labels).toEqual(['b', '2026-01-01']);
    expect(m.series[0]!.name).toBe('Series 1');
    expect(chartSummary(m)).toBe('Bar chart of Series 1, 2 categories b to 2026-01-01; values 1 to 3.');
  });

  it('survives a chart with nothing in it', () => {
    const m = chartModel(undefined);
    expect(m).toEqual({ title: '', bar: false, unit: '', time: null, labels: [], series: [] });
    expect(chartSummary(m)).toBe('Line chart with no data');
  });
});
