import { useState } from 'react';
import type { FileChange, ScaffoldFile, WorkbenchRun } from '../api/types.gen';
import { ExternalLink } from '../components/ExternalLink';

type Tab = 'files' | 'changes' | 'steps' | 'output';

/** A line of a unified diff, classed by what it says. */
function diffClass(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return 'diff-file';
  if (line.startsWith('@@')) return 'diff-hunk';
  if (line.startsWith('+')) return 'diff-add';
  if (line.startsWith('-')) return 'diff-del';
  return '';
}

function Diff({ change }: { change: FileChange }) {
  if (change.binary) return <p className="muted">Binary file {change.change}.</p>;
  if (!change.diff) return <p className="muted">{change.change === 'changed' ? (change.cut ? 'The diff is too large to show.' : 'Its size or mode changed.') : `File ${change.change}.`}</p>;
  return (
    <pre className="dry-run-content workbench-diff" aria-label={`Diff of ${change.path}`}>
      {change.diff.split('\n').map((line, i) => (
        <span key={i} className={diffClass(line)}>
          {line}
          {'\n'}
        </span>
      ))}
      {change.cut && <span className="muted">(cut: the diff is longer)</span>}
    </pre>
  );
}

function fileText(file: ScaffoldFile): string {
  if (file.binary) return `(binary file, ${file.size} bytes)`;
  return file.content ?? (file.size === 0 ? '' : `(${file.size} bytes, too large to show)`);
}

/**
 * A workbench's dry run: the project's files with their contents, what
 * changed since the run before, each step's log, and the outputs.
 */
export function DryRunView({ result }: { result: WorkbenchRun }) {
  const { run, changes } = result;
  const [tab, setTab] = useState<Tab>('files');
  const files = run.files.filter((f) => !f.dir);
  const [open, setOpen] = useState('');
  const file = files.find((f) => f.path === open) ?? files[0];
  const tabs: [Tab, string][] = [
    ['files', `Files (${files.length})`],
    ['changes', `Changes since last run (${changes.length})`],
    ['steps', `Steps (${run.steps.length})`],
    ['output', 'Output'],
  ];
  return (
    <div className="workbench-result">
      <p className={`workbench-status run-status-${run.status}`} role="status">
        Dry run {run.status}
        {run.error && `: ${run.error}`}
      </p>
      <div role="tablist" aria-label="Dry run" className="workbench-tabs">
        {tabs.map(([t, label]) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} className={`button button-small ${tab === t ? 'button-primary' : 'button-quiet'}`} onClick={() => setTab(t)}>
            {label}
          </button>
        ))}
      </div>
      {tab === 'files' && (
        <div className="dry-run">
          <ul className="dry-run-files" aria-label="Files">
            {files.map((f) => (
              <li key={f.path}>
                <button type="button" className={f === file ? 'active' : ''} aria-current={f === file ? 'true' : undefined} onClick={() => setOpen(f.path)}>
                  {f.path}
                </button>
              </li>
            ))}
          </ul>
          <pre className="dry-run-content" aria-label={file ? `Content of ${file.path}` : 'Content'}>
            {file ? fileText(file) : ''}
          </pre>
        </div>
      )}
      {tab === 'changes' && (
        <div aria-label="Changes since last run">
          {result.first ? (
            <p className="muted">This is the first dry run; the next one is compared with it.</p>
          ) : changes.length === 0 ? (
            <p className="muted">No file changed since the last dry run.</p>
          ) : (
            <>
              {result.same && <p className="muted">This run made the same files as the one before; these are the changes of the last run that made any.</p>}
              <ul className="workbench-changes">
                {changes.map((c) => (
                  <li key={c.path}>
                    <p>
                      <span className={`workbench-change workbench-change-${c.change}`}>{c.change}</span> <code>{c.path}</code>
                    </p>
                    <Diff change={c} />
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      {tab === 'steps' && (
        <ol className="run-steps">
          {run.steps.map((s, i) => (
            <li key={`${s.id}-${i}`}>
              <details open={s.status === 'failed'}>
                <summary>
                  <span className="run-step-name">{s.name}</span> <code className="muted">{s.action}</code> <span className={`run-status-${s.status}`}>{s.status}</span>
                  <span className="run-step-time muted">{s.durationMs} ms</span>
                </summary>
                {s.error && <p className="banner banner-error">{s.error}</p>}
                <pre className="run-log">{s.log.join('\n') || '(no log)'}</pre>
              </details>
            </li>
          ))}
        </ol>
      )}
      {tab === 'output' && (
        <div>
          {run.links.length === 0 && run.texts.length === 0 && <p className="muted">The template has no spec.output.</p>}
          {run.links.length > 0 && (
            <ul className="run-links">
              {run.links.map((l, i) => (
                <li key={i}>{l.url ? <ExternalLink href={l.url}>{l.title || l.url}</ExternalLink> : `${l.title || 'Entity'}: ${l.entityRef}`}</li>
              ))}
            </ul>
          )}
          {run.texts.map((t, i) => (
            <div key={i} className="run-text">
              <h3>{t.title}</h3>
              <pre>{t.content}</pre>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
