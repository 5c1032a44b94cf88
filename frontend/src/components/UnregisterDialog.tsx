import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { SquarePen, Trash2, X } from 'lucide-react';
import { useClient } from '../api/context';
import type { EntityInspection, Unregistration } from '../api/types.gen';
import { Ancestry } from './Inspector';
import { ErrorState, Loading } from './States';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Unregister: for an entity registered from the app, what leaves with it
 * and one button that takes it out as it came in (its location, or its
 * file through the outbox); for any other, how it got here and its file
 * to open.
 */
export function UnregisterDialog({ entityRef, onClose, onOpen }: { entityRef: string; onClose: () => void; onOpen: (file: string, line?: number) => void }) {
  const client = useClient();
  const navigate = useNavigate();
  const [plan, setPlan] = useState<Unregistration>();
  const [inspection, setInspection] = useState<EntityInspection>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    client.unregisterEntity(entityRef, true).then(
      async (p) => {
        if (!current) return;
        setPlan(p);
        if (p.action === 'none') {
          const x = await client.inspectEntity(entityRef);
          if (current) setInspection(x);
        }
      },
      (e: unknown) => current && setError(message(e)),
    );
    return () => {
      current = false;
    };
  }, [client, entityRef]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const unregister = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await client.unregisterEntity(entityRef, false);
      void navigate('/catalog');
    } catch (e) {
      setError(message(e));
      setBusy(false);
    }
  };
  const own = inspection?.ancestry.at(-1);

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-label={`Unregister ${entityRef}`}>
        <header className="modal-header">
          <h2>
            Unregister <code>{entityRef}</code>
          </h2>
          <button type="button" className="button button-quiet button-small" onClick={onClose} aria-label="Close">
            <X size={14} aria-hidden="true" />
          </button>
        </header>
        {!plan && !error && <Loading label="Finding how it was registered…" />}
        {!plan && error && <ErrorState title="Could not tell how it was registered" error={new Error(error)} />}
        {plan && plan.action !== 'none' && (
          <>
            <p data-testid="unregister-plan">
              {plan.action === 'remove-location' ? (
                <>
                  Removes location <code>{plan.locationId}</code>
                </>
              ) : (
                <>
                  Commits the removal of <code>{plan.file}</code> through the outbox
                </>
              )}
              : {plan.reason}.
            </p>
            {plan.leavingTotal > 0 && (
              <p className="muted">
                {plan.leavingTotal} other {plan.leavingTotal === 1 ? 'entity goes' : 'entities go'} with it: {plan.leaving.join(', ')}
                {plan.leavingTotal > plan.leaving.length && ', …'}
              </p>
            )}
            <footer className="modal-footer">
              <button type="button" className="button button-small button-primary" disabled={busy} onClick={() => void unregister()}>
                <Trash2 size={13} aria-hidden="true" /> {plan.action === 'remove-location' ? 'Remove the location' : 'Commit the removal'}
              </button>
              <button type="button" className="button button-small button-quiet" onClick={onClose}>
                Cancel
              </button>
            </footer>
          </>
        )}
        {plan?.action === 'none' && (
          <>
            <p data-testid="unregister-plan">
              Not registered from Callboard: {plan.reason}. It lives in <code>{plan.file}</code> of location <code>{plan.locationId}</code>.
            </p>
            <h3 className="setting-label">How it got here</h3>
            {inspection ? <Ancestry steps={inspection.ancestry} onOpen={onOpen} /> : <Loading label="Reading its ancestry…" />}
            <footer className="modal-footer">
              {own?.localFile ? (
                <button type="button" className="button button-small" onClick={() => onOpen(own.localFile!, own.line)}>
                  <SquarePen size={13} aria-hidden="true" /> Open in editor
                </button>
              ) : (
                inspection && <span className="muted">Its file lives in a clone: change it in its repository.</span>
              )}
              <button type="button" className="button button-small button-quiet" onClick={onClose}>
                Close
              </button>
            </footer>
          </>
        )}
        {plan && error && (
          <p className="banner banner-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
