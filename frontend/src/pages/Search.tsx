import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { BookOpen, FileCode2, MessageCircleQuestionMark, Puzzle, Scale, Search as SearchIcon, SearchX } from 'lucide-react';
import { useLoad } from '../api/useLoad';
import { Events, type SearchHit, type SearchQuery } from '../api/types.gen';
import { entityPath } from '../api/refs';
import { DecisionStatus } from '../components/DecisionsTab';
import { FacetGroup } from '../components/FacetPanel';
import { Highlight, queryWords } from '../components/Highlight';
import { KindIcon } from '../components/KindIcon';
import { PluginLink } from '../components/plugins/PluginLink';
import { hasSourceBadge, PluginSourceBadge, pluginSourceLabel } from '../components/plugins/pluginSource';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { kindLabel } from '../kinds';
import { plural } from '../format';
import { useUrlText } from '../useUrlText';

/** URL parameter → query field, for the filters the page offers. */
const FILTERS: [string, keyof SearchQuery, string][] = [
  ['type', 'types', 'Result'],
  ['kind', 'kinds', 'Kind'],
  ['entityType', 'entityTypes', 'Type'],
  ['owner', 'owners', 'Owner'],
  ['lifecycle', 'lifecycles', 'Lifecycle'],
  ['tag', 'tags', 'Tags'],
  ['status', 'statuses', 'Decision status'],
];

const TYPE_LABELS: Record<string, string> = { entity: 'Entities', docs: 'Docs', template: 'Templates', plugin: 'From plugins', question: 'Questions', adr: 'Decisions' };

function hitPath(h: SearchHit): string {
  if ((h.type === 'question' || h.type === 'adr') && h.path) return h.path;
  const base = entityPath(h.ref) ?? '/catalog';
  return h.type === 'docs' && h.path ? `${base}?tab=docs&page=${encodeURIComponent(h.path)}` : base;
}

function HitIcon({ h }: { h: SearchHit }) {
  if (h.type === 'docs') return <BookOpen size={15} aria-hidden="true" />;
  if (h.type === 'plugin') return <Puzzle size={15} aria-hidden="true" />;
  if (h.type === 'template') return <FileCode2 size={15} aria-hidden="true" />;
  if (h.type === 'question') return <MessageCircleQuestionMark size={15} aria-hidden="true" />;
  if (h.type === 'adr') return <Scale size={15} aria-hidden="true" />;
  return <KindIcon kind={h.kind} size={15} />;
}

export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, typed] = useUrlText(q);
  const query: SearchQuery = useMemo(() => {
    const out: SearchQuery = { text: q, limit: 50 };
    for (const [param, field] of FILTERS) {
      const values = params.getAll(param);
      if (values.length > 0) (out[field] as string[]) = values;
    }
    return out;
  }, [params, q]);
  const { data, error, loading, reload } = useLoad(`search\0${JSON.stringify(query)}`, (c) => c.search(query), [Events.CatalogChanged, Events.SearchProgress]);
  const words = queryWords(q);

  const setQuery = (value: string) => {
    typed(value);
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value) next.set('q', value);
        else next.delete('q');
        return next;
      },
      { replace: true },
    );
  };
  const setFilter = (param: string, values: string[]) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      next.delete(param);
      for (const v of values) next.append(param, v);
      return next;
    });

  let body;
  if (!data && error) body = <ErrorState title="Search failed" error={error} onRetry={reload} />;
  else if (!data) body = <Loading label="Searching…" />;
  else if (data.hits.length === 0)
    body = (
      <EmptyState icon={SearchX} title={q ? `Nothing found for “${q}”` : 'Type to search'}>
        <p>Search looks through every entity's name, title, tags and description, the TechDocs pages and the software templates.</p>
      </EmptyState>
    );
  else
    body = (
      <ol className="search-results" data-testid="search-results">
        {data.hits.map((h) => (
          <li key={`${h.type}:${h.ref}:${h.path ?? ''}`} className="search-hit" data-testid="search-hit">
            {h.type === 'plugin' ? (
              <span className="search-hit-title">
                <HitIcon h={h} />
                <PluginLink url={h.path || (h.ref ? entityPath(h.ref) : null)}>
                  <Highlight text={h.title || h.name} words={words} />
                </PluginLink>
              </span>
            ) : (
              <Link to={hitPath(h)} className="search-hit-title">
                <HitIcon h={h} />
                <Highlight text={h.title || h.name} words={words} />
              </Link>
            )}
            <span className="muted search-hit-meta">
              {h.type === 'plugin' && hasSourceBadge(h.name) ? (
                <PluginSourceBadge plugin={h.name} />
              ) : h.type === 'entity' ? (
                kindLabel(h.kind)
              ) : h.type === 'plugin' ? (
                pluginSourceLabel(h.name)
              ) : (
                TYPE_LABELS[h.type]
              )}
              {h.entityType ? ` · ${h.entityType}` : ''}
              {h.ref && (
                <>
                  {' · '}
                  <code>{h.ref}</code>
                </>
              )}
              {h.path && h.type !== 'plugin' && h.type !== 'question' && h.type !== 'adr' ? ` · ${h.path}` : ''}
              {h.type === 'adr' && h.status && (
                <>
                  {' · '}
                  <DecisionStatus status={h.status} />
                </>
              )}
            </span>
            {h.snippet && (
              <p className="search-snippet">
                <Highlight text={h.snippet} words={words} />
              </p>
            )}
          </li>
        ))}
      </ol>
    );

  return (
    <div className="page page-wide">
      <PageHeader
        title="Search"
        subtitle={data ? `${plural(data.total, 'result')}${q ? ` for “${q}”` : ''}` : 'Entities, docs and templates'}
        actions={
          <label className="search-field search-field-wide">
            <SearchIcon size={14} aria-hidden="true" />
            <span className="visually-hidden">Search</span>
            <input type="search" autoFocus value={text} placeholder="Search entities, docs and templates" onChange={(e) => setQuery(e.target.value)} />
          </label>
        }
      />
      {data?.indexing && (
        <div className="sync-progress" role="progressbar" aria-label="Building the search index" aria-valuemin={0} aria-valuemax={data.indexTotal} aria-valuenow={data.indexed}>
          <div className="sync-progress-track">
            <div className="sync-progress-fill" style={{ width: `${data.indexTotal ? (100 * (data.indexed ?? 0)) / data.indexTotal : 0}%` }} />
          </div>
          <span className="sync-progress-label">
            Building the search index: {data.indexed} of {data.indexTotal}; results so far are shown.
          </span>
        </div>
      )}
      <div className="catalog-layout">
        <aside className="facets" aria-label="Filters">
          {FILTERS.map(([param, , title]) => (
            <FacetGroup
              key={param}
              facet={param === 'type' ? 'kind' : param === 'entityType' ? 'type' : (param as 'owner' | 'lifecycle' | 'tag' | 'kind')}
              title={title}
              counts={data?.facets[param] ?? []}
              selected={params.getAll(param)}
              label={param === 'type' ? (v) => TYPE_LABELS[v] ?? v : undefined}
              onChange={(values) => setFilter(param, values)}
              testId={`search-facet-${param}`}
            />
          ))}
        </aside>
        <section className="catalog-main">
          {loading && data && (
            <span className="toolbar-note" role="status">
              Searching…
            </span>
          )}
          {body}
        </section>
      </div>
    </div>
  );
}
