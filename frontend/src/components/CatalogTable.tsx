import { useState } from 'react';
import { Link } from 'react-router-dom';
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type SortingFn,
  type SortingState,
} from '@tanstack/react-table';
import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import type { EntitySummary } from '../api/types';
import { displayRef, entityPath } from '../api/refs';
import { EntityLink } from './EntityLink';
import { KindIcon } from './KindIcon';
import { Lifecycle, Tags } from './Chips';

const col = createColumnHelper<EntitySummary>();

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Every column holds text: compare it as people read it (case-blind, numbers by value). */
const byText: SortingFn<EntitySummary> = (a, b, id) => collator.compare(String(a.getValue(id)), String(b.getValue(id)));

const columns = [
  col.accessor((e) => e.title || e.name, {
    id: 'name',
    header: 'Name',
    cell: ({ row, getValue }) => (
      <Link to={entityPath(row.original.ref) ?? '/catalog'} className="entity-name">
        <KindIcon kind={row.original.kind} size={14} />
        <span>{getValue()}</span>
        {row.original.pending && (
          <span className="badge badge-warn" title="Changed in Callboard; the next sync that reaches the remote pushes it">
            not pushed
          </span>
        )}
      </Link>
    ),
  }),
  col.accessor('kind', { header: 'Kind', cell: ({ getValue }) => <span className="muted">{getValue()}</span> }),
  col.accessor((e) => e.type ?? '', { id: 'type', header: 'Type' }),
  col.accessor((e) => (e.owner ? displayRef(e.owner) : ''), {
    id: 'owner',
    header: 'Owner',
    cell: ({ row }) => (row.original.owner ? <EntityLink entityRef={row.original.owner} /> : null),
  }),
  col.accessor((e) => e.lifecycle ?? '', {
    id: 'lifecycle',
    header: 'Lifecycle',
    cell: ({ getValue }) => <Lifecycle value={getValue()} />,
  }),
  col.accessor((e) => e.description ?? '', {
    id: 'description',
    header: 'Description',
    cell: ({ getValue }) => <span className="description" title={getValue()}>{getValue()}</span>,
  }),
  col.accessor((e) => e.tags.join(' '), {
    id: 'tags',
    header: 'Tags',
    enableSorting: false,
    cell: ({ row }) => <Tags tags={row.original.tags} />,
  }),
];

/** The catalog list; the header buttons sort by a column, a third click restores the catalog's order. */
export function CatalogTable({ items }: { items: EntitySummary[] }) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const table = useReactTable({
    data: items,
    columns,
    defaultColumn: { sortingFn: byText },
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: (e) => e.ref,
  });

  return (
    <div className="table-wrap">
      <table className="table" data-testid="catalog-table">
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const label = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <th
                    key={header.id}
                    className={`col-${header.id}`}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {header.column.getCanSort() ? (
                      <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                        {label}
                        {sorted === 'asc' ? (
                          <ArrowUp size={12} aria-hidden="true" />
                        ) : sorted === 'desc' ? (
                          <ArrowDown size={12} aria-hidden="true" />
                        ) : (
                          <ArrowUpDown size={12} aria-hidden="true" className="sort-idle" />
                        )}
                      </button>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} data-testid="catalog-row">
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className={`col-${cell.column.id}`}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
