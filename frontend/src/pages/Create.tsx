import { Link } from 'react-router-dom';
import { Sparkles } from 'lucide-react';
import { entityPath } from '../api/refs';
import { useLoad } from '../api/useLoad';
import { KindIcon } from '../components/KindIcon';
import { Placeholder } from '../components/Placeholder';
import { Tags } from '../components/Chips';

export function CreatePage() {
  const { data } = useLoad('templates', (c) => c.listEntities({ kind: 'template' }));
  const templates = data?.items ?? [];
  return (
    <div className="page">
      <Placeholder icon={Sparkles} title="Create">
        Create will run your organisation's software templates: fill in a form, and Callboard scaffolds a new
        repository and registers it in the catalog.
      </Placeholder>
      {templates.length > 0 && (
        <section aria-labelledby="templates-heading" className="templates">
          <h2 id="templates-heading" className="section-title">
            Templates in your catalog
          </h2>
          <ul className="template-grid">
            {templates.map((t) => (
              <li key={t.ref}>
                <Link to={entityPath(t.ref) ?? '/catalog'} className="template-card">
                  <span className="template-title">
                    <KindIcon kind="template" size={16} />
                    {t.title || t.name}
                  </span>
                  {t.description && <span className="template-description">{t.description}</span>}
                  <Tags tags={t.tags} />
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
