import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { ArrowLeft, CheckCircle2, FolderOpen, GitPullRequestArrow, Import as ImportIcon, TriangleAlert } from 'lucide-react';
import { useClient } from '../api/context';
import { entityPath, displayRef } from '../api/refs';
import { describeProgress, useSyncProgress } from '../api/useSyncProgress';
import type { EntityValidation, ImportEntity, ImportPreview, ImportResult, ProcessingError } from '../api/types.gen';
import { Card } from '../components/Card';
import { PageHeader } from '../components/PageHeader';
import { plural } from '../format';
import '../styles/import.css';

/** How long the YAML must rest before it is validated again, so typing does not call the server at every key. */
const VALIDATE_AFTER_MS = 300;

type Step = { at: 'source' } | { at: 'preview'; preview: ImportPreview } | { at: 'done'; result: ImportResult };

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Where an error is, as file:line:column and field. */
export function where(e: ProcessingError): string {
  const at = [e.file, e.line, e.column].filter(Boolean).join(':');
  return e.field ? `${at} ${e.field}` : at;
}

function Errors({ errors }: { errors: ProcessingError[] }) {
  if (errors.length === 0) return null;
  return (
    <ul className="import-errors">
      {errors.map((e, i) => (
        <li key={i}>
          <code>{where(e)}</code> {e.message}
        </li>
      ))}
    </ul>
  );
}

/** The entities a catalog file holds, each with the catalog's verdict. */
function Verdicts({ entities, errors }: { entities: ImportEntity[]; errors: ProcessingError[] }) {
  return (
    <>
      <ul className="import-verdicts" aria-label="Entities">
        {entities.map((e, i) => (
          <li key={`${e.ref}-${i}`} data-testid="import-verdict">
            <span className={e.valid ? 'badge badge-good' : 'badge badge-bad'}>{e.valid ? 'valid' : 'refused'}</span>{' '}
            <span className="import-kind">{e.kind}</span> <code>{e.ref ? displayRef(e.ref) : '(no name)'}</code>{' '}
            <span className="muted">
              {e.file}:{e.line}
            </span>
            <Errors errors={e.errors} />
          </li>
        ))}
      </ul>
      <Errors errors={errors} />
    </>
  );
}

/** Validates yaml as it is edited, once typing rests; null until the first answer. */
function useValidation(yaml: string | null): { validation: EntityValidation | null; error: string | null } {
  const client = useClient();
  const [validation, setValidation] = useState<EntityValidation | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (yaml === null) return;
    let live = true;
    const timer = setTimeout(() => {
      client.validateEntityYAML(yaml).then(
        (v) => {
          if (!live) return;
          setValidation(v);
          setError(null);
        },
        (e: unknown) => live && setError(message(e)),
      );
    }, VALIDATE_AFTER_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, yaml]);
  return { validation, error };
}

const ownerNote: Record<string, string> = {
  codeowners: 'from CODEOWNERS',
  identity: 'your team (Settings → who I am)',
  none: 'nobody known: set it',
};

/**
 * Registers an existing repository: step 1 names it, step 2 previews what
 * its catalog files hold (or a Component written for it, to edit and
 * validate live), step 3 adds it and shows its first sync.
 */
export function ImportPage() {
  const client = useClient();
  const progress = useSyncProgress();
  const [url, setUrl] = useState('');
  const [branch, setBranch] = useState('');
  const [step, setStep] = useState<Step>({ at: 'source' });
  const [yaml, setYaml] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { validation, error: validateError } = useValidation(yaml);
  const pick = client.pickFolder;

  const preview = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const p = await client.previewImport({ url: url.trim(), branch: branch.trim() || undefined });
      setYaml(p.generated?.yaml ?? null);
      setStep({ at: 'preview', preview: p });
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  const run = async (p: ImportPreview) => {
    setBusy(true);
    setError(null);
    try {
      const result = await client.import({ url: url.trim(), branch: branch.trim() || undefined, path: p.path || undefined, yaml: p.generated ? (yaml ?? '') : undefined });
      setStep({ at: 'done', result });
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  const syncing = Object.values(progress)[0];
  return (
    <div className="page import-page">
      <PageHeader title="Import repository" subtitle="Register a repository that is not in the catalog yet: its catalog file, or one written for it" />
      {step.at === 'source' && (
        <Card title="1. Repository" icon={GitPullRequestArrow}>
          <form className="add-location" onSubmit={preview} aria-label="Repository to import">
            <label className="add-location-url">
              <span>Repository URL or folder</span>
              <input type="text" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://github.com/org/repo.git or /home/you/src/repo" required spellCheck={false} />
            </label>
            <label>
              <span>Branch</span>
              <input type="text" value={branch} onChange={(e) => setBranch(e.target.value)} placeholder="default" spellCheck={false} />
            </label>
            {pick && (
              <button
                type="button"
                className="button button-quiet"
                onClick={async () => {
                  const picked = await pick('A git repository to import');
                  if (picked) setUrl(picked);
                }}
              >
                <FolderOpen size={14} aria-hidden="true" /> Choose…
              </button>
            )}
            <button type="submit" className="button button-primary" disabled={busy || !url.trim()}>
              {busy ? 'Reading…' : 'Preview'}
            </button>
          </form>
        </Card>
      )}
      {step.at === 'preview' && (
        <Card title="2. Preview" icon={ImportIcon}>
          <p className="muted">
            <code>{step.preview.url}</code> on <code>{step.preview.branch}</code> at <code>{step.preview.commit.slice(0, 7)}</code>
          </p>
          {step.preview.generated ? (
            <>
              <p>
                No catalog file here: Callboard wrote a Component for it, committed as <code>{step.preview.generated.path}</code> through the outbox and pushed at the sync that follows. Owner{' '}
                <code>{step.preview.generated.owner}</code> ({ownerNote[step.preview.generated.ownerSource] ?? step.preview.generated.ownerSource}), type <code>{step.preview.generated.type}</code>
                {step.preview.generated.language ? ` (mostly ${step.preview.generated.language})` : ''}.
              </p>
              <textarea className="code file-editor-text" aria-label="Catalog file" value={yaml ?? ''} onChange={(e) => setYaml(e.target.value)} spellCheck={false} rows={16} />
              <div aria-live="polite" data-testid="import-validation">
                {validateError && <p className="banner banner-error">{validateError}</p>}
                {validation && (validation.valid ? <p className="import-ok"><CheckCircle2 size={14} aria-hidden="true" /> Valid</p> : <Verdicts entities={validation.entities} errors={validation.errors} />)}
              </div>
            </>
          ) : (
            <>
              <p>
                <code>{step.preview.path}</code> holds {plural(step.preview.entities.length, 'entity', 'entities')}:
              </p>
              <Verdicts entities={step.preview.entities} errors={step.preview.errors} />
            </>
          )}
          <footer className="import-actions">
            <button type="button" className="button" onClick={() => setStep({ at: 'source' })} disabled={busy}>
              <ArrowLeft size={14} aria-hidden="true" /> Back
            </button>
            <button type="button" className="button button-primary" onClick={() => run(step.preview)} disabled={busy || (!!step.preview.generated && validation?.valid !== true)}>
              {busy ? 'Importing…' : 'Import'}
            </button>
            {busy && syncing && <span className="muted" data-testid="import-progress">{describeProgress(syncing)}</span>}
          </footer>
        </Card>
      )}
      {step.at === 'done' && (
        <Card title="3. Imported" icon={CheckCircle2}>
          <p>
            Location <code>{step.result.location.id}</code> added{step.result.commit ? <>, with <code>catalog-info.yaml</code> committed as <code>{step.result.commit.slice(0, 7)}</code></> : ''}.
            {step.result.location.lastError && (
              <span className="banner banner-error">
                <TriangleAlert size={14} aria-hidden="true" /> {step.result.location.lastError}
              </span>
            )}
          </p>
          <ul className="import-verdicts" aria-label="Imported entities">
            {step.result.entities.map((ref) => (
              <li key={ref}>
                <Link to={entityPath(ref) ?? '/catalog'}>{displayRef(ref)}</Link>
              </li>
            ))}
          </ul>
          <footer className="import-actions">
            <Link className="button" to="/locations">
              Locations
            </Link>
            <button
              type="button"
              className="button"
              onClick={() => {
                setUrl('');
                setBranch('');
                setStep({ at: 'source' });
              }}
            >
              Import another
            </button>
          </footer>
        </Card>
      )}
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
