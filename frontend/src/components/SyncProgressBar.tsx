import type { SyncProgressData } from '../api/types.gen';
import { describeProgress } from '../api/useSyncProgress';

/** A sync's progress as a bar: filled by done / total when the total is known, moving while it is not. */
export function SyncProgressBar({ progress }: { progress: SyncProgressData }) {
  const label = describeProgress(progress);
  const known = progress.total > 0;
  return (
    <div
      className="sync-progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={known ? progress.total : undefined}
      aria-valuenow={known ? progress.done : undefined}
    >
      <div className="sync-progress-track">
        <div
          className={`sync-progress-fill${known ? '' : ' indeterminate'}`}
          style={known ? { width: `${Math.min(100, (100 * progress.done) / progress.total)}%` } : undefined}
        />
      </div>
      <span className="sync-progress-label">{label}</span>
    </div>
  );
}
