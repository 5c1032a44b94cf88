import { useMemo } from 'react';
import { Pencil } from 'lucide-react';
import type { TemplateStep } from '../api/types.gen';
import { reviewRows, type FormPage, type JsonObject, type ReviewRow } from './schema';

function Value({ value }: { value: ReviewRow['value'] }) {
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">None</span>;
    return (
      <ul className="chips">
        {value.map((v, i) => (
          <li key={i} className="chip">
            {v}
          </li>
        ))}
      </ul>
    );
  }
  if (value === '') return <span className="muted">Empty</span>;
  return <span className="scaffold-review-value">{value}</span>;
}

/** What the user entered, page by page, each value with a way back to where it is entered. */
export function Review({ pages, values, onEdit }: { pages: FormPage[]; values: JsonObject; onEdit(page: number): void }) {
  const rows = useMemo(() => reviewRows(pages, values), [pages, values]);
  if (rows.length === 0) return <p className="muted">This template asks for nothing: it is ready to run.</p>;
  const groups = [
    ...pages.map((p, i) => ({ title: p.title, rows: rows.filter((r) => r.page === i) })),
    // Values given to the form that no page asks for still go to the template.
    { title: 'Other values', rows: rows.filter((r) => r.page === undefined) },
  ].filter((g) => g.rows.length > 0);
  return (
    <div className="table-wrap">
      <table className="table scaffold-review">
        {groups.map((g) => (
          <tbody key={g.title}>
            <tr className="scaffold-review-page">
              <th colSpan={3} scope="colgroup">
                {g.title}
              </th>
            </tr>
            {g.rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.label}</th>
                <td>
                  <Value value={r.value} />
                </td>
                <td className="scaffold-review-edit">
                  {r.page !== undefined && (
                    <button type="button" className="icon-button" aria-label={`Edit ${r.label}`} title="Edit" onClick={() => r.page !== undefined && onEdit(r.page)}>
                      <Pencil size={14} aria-hidden="true" />
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}

/**
 * The steps that cannot run here, each with why (its action is not
 * installed): a dry run skips them and goes on, Create is refused until
 * they can run.
 */
export function UnavailableSteps({ steps }: { steps: TemplateStep[] }) {
  const missing = steps.filter((s) => s.unavailable);
  if (missing.length === 0) return null;
  return (
    <div className="publish-review" aria-label="Steps that cannot run here">
      <h3 className="setting-label">{missing.length === 1 ? 'A step cannot run here' : `${missing.length} steps cannot run here`}</h3>
      <ul>
        {missing.map((s) => (
          <li key={`${steps.indexOf(s)}\0${s.id}`}>
            <strong>{s.name}</strong> <code className="muted">{s.action}</code>: {s.unavailable}.
          </li>
        ))}
      </ul>
      <p className="muted">A dry run skips {missing.length === 1 ? 'it' : 'them'} and runs the rest; Create needs {missing.length === 1 ? 'it' : 'them'} to run.</p>
    </div>
  );
}
