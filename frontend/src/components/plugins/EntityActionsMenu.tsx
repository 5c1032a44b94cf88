import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { ChevronDown, Puzzle, X } from 'lucide-react';
import { useClient } from '../../api/context';
import { useLoad } from '../../api/useLoad';
import { Events, type EntityActionResult, type PluginEntityAction } from '../../api/types.gen';
import type { PluginBlock } from '../../api/pluginViews';
import { linkTarget } from './PluginLink';
import { PluginView } from './PluginView';

const REFRESH_ON = [Events.PluginsChanged, Events.CatalogChanged];

interface Toast {
  text: string;
  tone: 'ok' | 'warn' | 'error' | 'info';
}

const toneOf = (status: string | undefined): Toast['tone'] => (status === 'error' ? 'error' : status === 'warning' ? 'warn' : status === 'ok' ? 'ok' : 'info');
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The menu of what plugins offer for an entity ("Show on radar"): a button
 * opening a keyboard-driven menu (arrows, Enter, Escape), a confirmation
 * when the plugin asks for one, and the answer as a notice, blocks in a
 * dialog, or the page it opens. Nothing when no plugin offers anything.
 */
export function EntityActionsMenu({ entityRef }: { entityRef: string }) {
  const client = useClient();
  const navigate = useNavigate();
  const { data } = useLoad(`entity-actions\0${entityRef}`, (c) => c.entityActions(entityRef), REFRESH_ON);
  const actions = data ?? [];
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState<PluginEntityAction | null>(null);
  const [busy, setBusy] = useState(false);
  const [toast, setToast] = useState<Toast | null>(null);
  const [shown, setShown] = useState<{ title: string; blocks: PluginBlock[] } | null>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const items = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    if (open) items.current[0]?.focus();
  }, [open]);

  if (actions.length === 0) return null;

  const close = () => {
    setOpen(false);
    trigger.current?.focus();
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const at = items.current.findIndex((el) => el === document.activeElement);
    const move = (to: number) => {
      e.preventDefault();
      items.current[(to + actions.length) % actions.length]?.focus();
    };
    if (e.key === 'ArrowDown') move(at + 1);
    else if (e.key === 'ArrowUp') move(at - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(actions.length - 1);
    else if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'Tab') setOpen(false);
  };

  const run = async (a: PluginEntityAction) => {
    setConfirming(null);
    setBusy(true);
    let result: EntityActionResult;
    try {
      result = await client.runEntityAction(entityRef, { plugin: a.plugin, action: a.id });
    } catch (e) {
      setToast({ text: `${a.title}: ${errorText(e)}`, tone: 'error' });
      return;
    } finally {
      setBusy(false);
    }
    if (result.notice) setToast({ text: result.notice, tone: toneOf(result.status) });
    const blocks = result.blocks.filter((b): b is PluginBlock => typeof b === 'object' && b !== null && !Array.isArray(b));
    if (blocks.length > 0) setShown({ title: a.title, blocks });
    const target = linkTarget(result.openUrl);
    if (target && 'route' in target) void navigate(target.route);
    else if (target && window.runtime) window.runtime.BrowserOpenURL(target.href);
    else if (target) window.open(target.href, '_blank', 'noopener,noreferrer');
  };
  const choose = (a: PluginEntityAction) => {
    setOpen(false);
    if (a.confirmation) setConfirming(a);
    else void run(a);
  };

  return (
    <div className="entity-plugin-actions">
      <button
        ref={trigger}
        type="button"
        className="button button-small"
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={busy}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
          }
        }}
        data-testid="entity-plugin-actions"
        title="What plugins can do with this entity"
      >
        <Puzzle size={13} aria-hidden="true" /> {busy ? 'Running…' : 'Plugins'} <ChevronDown size={12} aria-hidden="true" />
      </button>
      {open && (
        <ul role="menu" className="menu" aria-label="Plugin actions" onKeyDown={onMenuKey}>
          {actions.map((a, i) => (
            <li role="none" key={`${a.plugin}/${a.id}`}>
              <button
                ref={(el) => {
                  items.current[i] = el;
                }}
                type="button"
                role="menuitem"
                className="menu-item"
                onClick={() => choose(a)}
                title={`From the ${a.plugin} plugin`}
              >
                {a.title}
              </button>
            </li>
          ))}
        </ul>
      )}
      {confirming && (
        <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && setConfirming(null)}>
          <div className="modal" role="dialog" aria-modal="true" aria-label={confirming.title} onKeyDown={(e) => e.key === 'Escape' && setConfirming(null)}>
            <header className="modal-header">
              <h2>{confirming.title}</h2>
            </header>
            <p>{confirming.confirmation}</p>
            <footer className="modal-footer">
              <button type="button" className="button button-small button-primary" autoFocus onClick={() => void run(confirming)}>
                {confirming.title}
              </button>
              <button type="button" className="button button-small button-quiet" onClick={() => setConfirming(null)}>
                Cancel
              </button>
            </footer>
          </div>
        </div>
      )}
      {shown && (
        <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && setShown(null)}>
          <div className="modal" role="dialog" aria-modal="true" aria-label={shown.title} onKeyDown={(e) => e.key === 'Escape' && setShown(null)}>
            <header className="modal-header">
              <h2>{shown.title}</h2>
              <button type="button" className="button button-quiet button-small" onClick={() => setShown(null)} aria-label="Close">
                <X size={14} aria-hidden="true" />
              </button>
            </header>
            <PluginView view={{ id: 'result', title: shown.title, placement: 'PLACEMENT_CARD', blocks: shown.blocks }} />
          </div>
        </div>
      )}
      {toast && (
        <div className={`toast banner banner-${toast.tone}`} role="status" data-testid="plugin-action-toast">
          <span>{toast.text}</span>
          <button type="button" className="button button-quiet button-small" onClick={() => setToast(null)} aria-label="Dismiss">
            <X size={12} aria-hidden="true" />
          </button>
        </div>
      )}
    </div>
  );
}
