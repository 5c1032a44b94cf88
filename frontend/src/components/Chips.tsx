import type { Location } from '../api/types.gen';

export function Tags({ tags }: { tags: string[] }) {
  if (tags.length === 0) return null;
  return (
    <ul className="chips" aria-label="Tags">
      {tags.map((t) => (
        <li key={t} className="chip">
          {t}
        </li>
      ))}
    </ul>
  );
}

const lifecycleTone: Record<string, string> = {
  production: 'good',
  experimental: 'warn',
  deprecated: 'bad',
};

export function Lifecycle({ value }: { value?: string }) {
  if (!value) return null;
  return <span className={`badge badge-${lifecycleTone[value.toLowerCase()] ?? 'neutral'}`}>{value}</span>;
}

const statusTone: Record<Location['status'], string> = {
  ok: 'good',
  stale: 'warn',
  pending: 'neutral',
  error: 'bad',
};

export function SyncStatus({ status }: { status: Location['status'] }) {
  return (
    <span className={`badge badge-${statusTone[status] ?? 'neutral'}`}>
      <span className="dot" aria-hidden="true" />
      {status}
    </span>
  );
}

/** The demo organisation's location id (portal.DemoLocationID). */
export const DEMO_LOCATION_ID = 'demo';

/** Marks what belongs to the demo organisation: sample data, not the user's catalog. */
export function DemoBadge() {
  return (
    <span className="badge badge-demo" data-testid="demo-badge" title="From the demo organisation: sample data to explore, not your catalog">
      Demo
    </span>
  );
}
