import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Columns3, Import, Search, SearchX } from 'lucide-react';
import { FACETS, type Facet } from '../api/facets';
import { CatalogGrid } from '../components/CatalogGrid';
import { FacetGroup } from '../components/FacetPanel';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { ALL_COLUMNS, columnsFor, isFiltered, readState, toQuery, writeState, type CatalogState, type Column } from '../catalog/state';
import { useRows } from '../catalog/useRows';
import { plural } from '../format';
import { useUrlText } from '../useUrlText';
import { useSlashFocus } from '../useSlashFocus';

const TOGGLES: [keyof Pick<CatalogState, 'starred' | 'mine' | 'errors'>, string][] = [
  ['starred', 'Starred'],
  ['mine', 'Owned by me'],
  ['errors', 'Has processing errors'],
];

export function CatalogPage() {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => readState(params), [params]);
  // From the URL as it is now, not as last rendered: quick clicks each keep the one before.
  const update = (change: Partial<CatalogState>, replace = false) => setParams((p) => writeState({ ...readState(p), ...change }), { replace });

  // The input keeps its own value so typing never waits for navigation.
  const [text, typed] = useUrlText(state.text);
  const setQuery = (value: string) => {
    typed(value, value.trim());
    update({ text: value }, true);
  };

  const search = useSlashFocus<HTMLInputElement>();

  const query = useMemo(() => toQuery(state), [state]);
  const rows = useRows(query);
  const columns = columnsFor(state);
  const total = rows.first?.total ?? 0;
  const [choosing, setChoosing] = useState(false);

  const onSort = (c: Column) => {
    if (state.sort !== c) update({ sort: c, desc: false });
    else if (!state.desc) update({ desc: true });
    else update({ sort: '', desc: false });
  };

  let body;
  if (!rows.first && rows.error) {
    body = <ErrorState title="Could not load the catalog" error={rows.error} onRetry={rows.reload} />;
  } else if (!rows.first) {
    body = <Loading label="Loading the catalog…" />;
  } else if (total === 0) {
    body = isFiltered(state) ? (
      <EmptyState icon={SearchX} title="No entities match">
        <p>Nothing matches these filters{state.text ? ` and “${state.text}”` : ''}.</p>
        <button
          type="button"
          className="button"
          onClick={() => {
            typed('');
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
    body = (
      <CatalogGrid total={total} row={rows.row} want={rows.want} columns={columns} sort={state.sort} desc={state.desc} busy={rows.loading} onSort={onSort} />
    );
  }

  const facets = rows.first?.facets ?? {};
  return (
    <div className="page page-wide catalog-page">
      <PageHeader
        title="Catalog"
        subtitle={rows.first ? `${plural(total, 'entity', 'entities')}${isFiltered(state) ? ' match' : ''}` : 'Every component, API, system and team your organisation describes'}
        actions={
          <>
            <label className="search-field">
              <Search size={14} aria-hidden="true" />
              <span className="visually-hidden">Filter by name, title or description</span>
              <input
                ref={search}
                type="search"
                value={text}
                placeholder="Filter by name, title or description  ( / )"
                onChange={(e) => setQuery(e.target.value)}
              />
            </label>
            <Link className="button button-small" to="/catalog/import">
              <Import size={13} aria-hidden="true" /> Import repository
            </Link>
            <div className="column-chooser">
              <button type="button" className="button button-small" aria-expanded={choosing} onClick={() => setChoosing(!choosing)}>
                <Columns3 size={13} aria-hidden="true" /> Columns
              </button>
              {choosing && (
                <div className="popover" role="group" aria-label="Columns">
                  {ALL_COLUMNS.filter((c) => c !== 'name').map((c) => (
                    <label key={c}>
                      <input
                        type="checkbox"
                        checked={columns.includes(c)}
                        onChange={() =>
                          update({ columns: columns.includes(c) ? columns.filter((x) => x !== c) : [...columns, c] })
                        }
                      />
                      {c}
                    </label>
                  ))}
                  {state.columns.length > 0 && (
                    <button type="button" className="link-button" onClick={() => update({ columns: [] })}>
                      Columns that fit the kind
                    </button>
                  )}
                </div>
              )}
            </div>
          </>
        }
      />
      <div className="catalog-layout">
        <aside className="facets" aria-label="Filters">
          <fieldset className="facet">
            <legend>Show</legend>
            {TOGGLES.map(([key, title]) => (
              <label key={key} className="facet-value">
                <input type="checkbox" checked={state[key]} onChange={() => update({ [key]: !state[key] })} />
                <span className="facet-label">{title}</span>
              </label>
            ))}
          </fieldset>
          {FACETS.map((f: Facet) => (
            <FacetGroup
              key={f}
              facet={f}
              counts={facets[f] ?? []}
              selected={state.facets[f] ?? []}
              onChange={(values) => {
                const next = { ...state.facets };
                if (values.length > 0) next[f] = values;
                else delete next[f];
                update({ facets: next });
              }}
            />
          ))}
        </aside>
        <section className="catalog-main">
          {rows.first && rows.error && (
            <p className="banner banner-error" role="alert">
              Could not refresh: {rows.error.message}
            </p>
          )}
          {rows.loading && rows.first && (
            <span className="toolbar-note" role="status">
              Updating…
            </span>
          )}
          {body}
        </section>
      </div>
    </div>
  );
}
