import { useState } from 'react';
import { Link } from 'react-router-dom';
import { CircleCheck, CircleDashed, CircleX, FilePlus, Gauge, History, Pencil } from 'lucide-react';
import type { CheckOutcome, EntityScore } from '../api/types.gen';
import { Events } from '../api/types.gen';
import { useLoad } from '../api/useLoad';
import { Card } from '../components/Card';
import { ExternalLink } from '../components/ExternalLink';
import { ErrorState, Loading } from '../components/States';
import { relativeTime } from '../locale';
import { LevelBadge } from './LevelBadge';
import { scorecardPath } from './paths';
import { ScoreHistory } from './ScoreHistory';

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

/** Where a failed check is fixed: a file of the entity's repository, at a line, or one to create. */
export interface CheckFix {
  path: string;
  line?: number;
  create?: boolean;
}

/** The fix a failed check offers, if any: its field at its line, or the file it reads. */
export function fixOf(check: CheckOutcome): CheckFix | undefined {
  if (check.passed || !check.path) return undefined;
  if (check.field) return { path: check.path, ...(check.line ? { line: check.line } : {}) };
  if (check.file) return { path: check.path, ...(check.missing ? { create: true } : {}) };
  return undefined;
}

function FixButton({ check, fix, onFix }: { check: CheckOutcome; fix: CheckFix; onFix: (fix: CheckFix) => void }) {
  const Icon = fix.create ? FilePlus : Pencil;
  const label = fix.create ? `Create ${fix.path}` : check.field ? `Edit ${check.field}` : `Edit ${fix.path}`;
  const title = fix.create ? `Create ${fix.path} in the repository` : fix.line ? `Edit ${fix.path} at line ${fix.line}` : `Edit ${fix.path}`;
  return (
    <button type="button" className="button button-small button-quiet" onClick={() => onFix(fix)} title={title}>
      <Icon size={12} aria-hidden="true" /> {label}
    </button>
  );
}

function Check({ check, onFix }: { check: CheckOutcome; onFix?: (fix: CheckFix) => void }) {
  const state = check.passed ? 'passed' : check.pending ? 'pending' : 'failed';
  const Icon = check.passed ? CircleCheck : check.pending ? CircleDashed : CircleX;
  const fix = fixOf(check);
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
            {fix && onFix && <FixButton check={check} fix={fix} onFix={onFix} />}
            {check.howToFix && <ExternalLink href={check.howToFix}>How to fix</ExternalLink>}
          </div>
        </>
      )}
    </li>
  );
}

function Score({ score, onFix }: { score: EntityScore; onFix?: (fix: CheckFix) => void }) {
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
          <Check key={c.id} check={c} onFix={onFix} />
        ))}
      </ul>
    </div>
  );
}

// Plugins report facts in the background after the page asked: the card
// follows them as it follows syncs.
const REFRESH_ON = [Events.CatalogChanged, Events.SyncDone, Events.FactsChanged];

/**
 * The entity's level on each scorecard that applies to it, and why; nothing
 * when none does. onFix opens a failed check's file (at its line, or to
 * create it); without it, no check offers to.
 */
export function EntityScorecards({ entityRef, onFix }: { entityRef: string; onFix?: (fix: CheckFix) => void }) {
  const { data, error, reload } = useLoad(`entity-scorecards\0${entityRef}`, (c) => c.entityScorecards(entityRef), REFRESH_ON);
  const [history, setHistory] = useState(false);
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
        <Score key={s.scorecard} score={s} onFix={onFix} />
      ))}
      {history ? (
        <ScoreHistory entityRef={entityRef} />
      ) : (
        <button type="button" className="button button-small button-quiet" onClick={() => setHistory(true)}>
          <History size={12} aria-hidden="true" /> Score over time
        </button>
      )}
    </Card>
  );
}
