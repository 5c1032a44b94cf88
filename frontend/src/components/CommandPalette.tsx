import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { Command } from 'cmdk';
import { Bell, BookOpen, FileSearch, FolderGit2, FolderOpen, Home, Import, LayoutGrid, MessageCircleQuestionMark, PanelTop, Search, Settings, TriangleExclamationPoint } from 'lucide-react';
import type { LucideIcon } from 'lucide-react';
import { CREATE_PAGES } from '../pages/CreateNav';
import { useClient } from '../api/context';
import type { EntitySummary, SearchHit } from '../api/types.gen';
import { entityPath } from '../api/refs';
import { KindIcon } from './KindIcon';
import { kindLabel } from '../kinds';
import { linkTarget } from './plugins/PluginLink';
import { hasSourceBadge, PluginSourceBadge, pluginSourceLabel } from './plugins/pluginSource';
import { pluginIcon, usePluginPages } from './plugins/pluginPages';

/** A page or an action on this page: listed with nothing typed, and found by its label when typed. */
interface PaletteCommand {
  label: string;
  path: string;
  icon: LucideIcon;
}

const PAGES: PaletteCommand[] = [
  { label: 'Home', path: '/', icon: Home },
  { label: 'Catalog', path: '/catalog', icon: LayoutGrid },
  { label: 'Docs', path: '/docs', icon: BookOpen },
  { label: 'Search', path: '/search', icon: Search },
  { label: 'Locations', path: '/locations', icon: FolderGit2 },
  { label: 'Import repository', path: '/catalog/import', icon: Import },
  { label: 'Problems', path: '/problems', icon: TriangleExclamationPoint },
  { label: 'Notifications', path: '/notifications', icon: Bell },
  { label: 'Questions', path: '/questions', icon: MessageCircleQuestionMark },
  { label: 'Ask a question', path: '/questions?ask=1', icon: MessageCircleQuestionMark },
  { label: 'Settings', path: '/settings', icon: Settings },
  ...CREATE_PAGES.map((p) => (p.path === '/create' ? { ...p, label: 'Create' } : p)),
  { label: 'Open template folder', path: '/create/workbench', icon: FolderOpen },
];

// The tabs every entity page can have; one it lacks (Docs without a
// techdocs-ref) opens its Overview.
const ENTITY_TABS = [
  ['overview', 'Overview'],
  ['docs', 'Docs'],
  ['graph', 'Graph'],
  ['history', 'History'],
  ['yaml', 'YAML'],
] as const;

function entityCommands(pathname: string): PaletteCommand[] {
  return [
    { label: 'Inspect this entity', path: `${pathname}?inspect=1`, icon: FileSearch },
    ...ENTITY_TABS.map(([id, label]) => ({ label: `${label} tab`, path: id === 'overview' ? pathname : `${pathname}?tab=${id}`, icon: PanelTop })),
  ];
}

/** matching keeps the commands whose label holds every typed word. */
function matching(commands: PaletteCommand[], text: string): PaletteCommand[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return commands;
  return commands.filter((c) => words.every((w) => c.label.toLowerCase().includes(w)));
}

const commandKey = (c: PaletteCommand) => `command:${c.path}`;

/** One line of the palette: where Enter goes. */
interface Item {
  key: string;
  path: string;
  kind: string;
  title: string;
  detail: string;
  /** A web address Enter opens instead of path (a plugin's result about no entity). */
  href?: string;
  /** The plugin a result is from. */
  plugin?: string;
}

function fromEntity(e: EntitySummary): Item {
  return { key: e.ref, path: entityPath(e.ref) ?? '/catalog', kind: e.kind, title: e.title || e.name, detail: `${kindLabel(e.kind)} · ${e.ref}` };
}

function fromHit(h: SearchHit): Item {
  const path = entityPath(h.ref) ?? '/catalog';
  if (h.type === 'plugin') {
    // A web address leads to the entity, if any; else it opens as every external link does.
    const target = linkTarget(h.path);
    const to = target && 'route' in target ? target.route : path;
    const href = target && 'href' in target && !h.ref ? target.href : undefined;
    return { key: `plugin:${h.name}:${h.path ?? h.ref}`, path: to, href, plugin: h.name, kind: h.kind, title: h.title || h.name, detail: hasSourceBadge(h.name) ? (h.ref ?? '') : `${pluginSourceLabel(h.name)}${h.ref ? ` · ${h.ref}` : ''}` };
  }
  if (h.type === 'question') {
    return { key: `question:${h.path}`, path: h.path ?? '/questions', kind: 'question', title: h.title || h.name, detail: 'Question' };
  }
  if (h.type === 'adr') {
    return { key: `adr:${h.ref}:${h.name}`, path: h.path ?? path, kind: 'adr', title: h.title || h.name, detail: `Decision · ${h.status ?? 'unknown'} · ${h.ref}` };
  }
  if (h.type === 'docs') {
    return { key: `docs:${h.ref}:${h.path}`, path: `${path}?tab=docs&page=${encodeURIComponent(h.path ?? '')}`, kind: h.kind, title: h.title || h.name, detail: `Docs · ${h.ref}` };
  }
  return { key: h.ref, path, kind: h.kind, title: h.title || h.name, detail: `${kindLabel(h.kind)} · ${h.ref}` };
}

/**
 * Ctrl/Cmd+K from anywhere: type a few letters of an entity's name and
 * Enter goes to it. cmdk gives the keyboard handling and accessibility;
 * search does the matching and ranking, so the palette finds any of
 * 100,000 entities, docs pages and templates, not only those on screen.
 */
export function CommandPalette() {
  const client = useClient();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  // On an entity's page, the palette can open its inspector (?inspect=1).
  const onEntity = /^\/catalog\/[^/]+\/[^/]+\/[^/]+$/.test(pathname);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [hits, setHits] = useState<Item[]>([]);
  // The highlighted item: a command the text names, else the best hit
  // whenever new hits arrive, so Enter right after typing opens it.
  const [selected, setSelected] = useState('');
  const q = text.trim();
  const entityCmds = onEntity ? matching(entityCommands(pathname), q) : [];
  const pluginPages = usePluginPages().map((p): PaletteCommand => ({ label: p.title, path: p.path, icon: pluginIcon(p.icon) }));
  const pageCmds = matching([...PAGES, ...pluginPages], q);
  const firstCommand = entityCmds[0] ?? pageCmds[0];

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() === 'k' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        setOpen((o) => !o);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    if (!open) return;
    let live = true;
    const load = q ? client.search({ text: q, limit: 10, noFacets: true }).then((r) => r.hits.map(fromHit)) : client.userState().then((s) => s.recent.map(fromEntity));
    load.then(
      (items) => {
        if (!live) return;
        setHits(items);
        setSelected(q && firstCommand ? commandKey(firstCommand) : (items[0]?.key ?? (firstCommand ? commandKey(firstCommand) : '')));
      },
      () => live && setHits([]),
    );
    return () => {
      live = false;
    };
    // firstCommand follows from q and pathname, which the effect already follows.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, open, q]);

  const go = (path: string) => {
    setOpen(false);
    setText('');
    void navigate(path);
  };
  const choose = (item: Item) => {
    if (!item.href) return go(item.path);
    setOpen(false);
    setText('');
    if (window.runtime) window.runtime.BrowserOpenURL(item.href);
    else window.open(item.href, '_blank', 'noopener,noreferrer');
  };

  const group = (heading: string, list: PaletteCommand[]) =>
    list.length > 0 && (
      <Command.Group heading={heading}>
        {list.map((c) => (
          <Command.Item key={c.path} value={commandKey(c)} onSelect={() => go(c.path)} className="palette-item">
            <c.icon size={14} aria-hidden="true" />
            <span className="palette-name">{c.label}</span>
          </Command.Item>
        ))}
      </Command.Group>
    );
  const commands = (
    <>
      {group('This entity', entityCmds)}
      {group('Pages', pageCmds)}
    </>
  );

  return (
    <Command.Dialog
      open={open}
      onOpenChange={setOpen}
      label="Go to an entity or page"
      shouldFilter={false}
      value={selected}
      onValueChange={setSelected}
      className="palette"
      overlayClassName="palette-overlay"
      contentClassName="palette-content"
    >
      <Command.Input value={text} onValueChange={setText} placeholder="Jump to an entity by name…" className="palette-input" />
      <Command.List className="palette-list">
        <Command.Empty>{q ? `Nothing is called “${q}”.` : 'Type a name.'}</Command.Empty>
        {q && commands}
        {hits.length > 0 && (
          <Command.Group heading={q ? 'Entities' : 'Recently visited'}>
            {hits.map((e) => (
              <Command.Item key={e.key} value={e.key} onSelect={() => choose(e)} className="palette-item">
                <KindIcon kind={e.kind} size={14} />
                <span className="palette-name">{e.title}</span>
                {e.plugin && <PluginSourceBadge plugin={e.plugin} />}
                <span className="muted">{e.detail}</span>
              </Command.Item>
            ))}
          </Command.Group>
        )}
        {!q && commands}
      </Command.List>
    </Command.Dialog>
  );
}
