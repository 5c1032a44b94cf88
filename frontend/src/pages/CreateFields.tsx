import { useMemo, useRef, useState } from 'react';
import Form from '@rjsf/core';
import { stringify } from 'yaml';
import { useClient } from '../api/context';
import { CopyButton } from '../components/CopyButton';
import { PageHeader } from '../components/PageHeader';
import type { ScaffoldContext } from '../scaffold/context';
import { fields } from '../scaffold/fields';
import { fieldDocs } from '../scaffold/fields/docs';
import { templatePages, type JsonObject } from '../scaffold/schema';
import { catalogSourceFromClient, type CatalogSource } from '../scaffold/source';
import { templates } from '../scaffold/theme';
import { validator } from '../scaffold/validation';
import { CreateNav } from './CreateNav';
import '../styles/scaffold.css';
import '../styles/createdocs.css';

/** The field extensions the form supports, by name: those registered, whether documented or not. */
export function fieldNames(): string[] {
  return Object.keys(fields).sort();
}

/** A property's YAML, as it goes under a parameters page's properties. */
export function fieldYaml(name: string, property: JsonObject): string {
  return stringify({ [name]: property }).trimEnd();
}

/** The field rendered live in a bare form over the real catalog, with the value it gives. */
function Preview({ name, property, source }: { name: string; property: JsonObject; source: CatalogSource }) {
  const [page] = useMemo(() => templatePages({ properties: { [name]: property } }), [name, property]);
  const [data, setData] = useState<JsonObject>({});
  const secrets = useRef<Record<string, string>>({});
  const [secretShown, setSecretShown] = useState<string>();
  const context = useMemo<ScaffoldContext>(
    () => ({
      source,
      secret: (n) => secrets.current[n],
      setSecret: (n, v) => {
        secrets.current[n] = v;
        setSecretShown(v);
      },
    }),
    [source],
  );
  if (!page) return null;
  const value = name in data ? data[name] : undefined;
  return (
    <div className="field-preview">
      <Form<JsonObject>
        schema={page.schema}
        uiSchema={page.uiSchema}
        formData={data}
        formContext={context}
        validator={validator}
        fields={fields}
        templates={templates}
        idPrefix={`field-${name}`}
        onChange={(e) => setData(e.formData ?? {})}
      >
        <span />
      </Form>
      <p className="muted field-value" aria-label={`${name} value`}>
        {secretShown !== undefined ? 'Goes to secrets, not parameters' : `parameters.${name} = ${value === undefined ? 'undefined' : JSON.stringify(value)}`}
      </p>
    </div>
  );
}

/** Each ui:field the template form supports: its options, live, and the YAML to paste. */
export function CreateFieldsPage() {
  const client = useClient();
  const source = useMemo(() => catalogSourceFromClient(client), [client]);
  const names = fieldNames();
  const [selected, setSelected] = useState(names[0] ?? '');
  const doc = fieldDocs[selected];
  const propertyName = selected.charAt(0).toLowerCase() + selected.slice(1).replace(/Picker$/, '');
  return (
    <div className="page">
      <PageHeader title="Field explorer" subtitle="The field extensions a template's parameters can name as ui:field" actions={<CreateNav />} />
      <div className="field-explorer">
        <nav aria-label="Fields">
          <ul className="field-list">
            {names.map((n) => (
              <li key={n}>
                <button type="button" className={n === selected ? 'active' : ''} aria-current={n === selected ? 'true' : undefined} onClick={() => setSelected(n)}>
                  {n}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        {doc && (
          <section className="card ref-card" aria-labelledby="field-title" data-testid="field">
            <header className="ref-card-header">
              <h2 id="field-title">
                <code>{selected}</code>
              </h2>
            </header>
            <p>{doc.description}</p>
            <h3>Options (ui:options)</h3>
            {doc.options.length === 0 ? (
              <p className="muted">None.</p>
            ) : (
              <table className="table" aria-label={`${selected} options`}>
                <tbody>
                  {doc.options.map((o) => (
                    <tr key={o.name}>
                      <td>
                        <code>{o.name}</code>
                      </td>
                      <td>
                        <code className="muted">{o.type}</code>
                      </td>
                      <td>{o.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <h3>Try it</h3>
            <Preview key={selected} name={propertyName} property={doc.example} source={source} />
            <div className="ref-example">
              <div className="ref-example-header">
                <h3>YAML</h3>
                <CopyButton text={fieldYaml(propertyName, doc.example)} label="Copy YAML" />
              </div>
              <pre className="code" aria-label={`${selected} YAML`}>
                <code>{fieldYaml(propertyName, doc.example)}</code>
              </pre>
            </div>
          </section>
        )}
      </div>
    </div>
  );
}
