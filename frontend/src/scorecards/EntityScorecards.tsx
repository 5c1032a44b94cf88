import { Link } from 'react-router-dom';
import { CircleCheck, CircleDashed, CircleX, Gauge, Pencil } from 'lucide-react';
import type { CheckOutcome, EntityScore } from '../api/types.gen';
import { Events } from '../api/types.gen';
import { useLoad } from '../api/useLoad';
import { Card } from '../components/Card';
import { ExternalLink } from '../components/ExternalLink';
import { ErrorState, Loading } from '../components/States';
import { relativeTime } from '../locale';
import { LevelBadge } from './LevelBadge';
import { scorecardPath } from './paths';

/** Past this age (as app/scorecard's StaleAfter) facts are called stale. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/** Whether facts reported at iso are older than STALE_AFTER_MS. */
function isStale(iso: string): boolean {
  return Date.now() - Date.parse(iso) > STALE_AFTER_MS;
}

/** Where a check's facts come from and how old they are: "Facts from git-insights, 3 hours ago". */
function FactsAge({ check }: { check: CheckOutcome }) {
  if (!check.factsAt) return null;
  const plugins = [...new Set((check.facts ?? []).map((f) => f.split('.')[0]))];
  const stale = isStale(check.factsAt);
  return (
    <div className={`scorecard-check-facts small ${stale ? 'stale' : 'muted'}`} data-testid="facts-age" title={check.factsAt}>
      Facts from {plugins.join(', ') || 'plugins'}, {relativeTime(check.factsAt)}
      {stale && ' (stale: the plugin has not reported since)'}
    </div>
  );
}

function Check({ check, onEdit }: { check: CheckOutcome; onEdit?: (field: string) => void }) {
  const state = check.passed ? 'passed' : check.pending ? 'pending' : 'failed';
  const Icon = check.passed ? CircleCheck : check.pending ? CircleDashed : CircleX;
  return (
    <li className={`scorecard-check ${state}`} data-testid="scorecard-check">
      <Icon size={14} aria-label={check.pending ? 'not evaluated' : state} className={`check-${state}`} />
      <span className="scorecard-check-title">{check.title}</span>
      <span className="muted"> · {check.level}</span>
      <FactsAge check={check} />
      {!check.passed && (
        <>
          {check.message && <div className="scorecard-check-message muted">{check.message}</div>}
          <div className="scorecard-check-actions">
            {check.howToFix && <ExternalLink href={check.howToFix}>How to fix</ExternalLink>}
            {!check.howToFix && check.field && onEdit && (
              <button type="button" className="button button-small button-quiet" onClick={() => onEdit(check.field!)} title={`Edit ${check.field} in the entity's file`}>
                <Pencil size={12} aria-hidden="true" /> Edit {check.field}
              </button>
            )}
          </div>
        </>
      )}
    </li>
  );
}

function Score({ score, onEdit }: { score: EntityScore; onEdit?: (field: string) => void }) {
  const failed = score.checks.filter((c) => !c.passed);
  const passed = score.checks.filter((c) => c.passed);
  return (
    <div className="scorecard-score" data-testid="entity-scorecard">
      <div className="scorecard-score-head">
        <Link to={scorecardPath(score.scorecard)}>{score.title}</Link> <LevelBadge level={score.level} levels={score.levels} />
        <span className="muted">
          {' '}
          {score.passed} of {score.total} checks pass
        </span>
      </div>
      {score.factsAt && <p className="muted small">Facts as of {relativeTime(score.factsAt)}</p>}
      <ul className="scorecard-checks">
        {[...failed, ...passed].map((c) => (
          <Check key={c.id} check={c} onEdit={onEdit} />
        ))}
      </ul>
    </div>
  );
}

// Plugins report facts in the background after the page asked: the card
// follows them as it follows syncs.
const REFRESH_ON = [Events.CatalogChanged, Events.SyncDone, Events.FactsChanged];

/** The entity's level on each scorecard that applies to it, and why; nothing when none does. */
export function EntityScorecards({ entityRef, onEdit }: { entityRef: string; onEdit?: (field: string) => void }) {
  const { data, error, reload } = useLoad(`entity-scorecards\0${entityRef}`, (c) => c.entityScorecards(entityRef), REFRESH_ON);
  if (error) {
    return (
      <Card title="Scorecards" icon={Gauge} className="scorecards">
        <ErrorState title="Could not evaluate the scorecards" error={error} onRetry={reload} />
      </Card>
    );
  }
  if (!data) return <Loading label="Evaluating scorecards…" />;
  if (data.length === 0) return null;
  return (
    <Card title="Scorecards" icon={Gauge} className="scorecards" testId="entity-scorecards">
      {data.map((s) => (
        <Score key={s.scorecard} score={s} onEdit={onEdit} />
      ))}
    </Card>
  );
}
