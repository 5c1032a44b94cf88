import { Link } from 'react-router-dom';
import { BookOpen } from 'lucide-react';
import { useLoad } from '../api/useLoad';
import { entityPath } from '../api/refs';
import { EntityLink } from '../components/EntityLink';
import { KindIcon } from '../components/KindIcon';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { plural } from '../format';

/** Every entity with TechDocs, each a link to its docs. */
export function DocsPage() {
  const { data, error, reload } = useLoad('docs-index', (c) => c.listDocs());
  let body;
  if (!data && error) body = <ErrorState title="Could not list the docs" error={error} onRetry={reload} />;
  else if (!data) body = <Loading />;
  else if (data.length === 0)
    body = (
      <EmptyState icon={BookOpen} title="No docs yet">
        <p>
          Docs appear here when an entity has a <code>backstage.io/techdocs-ref</code> annotation (for example <code>dir:.</code>) and an
          <code>mkdocs.yml</code> with a <code>docs/</code> folder next to it.
        </p>
      </EmptyState>
    );
  else
    body = (
      <ul className="docs-index" data-testid="docs-index">
        {data.map((d) => (
          <li key={d.ref} className="docs-index-item">
            <Link to={`${entityPath(d.ref) ?? '/catalog'}?tab=docs`} className="entity-name">
              <KindIcon kind={d.kind} size={15} />
              <span>{d.title || d.name}</span>
            </Link>
            {d.description && <p className="muted">{d.description}</p>}
            {d.owner && (
              <span className="muted">
                Owned by <EntityLink entityRef={d.owner} />
              </span>
            )}
          </li>
        ))}
      </ul>
    );
  return (
    <div className="page">
      <PageHeader title="Docs" subtitle={data ? `${plural(data.length, 'site')} of TechDocs, rendered from your clones` : 'TechDocs next to the code'} />
      {body}
    </div>
  );
}
