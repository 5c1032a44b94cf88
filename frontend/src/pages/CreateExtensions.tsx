import { useEffect, useMemo, useRef, useState } from 'react';
import { Braces, Play } from 'lucide-react';
import { useClient } from '../api/context';
import { useLoad } from '../api/useLoad';
import type { TemplateEvaluated, TemplateExtension } from '../api/types.gen';
import { CopyButton } from '../components/CopyButton';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { useDebounced } from '../scaffold/fields/common';
import { CreateNav } from './CreateNav';
import '../styles/createdocs.css';

const GROUPS: { title: string; of: (e: TemplateExtension) => boolean }[] = [
  { title: "Backstage's filters", of: (e) => e.kind === 'filter' && e.from === 'backstage' },
  { title: "Nunjucks' filters", of: (e) => e.kind === 'filter' && e.from !== 'backstage' },
  { title: 'Globals', of: (e) => e.kind === 'global' },
];

/** What an expression rendered to, or why it could not. */
type Outcome = { result: TemplateEvaluated } | { failed: string };

/**
 * Renders an expression through the portal's engine as the user types
 * (values as `parameters`), answering only the latest request.
 */
function Playground({ expression, onExpression, values, onValues }: { expression: string; onExpression(v: string): void; values: string; onValues(v: string): void }) {
  const client = useClient();
  const settledExpression = useDebounced(expression, 200);
  const settledValues = useDebounced(values, 200);
  const [outcome, setOutcome] = useState<Outcome>();
  const latest = useRef(0);
  const parsedValues = useMemo(() => {
    try {
      const v: unknown = JSON.parse(settledValues || '{}');
      return v && typeof v === 'object' && !Array.isArray(v) ? { ok: v } : { bad: 'The values must be a JSON object.' };
    } catch (e) {
      return { bad: `The values are not JSON: ${e instanceof Error ? e.message : String(e)}` };
    }
  }, [settledValues]);

  useEffect(() => {
    if ('bad' in parsedValues) return;
    const n = ++latest.current;
    client.evaluateTemplate({ expression: settledExpression, values: parsedValues.ok }).then(
      (result) => n === latest.current && setOutcome({ result }),
      (e: unknown) => n === latest.current && setOutcome({ failed: e instanceof Error ? e.message : String(e) }),
    );
  }, [client, settledExpression, parsedValues]);

  const error = 'bad' in parsedValues ? parsedValues.bad : outcome && 'failed' in outcome ? outcome.failed : outcome?.result.error;
  const result = outcome && 'result' in outcome && !outcome.result.error ? outcome.result : undefined;
  return (
    <section className="card ref-card playground" aria-label="Try an expression">
      <header className="ref-card-header">
        <h2>
          <Play size={14} aria-hidden="true" /> Try an expression
        </h2>
      </header>
      <label className="playground-field">
        <span>Expression, rendered as a step's input is</span>
        <input aria-label="Expression" value={expression} onChange={(e) => onExpression(e.target.value)} spellCheck={false} />
      </label>
      <label className="playground-field">
        <span>
          Form values, as <code>parameters</code> (JSON)
        </span>
        <textarea aria-label="Values" rows={4} value={values} onChange={(e) => onValues(e.target.value)} spellCheck={false} />
      </label>
      <div className="playground-result" role="status" aria-live="polite">
        {error ? (
          <p className="banner banner-error">{error}</p>
        ) : result ? (
          <dl className="playground-output">
            <dt>Text (in a file)</dt>
            <dd>
              <pre className="code" aria-label="Text">
                <code>{result.text}</code>
              </pre>
            </dd>
            <dt>Value (in a step's input)</dt>
            <dd>
              <pre className="code" aria-label="Value">
                <code>{result.value === undefined ? 'undefined' : JSON.stringify(result.value, null, 2)}</code>
              </pre>
            </dd>
          </dl>
        ) : (
          <p className="muted">Rendering…</p>
        )}
      </div>
    </section>
  );
}

/** The filters and globals a template's ${{ }} can use, each with a live example. */
export function CreateExtensionsPage() {
  const { data, error, reload } = useLoad('template-extensions', (c) => c.templateExtensions(), []);
  const [text, setText] = useState('');
  const [expression, setExpression] = useState('${{ parameters.repoUrl | parseRepoUrl }}');
  const [values, setValues] = useState<string | null>(null);
  const playground = useRef<HTMLDivElement>(null);
  const shownValues = values ?? (data ? JSON.stringify(data.exampleValues, null, 2) : '{}');
  const shown = useMemo(() => {
    const t = text.trim().toLowerCase();
    return (data?.extensions ?? []).filter((e) => !t || `${e.name} ${e.description}`.toLowerCase().includes(t));
  }, [data, text]);
  const tryIt = (e: TemplateExtension) => {
    setExpression(e.example);
    playground.current?.scrollIntoView?.({ block: 'nearest' });
    playground.current?.querySelector('input')?.focus();
  };
  return (
    <div className="page">
      <PageHeader title="Templating extensions" subtitle="The filters and globals of ${{ }} in a template's steps and skeletons" actions={<CreateNav />} />
      {error && !data ? (
        <ErrorState title="Could not list the extensions" error={error} onRetry={reload} />
      ) : !data ? (
        <Loading label="Listing extensions…" />
      ) : (
        <>
          <div ref={playground}>
            <Playground expression={expression} onExpression={setExpression} values={shownValues} onValues={setValues} />
          </div>
          <div className="ref-filters">
            <input type="search" aria-label="Search extensions" placeholder="Search filters and globals" value={text} onChange={(e) => setText(e.target.value)} />
          </div>
          {shown.length === 0 && <EmptyState icon={Braces} title="No filter or global matches" />}
          {GROUPS.map((g) => {
            const items = shown.filter(g.of);
            if (items.length === 0) return null;
            return (
              <section key={g.title} className="ref-group" aria-label={g.title}>
                <h2 className="ref-group-title">{g.title}</h2>
                <div className="ref-list">
                  {items.map((e) => (
                    <section key={`${e.kind}:${e.name}`} className="card ref-card" aria-labelledby={`ext-${e.kind}-${e.name}`} data-testid="extension">
                      <header className="ref-card-header">
                        <h3 id={`ext-${e.kind}-${e.name}`}>
                          <code>{e.name}</code>
                        </h3>
                        <code className="muted">{e.signature}</code>
                      </header>
                      <p>{e.description}</p>
                      <div className="ref-example-header">
                        <pre className="code ref-inline-example">
                          <code>{e.example}</code>
                        </pre>
                        <CopyButton text={e.example} />
                        <button type="button" className="button button-small" onClick={() => tryIt(e)} aria-label={`Try ${e.name}`}>
                          <Play size={13} aria-hidden="true" /> Try it
                        </button>
                      </div>
                    </section>
                  ))}
                </div>
              </section>
            );
          })}
        </>
      )}
    </div>
  );
}
