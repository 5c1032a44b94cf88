import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { GitCommitHorizontal, X } from 'lucide-react';
import { useClient } from '../api/context';
import type { Location, OutboxEntry } from '../api/types.gen';

/**
 * Edits one catalog file of a location, or writes a new one when `create`
 * is set, and commits it in the local clone: the catalog shows it at once,
 * the next sync pushes it. What the catalog would refuse comes back as an
 * error naming the file, line and field, and nothing is committed.
 */
/** Where line n (from 1) starts in text; its end when it has fewer lines. */
export function lineOffset(text: string, n: number): number {
  let at = 0;
  for (let i = 1; i < n; i++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return text.length;
    at = nl + 1;
  }
  return at;
}

export function FileEditor({
  locationId,
  path: initialPath,
  message: initialMessage,
  create,
  title = 'Register a component',
  line,
  locations,
  note,
  loading,
  onSaved,
  onClose,
}: {
  locationId: string;
  path: string;
  message: string;
  /** Template for a new file; the path (and, given locations, the location) can then be chosen. */
  create?: string;
  /** The heading of a new file's editor. */
  title?: string;
  /** The line (from 1) to put the cursor on once the file is loaded. */
  line?: number;
  locations?: Location[];
  /** Said above the file: where the change goes when that is not the file's own location. */
  note?: ReactNode;
  /** Said while the file loads, which may take a clone first. */
  loading?: string;
  onSaved: (e: OutboxEntry) => void;
  onClose: () => void;
}) {
  const client = useClient();
  const [location, setLocation] = useState(locationId);
  const [path, setPath] = useState(initialPath);
  const [content, setContent] = useState<string | null>(create ?? null);
  // The file read may be another location's (a Backstage's entity is in its source repository).
  const [shown, setShown] = useState(initialPath);
  const [message, setMessage] = useState(initialMessage);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const textRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (create !== undefined) return;
    let live = true;
    client.readFile(locationId, initialPath).then(
      (f) => {
        if (!live) return;
        setContent(f.content);
        setShown(f.path);
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [client, create, locationId, initialPath]);

  const loaded = content !== null;
  useEffect(() => {
    const text = textRef.current;
    if (!loaded || !text) return;
    text.focus();
    if (line && line > 1) {
      const offset = lineOffset(text.value, line);
      text.setSelectionRange(offset, offset);
      const height = parseFloat(getComputedStyle(text).lineHeight) || 18;
      text.scrollTop = Math.max(0, (line - 3) * height);
    }
  }, [loaded, line]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const save = async (e?: FormEvent) => {
    e?.preventDefault();
    if (content === null) return;
    setSaving(true);
    setError(null);
    try {
      onSaved(await client.writeFile({ locationId: location, path: path.trim(), content, message }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <form
        className="modal file-editor"
        role="dialog"
        aria-modal="true"
        aria-label={create !== undefined ? title : `Edit ${initialPath}`}
        onSubmit={save}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void save();
        }}
      >
        <header className="modal-header">
          <h2>{create !== undefined ? title : <code>{shown}</code>}</h2>
          <button type="button" className="button button-quiet button-small" onClick={onClose} aria-label="Close">
            <X size={14} aria-hidden="true" />
          </button>
        </header>
        {create !== undefined && (
          <div className="form-row">
            {locations && (
              <label>
                Location
                <select value={location} onChange={(e) => setLocation(e.target.value)}>
                  {locations.map((l) => (
                    <option key={l.id} value={l.id}>
                      {l.id}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label className="grow">
              File in the repository
              <input value={path} onChange={(e) => setPath(e.target.value)} spellCheck={false} />
            </label>
          </div>
        )}
        {note}
        {content === null && !error ? (
          <p className="muted" role="status">
            {loading ?? `Loading ${initialPath}…`}
          </p>
        ) : (
          <textarea
            ref={textRef}
            className="code file-editor-text"
            aria-label="File contents"
            value={content ?? ''}
            onChange={(e) => setContent(e.target.value)}
            spellCheck={false}
            rows={18}
          />
        )}
        <label>
          Commit message
          <input value={message} onChange={(e) => setMessage(e.target.value)} required />
        </label>
        {error && (
          <p className="banner banner-error" role="alert">
            {error}
          </p>
        )}
        <footer className="modal-footer">
          <p className="muted">Committed in the local clone and shown at once; pushed at the next sync that reaches the remote.</p>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={saving || content === null || !message.trim()}>
            <GitCommitHorizontal size={14} aria-hidden="true" /> {saving ? 'Committing…' : 'Commit'}
          </button>
        </footer>
      </form>
    </div>
  );
}
