import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { LoaderCircle, X } from 'lucide-react';
import type { PluginActionResult } from '../../api/types.gen';
import type { PluginAction as Action, PluginBlock } from '../../api/pluginViews';
import { errorMessage } from '../../errors';
import '../../styles/pluginActions.css';

// A view's buttons call the plugin back through the portal (RunViewAction)
// and show its answer in place. The host decides what may run: only what
// the plugin's last view offered, so nothing here is trusted to choose.

/** Where a view's actions go: the entity and plugin whose view it is. */
export interface ActionScope {
  run: (action: Action) => Promise<PluginActionResult>;
}

const Scope = createContext<ActionScope | null>(null);

/** How a button inside an ActionArea presses its action. */
const Area = createContext<{ press: (a: Action) => void; busy: boolean } | null>(null);

/** Lets the views below run their actions; without it their buttons are disabled. */
export function PluginActionScope({ scope, children }: { scope: ActionScope; children: ReactNode }) {
  return <Scope.Provider value={scope}>{children}</Scope.Provider>;
}

/** How the views here run an action, or null where actions cannot run. */
export function useActionScope(): ActionScope | null {
  return useContext(Scope);
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** An action the plugin sent, or null when it is not one this app can press. */
export function actionOf(v: unknown): Action | null {
  if (!v || typeof v !== 'object') return null;
  const a = v as Partial<Action>;
  if (!text(a.id) || !text(a.label)) return null;
  const parameters: Record<string, string> = {};
  if (a.parameters && typeof a.parameters === 'object') {
    for (const [k, val] of Object.entries(a.parameters)) if (typeof val === 'string') parameters[k] = val;
  }
  const style = a.style === 'VIEW_ACTION_STYLE_DANGER' || a.style === 'VIEW_ACTION_STYLE_PRIMARY' ? a.style : 'VIEW_ACTION_STYLE_DEFAULT';
  return { id: text(a.id), label: text(a.label), parameters, confirm: text(a.confirm), style };
}

type Outcome = { label: string } & ({ state: 'running' } | { state: 'done'; blocks: PluginBlock[] } | { state: 'failed'; error: string });

/** Asks before an action that changes something; Cancel has the focus. */
function Confirm({ action, onConfirm, onCancel }: { action: Action; onConfirm: () => void; onCancel: () => void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancel.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div className="modal plugin-confirm" role="alertdialog" aria-modal="true" aria-labelledby="plugin-confirm-title" aria-describedby="plugin-confirm-text">
        <header className="modal-header">
          <h2 id="plugin-confirm-title">{action.label}</h2>
        </header>
        <p id="plugin-confirm-text">{action.confirm}</p>
        <footer className="modal-footer">
          <button type="button" className="button button-small button-danger" onClick={onConfirm}>
            {action.label}
          </button>
          <button ref={cancel} type="button" className="button button-small button-quiet" onClick={onCancel}>
            Cancel
          </button>
        </footer>
      </div>
    </div>
  );
}

/** A button (or a link-looking one) that presses action in the ActionArea around it. */
export function ActionButton({ action, link }: { action: Action; link?: boolean }) {
  const scope = useContext(Scope);
  const area = useContext(Area);
  const style = action.style === 'VIEW_ACTION_STYLE_DANGER' ? ' button-danger' : action.style === 'VIEW_ACTION_STYLE_PRIMARY' ? ' button-primary' : '';
  return (
    <button
      type="button"
      className={link ? 'plugin-action-link' : `button button-small plugin-action${style}`}
      disabled={!scope || !area || area.busy}
      title={scope ? undefined : 'Not available here'}
      onClick={() => area?.press(action)}
      data-testid="plugin-action"
    >
      {action.label}
    </button>
  );
}

/**
 * The place where the actions of children are pressed and their answer
 * shown, under children: loading, the plugin's blocks (drawn by render),
 * or why it failed. Pressing another action replaces the answer; a late
 * answer of an earlier press is dropped.
 */
export function ActionArea({ render, children }: { render: (blocks: PluginBlock[]) => ReactNode; children: ReactNode }) {
  const scope = useContext(Scope);
  const [outcome, setOutcome] = useState<Outcome>();
  const [asking, setAsking] = useState<Action>();
  const seq = useRef(0);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = async (a: Action) => {
    if (!scope) return;
    const n = ++seq.current;
    setOutcome({ label: a.label, state: 'running' });
    try {
      const res = await scope.run(a);
      if (!mounted.current || n !== seq.current) return;
      const blocks = (Array.isArray(res.blocks) ? res.blocks : []).filter((b): b is PluginBlock => typeof b === 'object' && b !== null);
      setOutcome(res.error ? { label: a.label, state: 'failed', error: res.error } : { label: a.label, state: 'done', blocks });
    } catch (e) {
      if (mounted.current && n === seq.current) setOutcome({ label: a.label, state: 'failed', error: errorMessage(e) });
    }
  };
  const press = (a: Action) => (a.confirm ? setAsking(a) : void run(a));
  const busy = outcome?.state === 'running';

  return (
    <>
      <Area.Provider value={{ press, busy }}>{children}</Area.Provider>
      {asking && (
        <Confirm
          action={asking}
          onCancel={() => setAsking(undefined)}
          onConfirm={() => {
            setAsking(undefined);
            void run(asking);
          }}
        />
      )}
      {outcome && (
        <section className="plugin-action-result" aria-label={outcome.label} data-testid="plugin-action-result">
          <header className="plugin-action-result-header">
            <span>{outcome.label}</span>
            {outcome.state !== 'running' && (
              <button type="button" className="button button-quiet button-small" aria-label={`Close ${outcome.label}`} onClick={() => setOutcome(undefined)}>
                <X size={13} aria-hidden="true" />
              </button>
            )}
          </header>
          {outcome.state === 'running' && (
            <p role="status" className="muted">
              <LoaderCircle size={13} className="spin" aria-hidden="true" /> Running {outcome.label}…
            </p>
          )}
          {outcome.state === 'failed' && (
            <p role="alert" className="banner banner-error plugin-notice">
              {outcome.label} failed: {outcome.error}
            </p>
          )}
          {outcome.state === 'done' && render(outcome.blocks)}
        </section>
      )}
    </>
  );
}
