import { useMemo, useState } from 'react';
import { Blocks } from 'lucide-react';
import { useLoad } from '../api/useLoad';
import { Events, type ActionSource, type ScaffoldAction } from '../api/types.gen';
import { CopyButton } from '../components/CopyButton';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { SchemaTable } from '../scaffold/SchemaTable';
import { CreateNav } from './CreateNav';
import '../styles/createdocs.css';

const SOURCES: { value: ActionSource | 'all'; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'builtin', label: 'Built in' },
  { value: 'plugin', label: 'From plugins' },
  { value: 'skipped', label: 'Skipped here' },
  { value: 'unavailable', label: 'Not here' },
];

function sourceLabel(a: ScaffoldAction): string {
  switch (a.source) {
    case 'plugin':
      return `plugin ${a.plugin ?? ''}`.trim();
    case 'skipped':
      return 'skipped here';
    case 'unavailable':
      return 'not here';
    default:
      return 'built in';
  }
}

/** One action: what it does, its input and output, an example step. */
function ActionCard({ action: a }: { action: ScaffoldAction }) {
  return (
    <section className="card ref-card" aria-labelledby={`action-${a.id}`} data-testid="action">
      <header className="ref-card-header">
        <h2 id={`action-${a.id}`}>
          <code>{a.id}</code>
        </h2>
        <span className={`chip action-source action-source-${a.source}`}>{sourceLabel(a)}</span>
      </header>
      {a.description && <p>{a.description}</p>}
      {a.why && <p className="warn-text">{a.why}</p>}
      {a.inputSchema !== undefined && (
        <>
          <h3>Input</h3>
          <SchemaTable schema={a.inputSchema} label={`${a.id} input`} />
        </>
      )}
      {a.outputSchema !== undefined && (
        <>
          <h3>Output</h3>
          <SchemaTable schema={a.outputSchema} label={`${a.id} output`} />
        </>
      )}
      {a.examples.map((ex, i) => (
        <div key={i} className="ref-example">
          <div className="ref-example-header">
            <h3>Example</h3>
            <CopyButton text={ex} label="Copy step" />
          </div>
          <pre className="code" aria-label={`${a.id} example`}>
            <code>{ex}</code>
          </pre>
        </div>
      ))}
    </section>
  );
}

/** Every action a template's step can name here, as Backstage's /create/actions lists them. */
export function CreateActionsPage() {
  const { data, error, reload } = useLoad('scaffold-actions', (c) => c.scaffoldActions(), [Events.PluginsChanged]);
  const [text, setText] = useState('');
  const [source, setSource] = useState<ActionSource | 'all'>('all');
  const shown = useMemo(() => {
    const t = text.trim().toLowerCase();
    return (data ?? []).filter((a) => (source === 'all' || a.source === source) && (!t || `${a.id} ${a.description} ${a.plugin ?? ''}`.toLowerCase().includes(t)));
  }, [data, text, source]);
  const count = (s: ActionSource | 'all') => (data ?? []).filter((a) => s === 'all' || a.source === s).length;
  return (
    <div className="page">
      <PageHeader title="Installed actions" subtitle="The actions a template's steps can use here, with their input, output and an example step" actions={<CreateNav />} />
      {error && !data ? (
        <ErrorState title="Could not list the actions" error={error} onRetry={reload} />
      ) : !data ? (
        <Loading label="Listing actions…" />
      ) : (
        <>
          <div className="ref-filters">
            <input type="search" aria-label="Search actions" placeholder="Search actions" value={text} onChange={(e) => setText(e.target.value)} />
            <div className="segmented" role="group" aria-label="Where from">
              {SOURCES.map((s) => (
                <button key={s.value} type="button" className={`segment${source === s.value ? ' active' : ''}`} aria-pressed={source === s.value} onClick={() => setSource(s.value)}>
                  {s.label} <span className="count">{count(s.value)}</span>
                </button>
              ))}
            </div>
          </div>
          {shown.length === 0 ? (
            <EmptyState icon={Blocks} title="No action matches" />
          ) : (
            <div className="ref-list">
              {shown.map((a) => (
                <ActionCard key={a.id} action={a} />
              ))}
            </div>
          )}
        </>
      )}
    </div>
  );
}
