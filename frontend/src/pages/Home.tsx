import { Link } from 'react-router-dom';
import { Clock, FolderGit2, LayoutGrid, Star, Users, Wrench } from 'lucide-react';
import { ExternalLink } from '../components/ExternalLink';
import { useLoad } from '../api/useLoad';
import type { EntitySummary } from '../api/types.gen';
import { entityPath } from '../api/refs';
import { Card } from '../components/Card';
import { PluginHomeCards } from '../components/plugins/PluginHomeCards';
import { DEMO_LOCATION_ID } from '../components/Chips';
import { KindIcon } from '../components/KindIcon';
import { LocationList } from '../components/LocationList';
import { PageHeader } from '../components/PageHeader';
import { ProblemsLink } from '../components/ProblemsLink';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { DemoBanner, Welcome } from '../components/Welcome';
import { kindLabel, kindPlural, sortKinds } from '../kinds';
import { plural } from '../format';
import { TemplateUpdates } from '../components/TemplateUpdateBanner';

function greeting(hour: number): string {
  if (hour < 5) return 'Working late';
  if (hour < 12) return 'Good morning';
  if (hour < 18) return 'Good afternoon';
  return 'Good evening';
}

/** A short list of entities, each a link to its page. */
function EntityList({ items, empty }: { items: EntitySummary[]; empty: string }) {
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="entity-list">
      {items.map((e) => (
        <li key={e.ref}>
          <Link to={entityPath(e.ref) ?? '/catalog'} className="entity-name">
            <KindIcon kind={e.kind} size={14} />
            <span>{e.title || e.name}</span>
          </Link>
          <span className="muted">
            {kindLabel(e.kind)}
            {e.type ? ` · ${e.type}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function HomePage() {
  const { data, error, reload } = useLoad('home', (c) =>
    Promise.all([c.listEntities({ limit: 1 }), c.listLocations(), c.userState(), c.listEntities({ mine: true, limit: 8, sort: 'name' }), c.settings()]),
  );

  let body;
  if (!data && error) {
    body = <ErrorState title="Could not load the catalog" error={error} onRetry={reload} />;
  } else if (!data) {
    body = <Loading />;
  } else {
    const [entities, locations, user, mine, settings] = data;
    const toolkit = settings.toolkit ?? [];
    const counts = sortKinds(entities.facets?.kind ?? []);
    // First run: nothing registered but the demo (and plugins' locations).
    const ownLocations = locations.filter((l) => l.id !== DEMO_LOCATION_ID && !l.url.startsWith('plugin:'));
    const demoPresent = locations.some((l) => l.id === DEMO_LOCATION_ID);
    const banner = demoPresent && <DemoBanner onRemoved={reload} />;
    const welcome = ownLocations.length === 0 && !settings.welcomeDismissed;
    body = welcome ? (
      <>
        {banner}
        <Welcome demoPresent={demoPresent} onChanged={reload} />
      </>
    ) : (
      <>
        {banner}
        <TemplateUpdates />
        <div className="home-grid">
          <Card title="Starred" icon={Star} testId="home-starred">
            <EntityList items={user.starred} empty="Star an entity on its page to keep it here." />
          </Card>
          <Card title="Recently visited" icon={Clock} testId="home-recent">
            <EntityList items={user.recent} empty="Entities you open show up here." />
          </Card>
          <Card
            title="Owned by my teams"
            icon={Users}
            testId="home-mine"
            actions={
              mine.total > mine.items.length && (
                <Link to="/catalog?mine=1" className="card-action">
                  All {mine.total}
                </Link>
              )
            }
          >
            {user.identity.userRef ? (
              <EntityList items={mine.items} empty="Your teams own nothing in the catalog yet." />
            ) : (
              <p className="muted">
                Callboard does not know who you are: set your user in <Link to="/settings">Settings</Link>, or make git's
                user.email match a User's profile email.
              </p>
            )}
          </Card>
        </div>
        <Card
          title="Toolkit"
          icon={Wrench}
          testId="home-toolkit"
          actions={
            <Link to="/settings" className="card-action">
              Edit
            </Link>
          }
        >
          {toolkit.length === 0 ? (
            <p className="muted">
              Keep the links you use every day here: dashboards, runbooks, the on-call rota. <Link to="/settings">Add them in Settings</Link>.
            </p>
          ) : (
            <ul className="toolkit">
              {toolkit.map((l) => (
                <li key={l.url}>
                  <ExternalLink href={l.url}>{l.title}</ExternalLink>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Catalog" icon={LayoutGrid}>
          {counts.length === 0 ? (
            <EmptyState title="No entities yet">
              <p>
                The catalog fills in once a location has synced. <Link to="/locations">Add a location</Link>.
              </p>
            </EmptyState>
          ) : (
            <ul className="stat-grid">
              {counts.map(({ value: kind, count: n }) => (
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
            <>
              <ProblemsLink />
              <Link to="/locations" className="card-action">
                Manage
              </Link>
            </>
          }
        >
          {locations.length === 0 ? (
            <p className="muted">
              No locations are registered. <Link to="/locations">Add one</Link>.
            </p>
          ) : (
            <LocationList locations={locations} />
          )}
        </Card>
        <PluginHomeCards />
      </>
    );
  }

  const total = data?.[0].total;
  const name = data?.[2].identity.name;
  return (
    <div className="page">
      <PageHeader
        title={`${greeting(new Date().getHours())}${name ? `, ${name.split(' ')[0]}` : ''}`}
        subtitle={total === undefined ? 'Your developer portal, on your machine.' : `Your catalog holds ${plural(total, 'entity', 'entities')}.`}
      />
      <div className="stack">{body}</div>
    </div>
  );
}
