import { useMemo, useState } from 'react';
import { parse as parseYaml } from 'yaml';
import { buildSchema, isEnumType, isInputObjectType, isObjectType, type GraphQLField, type GraphQLInputField, type GraphQLNamedType } from 'graphql';
import { compareText } from '../locale';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A schema written compactly: its type, $ref target, or the shape of its items. */
function schemaLabel(v: unknown): string {
  const s = obj(v);
  if (typeof s.$ref === 'string') return s.$ref.split('/').at(-1) ?? s.$ref;
  if (s.type === 'array') return `${schemaLabel(s.items)}[]`;
  if (Array.isArray(s.enum)) return s.enum.map(String).join(' | ');
  return str(s.type) || (s.oneOf ? 'oneOf' : s.anyOf ? 'anyOf' : s.allOf ? 'allOf' : 'object');
}

/** OpenAPI 2 and 3: operations grouped by tag, with parameters and responses, then the schemas. */
function OpenApi({ doc }: { doc: Json }) {
  const info = obj(doc.info);
  const ops: { tag: string; method: string; path: string; op: Json }[] = [];
  for (const [path, item] of Object.entries(obj(doc.paths))) {
    for (const m of METHODS) {
      const op = obj(obj(item)[m]);
      if (Object.keys(op).length === 0) continue;
      const tags = Array.isArray(op.tags) && op.tags.length > 0 ? op.tags.map(String) : ['default'];
      for (const tag of tags) ops.push({ tag, method: m, path, op });
    }
  }
  const byTag = new Map<string, typeof ops>();
  for (const o of ops) byTag.set(o.tag, [...(byTag.get(o.tag) ?? []), o]);
  const schemas = obj(obj(doc.components).schemas ?? doc.definitions);
  return (
    <div className="apidoc" data-testid="openapi">
      <header className="apidoc-head">
        <h3>{str(info.title) || 'API'}</h3>
        <span className="badge badge-neutral">{doc.openapi ? `OpenAPI ${str(doc.openapi)}` : `Swagger ${str(doc.swagger)}`}</span>
        {str(info.version) && <span className="badge badge-neutral">v{str(info.version)}</span>}
      </header>
      {str(info.description) && <p className="muted">{str(info.description)}</p>}
      {[...byTag].map(([tag, list]) => (
        <section key={tag} className="apidoc-tag">
          <h4>{tag}</h4>
          {list.map(({ method, path, op }) => (
            <Operation key={`${method} ${path}`} method={method} path={path} op={op} />
          ))}
        </section>
      ))}
      {Object.keys(schemas).length > 0 && (
        <section className="apidoc-tag">
          <h4>Schemas</h4>
          {Object.entries(schemas).map(([name, schema]) => (
            <details key={name} className="apidoc-schema">
              <summary>
                <code>{name}</code> <span className="muted">{schemaLabel(schema)}</span>
              </summary>
              <table className="apidoc-table">
                <tbody>
                  {Object.entries(obj(obj(schema).properties)).map(([prop, ps]) => (
                    <tr key={prop}>
                      <td>
                        <code>{prop}</code>
                        {Array.isArray(obj(schema).required) && (obj(schema).required as unknown[]).includes(prop) && <span className="required">*</span>}
                      </td>
                      <td className="muted">{schemaLabel(ps)}</td>
                      <td>{str(obj(ps).description)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ))}
        </section>
      )}
    </div>
  );
}

function Operation({ method, path, op }: { method: string; path: string; op: Json }) {
  const params = Array.isArray(op.parameters) ? op.parameters.map(obj) : [];
  const responses = Object.entries(obj(op.responses));
  return (
    <details className="apidoc-op">
      <summary>
        <span className={`method method-${method}`}>{method.toUpperCase()}</span>
        <code className="apidoc-path">{path}</code>
        <span className="muted">{str(op.summary)}</span>
      </summary>
      {str(op.description) && <p>{str(op.description)}</p>}
      {params.length > 0 && (
        <table className="apidoc-table">
          <thead>
            <tr>
              <th>Parameter</th>
              <th>In</th>
              <th>Type</th>
              <th>Description</th>
            </tr>
          </thead>
          <tbody>
            {params.map((p, i) => (
              <tr key={i}>
                <td>
                  <code>{str(p.name) || str(p.$ref).split('/').at(-1)}</code>
                  {p.required === true && <span className="required">*</span>}
                </td>
                <td>{str(p.in)}</td>
                <td className="muted">{schemaLabel(p.schema ?? p)}</td>
                <td>{str(p.description)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {responses.length > 0 && (
        <table className="apidoc-table">
          <thead>
            <tr>
              <th>Response</th>
              <th>Description</th>
            </tr>
          </thead>
          <tbody>
            {responses.map(([code, r]) => (
              <tr key={code}>
                <td>
                  <code>{code}</code>
                </td>
                <td>{str(obj(r).description)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}

/** AsyncAPI 2 and 3: the channels with what is published and subscribed. */
function AsyncApi({ doc }: { doc: Json }) {
  const info = obj(doc.info);
  return (
    <div className="apidoc" data-testid="asyncapi">
      <header className="apidoc-head">
        <h3>{str(info.title) || 'API'}</h3>
        <span className="badge badge-neutral">AsyncAPI {str(doc.asyncapi)}</span>
        {str(info.version) && <span className="badge badge-neutral">v{str(info.version)}</span>}
      </header>
      {str(info.description) && <p className="muted">{str(info.description)}</p>}
      <section className="apidoc-tag">
        <h4>Channels</h4>
        {Object.entries(obj(doc.channels)).map(([name, ch]) => {
          const c = obj(ch);
          const ops = (['publish', 'subscribe'] as const).filter((o) => c[o]);
          return (
            <details key={name} className="apidoc-op">
              <summary>
                {ops.map((o) => (
                  <span key={o} className={`method method-${o === 'publish' ? 'post' : 'get'}`}>
                    {o.toUpperCase()}
                  </span>
                ))}
                <code className="apidoc-path">{str(c.address) || name}</code>
                <span className="muted">{str(c.description)}</span>
              </summary>
              {ops.map((o) => {
                const msg = obj(obj(c[o]).message);
                return (
                  <p key={o}>
                    <strong>{o}</strong>: {str(obj(c[o]).summary)} {str(msg.name) && <code>{str(msg.name)}</code>} {schemaLabel(msg.payload)}
                  </p>
                );
              })}
              {Object.keys(obj(c.messages)).length > 0 && <p>Messages: {Object.keys(obj(c.messages)).join(', ')}</p>}
            </details>
          );
        })}
      </section>
    </div>
  );
}

/** GraphQL SDL: the types with their fields, parsed by graphql-js. */
function graphqlTypes(sdl: string): GraphQLNamedType[] {
  const schema = buildSchema(sdl, { assumeValidSDL: true });
  return Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__'));
}

function GraphQl({ types }: { types: GraphQLNamedType[] }) {
  const root = ['Query', 'Mutation', 'Subscription'];
  const ordered = [...types].sort((a, b) => {
    const ra = root.indexOf(a.name);
    const rb = root.indexOf(b.name);
    return (ra < 0 ? 9 : ra) - (rb < 0 ? 9 : rb) || compareText(a.name, b.name);
  });
  return (
    <div className="apidoc" data-testid="graphql">
      <header className="apidoc-head">
        <h3>GraphQL schema</h3>
        <span className="badge badge-neutral">{types.length} types</span>
      </header>
      {ordered.map((t) =>
        isObjectType(t) || isInputObjectType(t) ? (
          <details key={t.name} className="apidoc-schema" open={root.includes(t.name)}>
            <summary>
              <code>{t.name}</code> <span className="muted">{isInputObjectType(t) ? 'input' : 'type'}</span>
            </summary>
            <table className="apidoc-table">
              <tbody>
                {Object.values<GraphQLField<unknown, unknown> | GraphQLInputField>(t.getFields()).map((f) => (
                  <tr key={f.name}>
                    <td>
                      <code>{f.name}</code>
                    </td>
                    <td className="muted">
                      <code>{String(f.type)}</code>
                    </td>
                    <td>{f.description ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        ) : isEnumType(t) ? (
          <details key={t.name} className="apidoc-schema">
            <summary>
              <code>{t.name}</code> <span className="muted">enum</span>
            </summary>
            <p>{t.getValues().map((v) => v.name).join(' | ')}</p>
          </details>
        ) : null,
      )}
    </div>
  );
}

type Parsed = { type: 'openapi' | 'asyncapi'; doc: Json } | { type: 'graphql'; types: GraphQLNamedType[] };

/** The definition parsed for its type's view; null for a type without one. Throws when it does not parse. */
function parseDefinition(type: string, definition: string): Parsed | null {
  if (type === 'openapi' || type === 'asyncapi') return { type, doc: obj(parseYaml(definition)) };
  if (type === 'graphql') return { type, types: graphqlTypes(definition) };
  return null;
}

/**
 * An API entity's spec.definition, rendered for its type: OpenAPI, AsyncAPI
 * and GraphQL get a structured view, anything else (or a definition that
 * does not parse) its source. The source is always one click away.
 */
export function ApiDefinition({ type, definition }: { type: string; definition: string }) {
  const [source, setSource] = useState(false);
  const rendered = useMemo(() => {
    // Parse here, render below: a component's render is not inside this
    // try, so a definition that does not parse must fail before one is made.
    let parsed: Parsed | null;
    try {
      parsed = parseDefinition(type, definition);
    } catch (e) {
      return (
        <p className="banner banner-error" role="alert">
          The {type} definition does not parse: {e instanceof Error ? e.message : String(e)}
        </p>
      );
    }
    if (!parsed) return null;
    if (parsed.type === 'graphql') return <GraphQl types={parsed.types} />;
    return parsed.type === 'openapi' ? <OpenApi doc={parsed.doc} /> : <AsyncApi doc={parsed.doc} />;
  }, [type, definition]);
  return (
    <div className="api-definition">
      {rendered && (
        <div className="segmented" role="group" aria-label="Definition view">
          <button type="button" className={`segment${source ? '' : ' active'}`} aria-pressed={!source} onClick={() => setSource(false)}>
            Rendered
          </button>
          <button type="button" className={`segment${source ? ' active' : ''}`} aria-pressed={source} onClick={() => setSource(true)}>
            Source
          </button>
        </div>
      )}
      {rendered && !source ? (
        rendered
      ) : (
        <pre className="code">
          <code>{definition}</code>
        </pre>
      )}
    </div>
  );
}
