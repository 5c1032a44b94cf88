import { Link, useParams, useSearchParams } from 'react-router-dom';
import { Gauge } from 'lucide-react';
import type { Detail, EntityLevel } from '../api/types.gen';
import { useLoad } from '../api/useLoad';
import { Card } from '../components/Card';
import { EntityLink } from '../components/EntityLink';
import { PageHeader } from '../components/PageHeader';
import { PluginChart } from '../components/plugins/PluginChart';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { LevelBadge } from '../scorecards/LevelBadge';
import { bestFirst, levelLabel } from '../scorecards/levels';
import { scorecardPath } from '../scorecards/paths';
import { displayRef } from '../api/refs';
import '../styles/scorecards.css';

/** Every scorecard with how many entities are at each level. */
export function ScorecardsPage() {
  const { data, error, reload } = useLoad('scorecards', (c) => c.scorecards());
  return (
    <div className="page">
      <PageHeader title="Scorecards" subtitle="Checks kept as code in the catalog, evaluated here from entities, their files and plugins' facts." />
      {error && <ErrorState error={error} onRetry={reload} />}
      {!data && !error && <Loading />}
      {data && data.length === 0 && (
        <EmptyState icon={Gauge} title="No scorecards yet">
          Add a <code>kind: Scorecard</code> file (apiVersion <code>callboard.dev/v1alpha1</code>) to a catalog repository.
        </EmptyState>
      )}
      {data && data.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="scorecards-table">
            <thead>
              <tr>
                <th>Scorecard</th>
                <th>Checks</th>
                <th>Entities</th>
                <th>Levels</th>
              </tr>
            </thead>
            <tbody>
              {data.map((s) => (
                <tr key={s.ref} data-testid="scorecard-row">
                  <td>
                    <Link to={scorecardPath(s.ref)}>{s.title}</Link>
                  </td>
                  <td>{s.checks.length}</td>
                  <td>{s.total}</td>
                  <td>
                    {bestFirst(s.counts).map((c) => (
                      <span key={c.level} className="scorecard-count">
                        <LevelBadge level={c.level} levels={s.levels} /> {c.count}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function byLevel(d: Detail): [string, EntityLevel[]][] {
  return bestFirst(d.counts).map((c) => [c.level, d.entities.filter((e) => e.level === c.level)]);
}

/** One scorecard: its levels per team as a chart, its entities at each level and its checks. */
export function ScorecardPage() {
  const { namespace = 'default', name = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const owner = params.get('owner') ?? '';
  const ref = `scorecard:${namespace}/${name}`;
  const { data, error, reload } = useLoad(`scorecard\0${ref}\0${owner}`, (c) => c.scorecard(ref, owner));
  if (error) {
    return (
      <div className="page">
        <ErrorState title={`Could not show ${ref}`} error={error} onRetry={reload} />
      </div>
    );
  }
  if (!data) {
    return (
      <div className="page">
        <Loading />
      </div>
    );
  }
  const levels = [...data.levels, ''];
  const chart = {
    title: 'Levels per owner',
    kind: 'CHART_BAR' as const,
    unit: 'entities',
    series: levels.map((l) => ({
      name: levelLabel(l),
      points: data.byOwner.map((o) => ({ label: o.owner ? displayRef(o.owner) : 'no owner', value: o.counts.find((c) => c.level === l)?.count ?? 0 })),
    })),
  };
  return (
    <div className="page page-wide">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/scorecards">Scorecards</Link>
      </nav>
      <PageHeader
        title={data.title}
        subtitle={
          <>
            <code>{data.ref}</code> · {data.total} entities
            {owner && (
              <>
                {' '}
                of <EntityLink entityRef={owner} />{' '}
                <button type="button" className="button button-small button-quiet" onClick={() => setParams({})}>
                  All owners
                </button>
              </>
            )}
          </>
        }
      />
      <div className="scorecard-grid">
        <Card title="Per owner" className="scorecard-chart">
          {data.byOwner.length === 0 ? <p className="muted">No entity this scorecard applies to.</p> : <PluginChart chart={chart} fallbackTitle="Levels per owner" />}
        </Card>
        <Card title="Entities by level" className="scorecard-levels" testId="scorecard-levels">
          {byLevel(data).map(([level, entities]) => (
            <section key={level} className="scorecard-level" data-testid="scorecard-level">
              <h3>
                <LevelBadge level={level} levels={data.levels} /> <span className="muted">{entities.length}</span>
              </h3>
              <ul className="scorecard-entities">
                {entities.map((e) => (
                  <li key={e.entity}>
                    <EntityLink entityRef={e.entity} />{' '}
                    <span className="muted">
                      {e.passed}/{e.total}
                      {e.owner && (
                        <>
                          {' · '}
                          <Link to={`?owner=${encodeURIComponent(e.owner)}`}>{displayRef(e.owner)}</Link>
                        </>
                      )}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </Card>
        <Card title="Checks" className="scorecard-checks-card">
          <table className="table">
            <thead>
              <tr>
                <th>Level</th>
                <th>Check</th>
                <th>How to fix</th>
              </tr>
            </thead>
            <tbody>
              {data.checks.map((c) => (
                <tr key={c.id}>
                  <td>
                    <LevelBadge level={c.level} levels={data.levels} />
                  </td>
                  <td>
                    {c.title}
                    {c.description && <div className="muted small">{c.description}</div>}
                  </td>
                  <td>{c.howToFix ? <a href={c.howToFix}>{c.howToFix}</a> : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      </div>
    </div>
  );
}
