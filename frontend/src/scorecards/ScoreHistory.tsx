import { useMemo } from 'react';
import type { ScoreHistory as History } from '../api/types.gen';
import { useLoad } from '../api/useLoad';
import type { PluginChart as Chart } from '../api/pluginViews';
import { PluginChart } from '../components/plugins/PluginChart';
import { ErrorState, Loading } from '../components/States';

/** A scorecard's history as a line chart: the level (0 below the first) and the checks passed, per commit. */
export function historyChart(h: History): Chart {
  const rank = (level: string) => h.levels.indexOf(level) + 1;
  return {
    title: `${h.title} over time`,
    kind: 'CHART_LINE',
    unit: `level: 0 none, ${h.levels.map((l, i) => `${i + 1} ${l}`).join(', ')}`,
    series: [
      { name: 'Level', points: h.points.map((p) => ({ label: p.when, value: rank(p.level) })) },
      { name: 'Checks passed', points: h.points.map((p) => ({ label: p.when, value: p.passed })) },
    ],
  };
}

function One({ history }: { history: History }) {
  const chart = useMemo(() => historyChart(history), [history]);
  return (
    <div className="scorecard-history" data-testid="scorecard-history">
      {history.points.length === 0 ? (
        <p className="muted">{history.title}: no history in the clone for this entity.</p>
      ) : (
        <PluginChart chart={chart} fallbackTitle={history.title} />
      )}
      {history.leftOut.length > 0 && (
        <p className="muted small">
          Facts and relations have no history: {history.leftOut.join(', ')} {history.leftOut.length === 1 ? 'is' : 'are'} left out of the past scores.
        </p>
      )}
    </div>
  );
}

/** The entity's score on each scorecard at each commit that changed what it reads. */
export function ScoreHistory({ entityRef }: { entityRef: string }) {
  const { data, error, reload } = useLoad(`scorecard-history\0${entityRef}`, (c) => c.entityScorecardHistory(entityRef));
  if (error) return <ErrorState title="Could not read the score's history" error={error} onRetry={reload} />;
  if (!data) return <Loading label="Reading the history…" />;
  return (
    <>
      {data.map((h) => (
        <One key={h.scorecard} history={h} />
      ))}
    </>
  );
}
