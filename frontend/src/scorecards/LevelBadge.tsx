import { levelLabel, levelTone } from './levels';

/** A level as a badge coloured by its rank on the scorecard. */
export function LevelBadge({ level, levels }: { level: string; levels: string[] }) {
  return (
    <span className={`badge badge-${levelTone(level, levels)}`} data-testid="level-badge" title={level ? `Level ${level}` : 'Below the first level'}>
      {levelLabel(level)}
    </span>
  );
}
