import { useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Search, SearchX } from 'lucide-react';
import { useLoad } from '../api/useLoad';
import { CatalogTable } from '../components/CatalogTable';
import { KindIcon } from '../components/KindIcon';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { countKinds, kindPlural } from '../kinds';
import { plural } from '../format';

const ALL = 'all';

export function CatalogPage() {
  const [params, setParams] = useSearchParams();
  const kind = (params.get('kind') || ALL).toLowerCase();
  const q = params.get('q') ?? '';

  // The input keeps its own value so typing never waits for navigation;
  // it follows the URL when that changes otherwise (back, a link).
  const [text, setText] = useState(q);
  const written = useRef(q);
  useEffect(() => {
    if (q !== written.current) {
      written.current = q;
      setText(q);
    }
  }, [q]);

  const { data, error, loading, reload } = useLoad(`catalog\0${q}`, (c) => c.listEntities({ text: q }));
  const all = useMemo(() => data?.items ?? [], [data]);
  const counts = useMemo(() => countKinds(all), [all]);
  const items = useMemo(() => (kind === ALL ? all : all.filter((e) => e.kind.toLowerCase() === kind)), [all, kind]);
  const tabs = useMemo(() => {
    const t: [string, number][] = [[ALL, all.length], ...counts];
    if (!t.some(([k]) => k === kind)) t.push([kind, 0]);
    return t;
  }, [all, counts, kind]);

  const setKind = (k: string) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (k === ALL) next.delete('kind');
      else next.set('kind', k);
      return next;
    });

  const setQuery = (value: string) => {
    setText(value);
    written.current = value.trim();
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value.trim()) next.set('q', value.trim());
        else next.delete('q');
        return next;
      },
      { replace: true },
    );
  };

  let body;
  if (!data && error) {
    body = <ErrorState title="Could not load the catalog" error={error} onRetry={reload} />;
  } else if (!data) {
    body = <Loading label="Loading the catalog…" />;
  } else if (items.length === 0) {
    body =
      q || kind !== ALL ? (
        <EmptyState icon={SearchX} title="No entities match">
          <p>Nothing {kind === ALL ? '' : `of kind ${kind} `}matches{q ? ` “${q}”` : ''}.</p>
          <button
            type="button"
            className="button"
            onClick={() => {
              setText('');
              written.current = '';
              setParams(new URLSearchParams());
            }}
          >
            Clear filters
          </button>
        </EmptyState>
      ) : (
        <EmptyState title="The catalog is empty">
          <p>Register a location that holds catalog-info.yaml files, then sync it from Settings.</p>
        </EmptyState>
      );
  } else {
    body = <CatalogTable items={items} />;
  }

  return (
    <div className="page page-wide">
      <PageHeader
        title="Catalog"
        subtitle={data ? `${plural(items.length, 'entity', 'entities')}${kind === ALL ? '' : ` of kind ${kind}`}` : 'Every component, API, system and team your organisation describes'}
        actions={
          <label className="search-field">
            <Search size={14} aria-hidden="true" />
            <span className="visually-hidden">Filter by name, title or description</span>
            <input
              type="search"
              value={text}
              placeholder="Filter by name, title or description"
              onChange={(e) => setQuery(e.target.value)}
            />
          </label>
        }
      />
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Kind">
          {tabs.map(([k, n]) => (
            <button
              key={k}
              type="button"
              className={`segment${k === kind ? ' active' : ''}`}
              aria-pressed={k === kind}
              onClick={() => setKind(k)}
            >
              {k !== ALL && <KindIcon kind={k} size={13} />}
              {k === ALL ? 'All' : kindPlural(k)}
              <span className="count">{n}</span>
            </button>
          ))}
        </div>
        {loading && data && <span className="toolbar-note" role="status">Updating…</span>}
      </div>
      {data && error && (
        <p className="banner banner-error" role="alert">
          Could not refresh: {error.message}
        </p>
      )}
      {body}
    </div>
  );
}
