import { Link } from 'react-router-dom';
import { Gauge } from 'lucide-react';
import { useLoad } from '../api/useLoad';
import { Card } from '../components/Card';
import { EntityLink } from '../components/EntityLink';
import { ErrorState, Loading } from '../components/States';
import { LevelBadge } from './LevelBadge';
import { bestFirst, levelLabel } from './levels';
import { scorecardPath } from './paths';

/** How the entities a group owns stand on every scorecard; nothing when it owns none a scorecard applies to. */
export function GroupScorecards({ groupRef }: { groupRef: string }) {
  const { data, error, reload } = useLoad(`group-scorecards\0${groupRef}`, (c) => c.groupScorecards(groupRef));
  if (error) {
    return (
      <Card title="Scorecards" icon={Gauge} className="scorecards">
        <ErrorState title="Could not roll up the scorecards" error={error} onRetry={reload} />
      </Card>
    );
  }
  if (!data) return <Loading label="Rolling up scorecards…" />;
  if (data.scorecards.length === 0) return null;
  return (
    <Card title="Scorecards of its entities" icon={Gauge} className="scorecards" testId="group-scorecards">
      {data.scorecards.map((s) => (
        <div key={s.ref} className="scorecard-score" data-testid="group-scorecard">
          <div className="scorecard-score-head">
            <Link to={`${scorecardPath(s.ref)}?owner=${encodeURIComponent(data.group)}`}>{s.title}</Link>
            <span className="muted">
              {' '}
              {bestFirst(s.counts)
                .map((c) => `${levelLabel(c.level)} ${c.count}`)
                .join(' · ')}
            </span>
          </div>
          <ul className="scorecard-entities">
            {s.entities.map((e) => (
              <li key={e.entity}>
                <LevelBadge level={e.level} levels={s.levels} /> <EntityLink entityRef={e.entity} />{' '}
                <span className="muted">
                  {e.passed}/{e.total}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </Card>
  );
}
