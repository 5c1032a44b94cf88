import { Suspense, lazy, type ReactNode } from 'react';
import type { PluginAction, PluginBlock, PluginCell, PluginKeyValue, PluginView as View } from '../../api/pluginViews';
import { ActionArea, ActionButton, actionOf } from './PluginAction';
import { PluginLog } from './PluginLog';
import { sectionsOf } from './logModel';
import { PluginLink } from './PluginLink';
import { PluginMarkdown } from './PluginMarkdown';
import { PluginRadar } from './PluginRadar';
import { statusTone, toneLabel, type Tone } from './status';
import '../../styles/plugins.css';

// visx and its d3 scales load with the first chart, not with the entity page.
const PluginChart = lazy(() => import('./PluginChart').then((m) => ({ default: m.PluginChart })));

const list = <T,>(v: T[] | null | undefined): T[] => (Array.isArray(v) ? v : []);
// A plugin's value as text: an object or array as its JSON rather than "[object Object]".
const text = (v: unknown): string => {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? '';
};

/** Text in the tone of its status: a badge, or plain when the status is none. */
function Status({ status, children }: { status: unknown; children: ReactNode }) {
  const tone = statusTone(status);
  if (tone === 'none') return <>{children}</>;
  return (
    <span className={`badge badge-${tone}`} title={toneLabel[tone]}>
      <span className="dot" aria-hidden="true" />
      {children}
    </span>
  );
}

/** A value with its status and, where the plugin gave one, its link. */
function Value({ value, status, url }: { value: string; status: unknown; url: string }) {
  const content = url ? <PluginLink url={url}>{value || url}</PluginLink> : value;
  return <Status status={status}>{content}</Status>;
}

function KeyValues({ items }: { items: PluginKeyValue[] }) {
  return (
    <dl className="fields plugin-fields">
      {items.map((kv, i) => (
        <div key={i} className="field">
          <dt>{text(kv?.key)}</dt>
          <dd>
            <Value value={text(kv?.value)} status={kv?.status} url={text(kv?.url)} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Table({ columns, rows, viewTitle }: { columns: string[]; rows: { cells: PluginCell[] }[]; viewTitle: string }) {
  return (
    <ActionArea render={(blocks) => <Blocks blocks={blocks} viewTitle={viewTitle} />}>
      <div className="table-wrap plugin-table">
        <table className="table">
          {columns.length > 0 && (
            <thead>
              <tr>
                {columns.map((c, i) => (
                  <th key={i} scope="col">
                    {text(c)}
                  </th>
                ))}
              </tr>
            </thead>
          )}
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                {list(r?.cells).map((c, j) => {
                  const action = actionOf(c?.action);
                  return (
                    <td key={j}>
                      <Value value={text(c?.text)} status={c?.status} url={text(c?.url)} />
                      {action && (
                        <>
                          {text(c?.text) && ' '}
                          <ActionButton action={action} />
                        </>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ActionArea>
  );
}

/** A row of buttons, the answer of the last one pressed under it. */
function Buttons({ items, viewTitle }: { items: unknown[]; viewTitle: string }) {
  const actions = items.map(actionOf).filter((a): a is PluginAction => a !== null);
  if (actions.length === 0) return null;
  return (
    <ActionArea render={(blocks) => <Blocks blocks={blocks} viewTitle={viewTitle} />}>
      <div className="plugin-actions" role="group" aria-label="Actions">
        {actions.map((a, i) => (
          <ActionButton key={i} action={a} />
        ))}
      </div>
    </ActionArea>
  );
}

const banner: Record<Tone, string> = { none: 'banner-note', neutral: 'banner-note', info: 'banner-info', good: 'banner-ok', warn: 'banner-warn', bad: 'banner-error' };

/** One block; a kind this app does not know yet (a newer plugin) is left out. */
function Block({ block, viewTitle }: { block: PluginBlock; viewTitle: string }) {
  if (!block || typeof block !== 'object') return null;
  if (block.heading) return <h3 className="plugin-heading">{text(block.heading.text)}</h3>;
  if (block.keyValues) return <KeyValues items={list(block.keyValues.items)} />;
  if (block.table) return <Table columns={list(block.table.columns)} rows={list(block.table.rows)} viewTitle={viewTitle} />;
  if (block.badges) {
    return (
      <ul className="plugin-badges">
        {list(block.badges.items).map((b, i) => (
          <li key={i}>
            <span className={`badge badge-${statusTone(b?.status) === 'none' ? 'neutral' : statusTone(b?.status)}`}>{text(b?.text)}</span>
          </li>
        ))}
      </ul>
    );
  }
  if (block.links) {
    return (
      <ActionArea render={(blocks) => <Blocks blocks={blocks} viewTitle={viewTitle} />}>
        <ul className="link-list plugin-links">
          {list(block.links?.items).map((l, i) => {
            const action = actionOf(l?.action);
            return (
              <li key={i}>
                {action ? (
                  <ActionButton action={action} link />
                ) : (
                  <PluginLink url={text(l?.url)}>{text(l?.title) || text(l?.url)}</PluginLink>
                )}
              </li>
            );
          })}
        </ul>
      </ActionArea>
    );
  }
  if (typeof block.markdown === 'string') return <PluginMarkdown text={block.markdown} />;
  if (block.chart) {
    return (
      <Suspense fallback={<div className="plugin-chart-loading skeleton-block" aria-hidden="true" />}>
        <PluginChart chart={block.chart} fallbackTitle={viewTitle} />
      </Suspense>
    );
  }
  if (block.radar) return <PluginRadar radar={block.radar} />;
  if (block.notice) {
    const tone = statusTone(block.notice.status);
    return (
      <p className={`banner plugin-notice ${banner[tone]}`} role="note">
        {text(block.notice.text)}
      </p>
    );
  }
  if (block.actions) return <Buttons items={list(block.actions.items)} viewTitle={viewTitle} />;
  if (block.log) return <PluginLog title={text(block.log.title)} lines={list(block.log.lines).map(text)} truncated={block.log.truncated === true} sections={sectionsOf(block.log.sections)} follow={actionOf(block.log.follow)} />;
  return null;
}

/** Blocks in order: a view's, or an action's answer. */
function Blocks({ blocks, viewTitle }: { blocks: PluginBlock[]; viewTitle: string }) {
  return (
    <>
      {blocks.map((b, i) => (
        <Block key={i} block={b} viewTitle={viewTitle} />
      ))}
    </>
  );
}

/** A plugin's view: its blocks in order, drawn with the app's own pieces. */
export function PluginView({ view }: { view: View }) {
  return (
    <div className="plugin-view">
      <Buttons items={list(view.actions)} viewTitle={text(view.title)} />
      <Blocks blocks={list(view.blocks)} viewTitle={text(view.title)} />
    </div>
  );
}
