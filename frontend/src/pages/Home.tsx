import { Link } from 'react-router-dom';
import { FolderGit2, LayoutGrid } from 'lucide-react';
import { useLoad } from '../api/useLoad';
import { Card } from '../components/Card';
import { KindIcon } from '../components/KindIcon';
import { LocationList } from '../components/LocationList';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { countKinds, kindLabel, kindPlural } from '../kinds';
import { plural } from '../format';

function greeting(hour: number): string {
  if (hour < 5) return 'Working late';
  if (hour < 12) return 'Good morning';
  if (hour < 18) return 'Good afternoon';
  return 'Good evening';
}

export function HomePage() {
  const { data, error, reload } = useLoad('home', (c) => Promise.all([c.listEntities({}), c.listLocations()]));

  let body;
  if (!data && error) {
    body = <ErrorState title="Could not load the catalog" error={error} onRetry={reload} />;
  } else if (!data) {
    body = <Loading />;
  } else {
    const [entities, locations] = data;
    const counts = countKinds(entities.items);
    body = (
      <>
        <Card title="Catalog" icon={LayoutGrid}>
          {counts.length === 0 ? (
            <EmptyState title="No entities yet">
              <p>The catalog fills in once a location has synced.</p>
            </EmptyState>
          ) : (
            <ul className="stat-grid">
              {counts.map(([kind, n]) => (
                <li key={kind}>
                  <Link to={`/catalog?kind=${encodeURIComponent(kind)}`} className="stat">
                    <span className="stat-icon">
                      <KindIcon kind={kind} size={18} />
                    </span>
                    <span className="stat-count">{n}</span>
                    <span className="stat-label">{n === 1 ? kindLabel(kind) : kindPlural(kind)}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card
          title="Locations"
          icon={FolderGit2}
          actions={
            <Link to="/settings" className="card-action">
              Manage
            </Link>
          }
        >
          {locations.length === 0 ? (
            <p className="muted">No locations are registered.</p>
          ) : (
            <LocationList locations={locations} />
          )}
        </Card>
      </>
    );
  }

  const total = data?.[0].items.length;
  return (
    <div className="page">
      <PageHeader
        title={greeting(new Date().getHours())}
        subtitle={total === undefined ? 'Your developer portal, on your machine.' : `Your catalog holds ${plural(total, 'entity', 'entities')}.`}
      />
      <div className="stack">{body}</div>
    </div>
  );
}
