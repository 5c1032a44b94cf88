/** A JSON Schema property as the actions page lists it. */
interface Property {
  name: string;
  type: string;
  required: boolean;
  title?: string;
  description?: string;
}

function typeOf(s: Record<string, unknown>): string {
  const t = s.type;
  if (Array.isArray(t)) return t.join(' | ');
  if (t === 'array' && s.items && typeof s.items === 'object') return `${typeOf(s.items as Record<string, unknown>)}[]`;
  if (typeof t === 'string') return t;
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  return 'any';
}

/** The top-level properties of an object schema, required first, in the order written. */
export function schemaProperties(schema: unknown): Property[] {
  if (!schema || typeof schema !== 'object') return [];
  const s = schema as { properties?: Record<string, unknown>; required?: unknown };
  const required = Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : [];
  const props = Object.entries(s.properties ?? {}).map(([name, p]) => {
    const o = p && typeof p === 'object' ? (p as Record<string, unknown>) : {};
    return {
      name,
      type: typeOf(o),
      required: required.includes(name),
      title: typeof o.title === 'string' ? o.title : undefined,
      description: typeof o.description === 'string' ? o.description : undefined,
    };
  });
  return [...props.filter((p) => p.required), ...props.filter((p) => !p.required)];
}

/** A schema's properties as a table, with the whole schema as JSON beneath. */
export function SchemaTable({ schema, label }: { schema: unknown; label: string }) {
  const props = schemaProperties(schema);
  return (
    <div className="schema-table">
      {props.length === 0 ? (
        <p className="muted">No properties declared.</p>
      ) : (
        <table className="table" aria-label={label}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>Description</th>
            </tr>
          </thead>
          <tbody>
            {props.map((p) => (
              <tr key={p.name}>
                <td>
                  <code>{p.name}</code>
                  {p.required && <span className="schema-required"> required</span>}
                </td>
                <td>
                  <code className="muted">{p.type}</code>
                </td>
                <td>
                  {p.title}
                  {p.title && p.description ? ': ' : ''}
                  {p.description && <span className="muted">{p.description}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details className="schema-json">
        <summary>{label} as JSON Schema</summary>
        <pre className="code">
          <code>{JSON.stringify(schema, null, 2)}</code>
        </pre>
      </details>
    </div>
  );
}
