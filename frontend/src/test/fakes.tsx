import { render } from '@testing-library/react';
import { MemoryRouter, useLocation } from 'react-router-dom';
import { AppRoutes } from '../App';
import { PortalClient } from '../api/client';
import { ClientProvider } from '../api/context';
import { rootErrorOptions } from '../errors';
import { PortalError, type Transport } from '../api/transport';
import type { PortalApi } from '../api/client.gen';
import { callMethod } from './transport';
import type { CatalogFile, Discovery, OrgRepo, EntityDetail, EntityList, EntityQuery, EntitySummary, EventName, FileWrite, MethodName, Info, Location, NewLocation, OpenRequest, ScaffoldRequest, ScaffoldRun, TemplateDetail, OutboxEntry, Settings, SettingsPatch, CredentialSource, UserState, Graph, GraphQuery, EntityHistory, SearchQuery, SearchResult, DocsEntry, DocsSite, DocsPage, FrontendError, PluginActionCall, PluginActionResult, PluginContent, PluginInfo, PluginSettings, Problem, ProblemList, ProblemQuery, UpdateStatus, RunPage, RunQuery, ScaffoldAction, TemplateEvaluated, TemplateEvaluation, TemplateExtensions, Summary, Detail, EntityScore, GroupRollup, TemplateUpdateApplied, TemplateUpdatePreview, TemplateUpdateRequest, TemplateUpdateSummary, NotificationChange, NotificationSettings, ScoreHistory, PluginPage, PluginPageContent, PluginEntityAction, EntityActionResult, EntityActionCall, DecisionDetail, DecisionList, TemplateUpdatePush, TemplateUpdatePushRequest, NotificationList, NotificationsRead, Notification } from '../api/types.gen';

export function summary(kind: string, name: string, extra: Partial<EntitySummary> = {}): EntitySummary {
  return { ref: `${kind.toLowerCase()}:default/${name}`, kind, namespace: 'default', name, tags: [], ...extra };
}

/**
 * An in-memory portal: records every call, filters like the Go service,
 * emits events on demand. Its methods are checked against the generated
 * PortalApi (a method it lacks fails the test that calls it), and it is a
 * Transport through call.
 */
export class FakeTransport implements Partial<PortalApi>, Transport {
  queries: EntityQuery[] = [];
  synced: string[] = [];
  failWith: string | null = null;
  private listeners = new Map<string, Set<(data: unknown) => void>>();

  constructor(
    public entities: EntitySummary[] = [],
    public details: Record<string, EntityDetail> = {},
    public locations: Location[] = [],
  ) {}

  /** Calls the method of this name, as a transport hands a call over. */
  call(method: MethodName, args: unknown[]): Promise<unknown> {
    return callMethod(this, method, args);
  }

  private check(): void {
    if (this.failWith) throw new PortalError({ code: 'internal', message: this.failWith });
  }

  async info(): Promise<Info> {
    this.check();
    return { version: '1.2.3', commit: 'abc123', buildDate: '2026-01-01T00:00:00Z', go: 'go1.26.8', wails: 'v2.13.0', storeFormat: 3, dataDir: '/data', mode: 'serve', entities: this.entities.length, locations: this.locations.length, startedAt: '2026-01-01T00:00:00Z', language: this.language, frontendErrors: this.frontendErrors.length };
  }

  async listEntities(q: EntityQuery): Promise<EntityList> {
    this.queries.push(q);
    this.check();
    const text = (q.text ?? '').toLowerCase();
    const kinds = [...(q.facets?.kind ?? []), ...(q.kind ? [q.kind] : [])].map((k) => k.toLowerCase());
    const types = q.facets?.type ?? [];
    const byText = this.entities.filter((e) => !text || `${e.name} ${e.title ?? ''} ${e.description ?? ''}`.toLowerCase().includes(text));
    const ofKind = (e: EntitySummary) => kinds.length === 0 || kinds.includes(e.kind.toLowerCase());
    const ofType = (e: EntitySummary) => types.length === 0 || types.includes(e.type ?? '');
    const matching = byText.filter((e) => ofKind(e) && ofType(e) && (!q.starred || this.stars.includes(e.ref)));
    const count = (values: (string | undefined)[]) => {
      const m = new Map<string, number>();
      for (const v of values) if (v) m.set(v, (m.get(v) ?? 0) + 1);
      return [...m].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    };
    if (q.sort === 'name') {
      matching.sort((a, b) => (a.title || a.name).localeCompare(b.title || b.name) * (q.desc ? -1 : 1));
    }
    const offset = q.offset ?? 0;
    return {
      items: matching.slice(offset, offset + (q.limit ?? 100)).map((e) => ({ ...e, starred: this.stars.includes(e.ref) })),
      total: matching.length,
      facets: {
        kind: count(byText.filter(ofType).map((e) => e.kind.toLowerCase())),
        type: count(byText.filter(ofKind).map((e) => e.type)),
        owner: count(matching.map((e) => e.owner)),
        lifecycle: count(matching.map((e) => e.lifecycle)),
        level: count(matching.flatMap((e) => (e.levels ?? []).map((l) => `${l.scorecard.replace(/^scorecard:(default\/)?/, '')}:${l.level}`))),
        tag: count(matching.flatMap((e) => e.tags)),
      },
    };
  }

  /** Scorecards as the portal would answer: lists, pages by ref, results by entity and roll-ups by group. */
  scorecardList: Summary[] = [];
  scorecardPages: Record<string, Detail> = {};
  scores: Record<string, EntityScore[]> = {};
  scoreHistories: Record<string, ScoreHistory[]> = {};
  rollups: Record<string, GroupRollup> = {};
  scorecardQueries: [string, string][] = [];

  async scorecards(): Promise<Summary[]> {
    this.check();
    return this.scorecardList;
  }

  async scorecard(ref: string, owner: string): Promise<Detail> {
    this.check();
    this.scorecardQueries.push([ref, owner]);
    const d = this.scorecardPages[ref];
    if (!d) throw new PortalError({ code: 'not_found', message: `scorecard ${ref}: not found` });
    return d;
  }

  async entityScorecards(ref: string): Promise<EntityScore[]> {
    this.check();
    return this.scores[ref] ?? [];
  }

  async entityScorecardHistory(ref: string): Promise<ScoreHistory[]> {
    this.check();
    return this.scoreHistories[ref] ?? [];
  }

  async groupScorecards(ref: string): Promise<GroupRollup> {
    this.check();
    return this.rollups[ref] ?? { group: ref, scorecards: [] };
  }

  stars: string[] = [];
  visits: string[] = [];
  user: UserState['identity'] = { groups: [] };

  async userState(): Promise<UserState> {
    this.check();
    const of = (refs: string[]) => refs.flatMap((r) => this.entities.filter((e) => e.ref === r));
    return { identity: this.user, starred: of(this.stars).map((e) => ({ ...e, starred: true })), recent: of(this.visits) };
  }

  async setStar(ref: string, on: boolean): Promise<void> {
    this.check();
    this.stars = on ? [...this.stars.filter((r) => r !== ref), ref] : this.stars.filter((r) => r !== ref);
  }

  templates: Record<string, TemplateDetail> = {};
  runs: ScaffoldRun[] = [];
  scaffolds: ScaffoldRequest[] = [];
  cancelled: string[] = [];

  async template(ref: string): Promise<TemplateDetail> {
    this.check();
    const t = this.templates[ref];
    if (!t) throw new PortalError({ code: 'not_found', message: `template ${ref}: not found` });
    return t;
  }

  /** Starts a run that the test ends by emitting scaffold:done. */
  async scaffold(req: ScaffoldRequest): Promise<ScaffoldRun> {
    this.check();
    this.scaffolds.push(req);
    const steps = (this.templates[req.template]?.steps ?? []).map((s) => ({ ...s, status: 'pending' as const, durationMs: 0, log: [] }));
    const run: ScaffoldRun = { id: `run-${this.scaffolds.length}`, template: req.template, title: req.template, target: req.target, dryRun: req.dryRun, status: 'running', started: new Date().toISOString(), steps, links: [], texts: [], files: [] };
    this.runs = [run, ...this.runs];
    return run;
  }

  async scaffoldRuns(): Promise<ScaffoldRun[]> {
    return this.runs;
  }

  async runHistory(q: RunQuery): Promise<RunPage> {
    this.check();
    const from = q.offset ?? 0;
    const items = this.runs.slice(from, from + (q.limit || 50)).map(({ steps: _s, links: _l, texts: _t, files: _f, publish: _p, registered: _r, values: _v, ...summary }) => summary);
    return { items, total: this.runs.length };
  }

  actions: ScaffoldAction[] = [];

  async scaffoldActions(): Promise<ScaffoldAction[]> {
    this.check();
    return this.actions;
  }

  extensions: TemplateExtensions = { exampleValues: {}, extensions: [] };
  evaluations: TemplateEvaluation[] = [];
  /** Answers an evaluation; by default echoes the expression upper-cased. */
  evaluate = (req: TemplateEvaluation): TemplateEvaluated => ({ text: req.expression.toUpperCase(), value: req.expression.toUpperCase() });

  async templateExtensions(): Promise<TemplateExtensions> {
    this.check();
    return this.extensions;
  }

  async evaluateTemplate(req: TemplateEvaluation): Promise<TemplateEvaluated> {
    this.evaluations.push(req);
    this.check();
    return this.evaluate(req);
  }

  async scaffoldRun(id: string): Promise<ScaffoldRun> {
    const r = this.runs.find((x) => x.id === id);
    if (!r) throw new PortalError({ code: 'not_found', message: `run ${id}: not found` });
    return r;
  }

  async cancelScaffold(id: string): Promise<void> {
    this.cancelled.push(id);
  }

  opened: OpenRequest[] = [];

  async open(req: OpenRequest): Promise<void> {
    this.check();
    this.opened.push(req);
  }

  problemList: Problem[] = [];
  problemQueries: ProblemQuery[] = [];

  /** Filters as the Go service does, but for owner "me", which is the user's team "group:default/team-a". */
  async problems(q: ProblemQuery): Promise<ProblemList> {
    this.problemQueries.push(q);
    this.check();
    const text = (q.text ?? '').toLowerCase();
    const owner = q.owner === 'me' ? 'group:default/team-a' : q.owner;
    const matching = this.problemList.filter(
      (p) =>
        (!q.location || p.locationId === q.location) &&
        (!q.kind || p.kind === q.kind) &&
        (!owner || p.owner === owner) &&
        (!text || [p.message, p.file, p.field, p.entity, p.locationId].join('\0').toLowerCase().includes(text)),
    );
    const offset = q.offset ?? 0;
    return { items: matching.slice(offset, offset + (q.limit || 100)), total: matching.length };
  }

  graphs: Record<string, Graph> = {};
  graphQueries: GraphQuery[] = [];

  async graph(q: GraphQuery): Promise<Graph> {
    this.check();
    this.graphQueries.push(q);
    const g = this.graphs[q.ref];
    if (!g) throw new PortalError({ code: 'not_found', message: `entity ${q.ref}: not found` });
    return g;
  }

  histories: Record<string, EntityHistory> = {};
  deepened: string[] = [];

  async history(ref: string): Promise<EntityHistory> {
    this.check();
    return this.histories[ref] ?? { locationId: 'loc', versions: [] };
  }

  async deepenHistory(id: string): Promise<void> {
    this.check();
    this.deepened.push(id);
    for (const h of Object.values(this.histories)) if (h.locationId === id) h.shallow = false;
  }

  docsEntries: DocsEntry[] = [];
  sites: Record<string, DocsSite> = {};
  docsPages: Record<string, DocsPage> = {};

  async listDocs(): Promise<DocsEntry[]> {
    this.check();
    return this.docsEntries;
  }

  async docs(ref: string): Promise<DocsSite> {
    this.check();
    const s = this.sites[ref];
    if (!s) throw new PortalError({ code: 'not_found', message: `entity ${ref} has no backstage.io/techdocs-ref annotation: not found` });
    return s;
  }

  async docsPage(ref: string, page: string): Promise<DocsPage> {
    this.check();
    const p = this.docsPages[`${ref}:${page || 'index.md'}`];
    if (!p) throw new PortalError({ code: 'not_found', message: `${page} is not a page: not found` });
    return p;
  }

  /** Decision records, per entity ref and per ref and file. */
  decisionLists: Record<string, DecisionList> = {};
  decisionDetails: Record<string, DecisionDetail> = {};

  async entityDecisions(ref: string): Promise<DecisionList> {
    this.check();
    const l = this.decisionLists[ref];
    if (!l) throw new PortalError({ code: 'not_found', message: `entity ${ref} has no backstage.io/adr-location annotation: not found` });
    return l;
  }

  async decision(ref: string, file: string): Promise<DecisionDetail> {
    this.check();
    const d = this.decisionDetails[`${ref}:${file}`];
    if (!d) throw new PortalError({ code: 'not_found', message: `decision record ${file} of ${ref}: not found` });
    return d;
  }

  pluginList: PluginInfo[] = [];
  pluginChanges: PluginSettings[] = [];
  pluginLogs: Record<string, string[]> = {};
  /** What the plugins show, per entity ref. */
  pluginContent: Record<string, PluginContent[]> = {};
  /** While set, entityPlugins waits for it: the page's loading state. */
  pluginGate: Promise<void> | null = null;

  async plugins(): Promise<PluginInfo[]> {
    this.check();
    return this.pluginList;
  }

  /** Applies the settings like the host: secrets merge ('' removes one) and only their keys come back. */
  async setPlugin(s: PluginSettings): Promise<PluginInfo> {
    this.check();
    this.pluginChanges.push(s);
    const p = this.pluginList.find((x) => x.name === s.name);
    if (!p) throw new PortalError({ code: 'not_found', message: `plugin ${s.name}: not found` });
    const secrets = new Set(p.secretsSet);
    for (const [k, v] of Object.entries(s.secrets)) {
      if (v) secrets.add(k);
      else secrets.delete(k);
    }
    const next: PluginInfo = { ...p, enabled: s.enabled, state: s.enabled ? 'running' : 'disabled', values: { ...s.values }, secretsSet: [...secrets].sort() };
    this.pluginList = this.pluginList.map((x) => (x.name === s.name ? next : x));
    return next;
  }

  async pluginLog(name: string): Promise<string[]> {
    this.check();
    return this.pluginLogs[name] ?? [];
  }

  async entityPlugins(ref: string): Promise<PluginContent[]> {
    this.check();
    if (this.pluginGate) await this.pluginGate;
    return this.pluginContent[ref] ?? [];
  }

  /** The view actions run, with the entity they were for. */
  viewActions: { ref: string; call: PluginActionCall }[] = [];
  /** What a view action answers; by default a notice naming it. */
  viewActionAnswer: (call: PluginActionCall) => PluginActionResult = (call) => ({ blocks: [{ notice: { text: `ran ${call.action}`, status: 'STATUS_OK' } }], durationMs: 1 });

  async runViewAction(ref: string, call: PluginActionCall): Promise<PluginActionResult> {
    this.check();
    this.viewActions.push({ ref, call });
    return this.viewActionAnswer(call);
  }

  /** The pages plugins add, their content by "plugin/page", and the params each page call got. */
  pluginPageList: PluginPage[] = [];
  pluginPageContent: Record<string, PluginPageContent> = {};
  pluginPageCalls: { plugin: string; page: string; params: Record<string, string> }[] = [];
  homeCardContent: PluginContent[] = [];
  /** The plugin actions per entity ref, what running one answers, and the runs asked for. */
  entityActionList: Record<string, PluginEntityAction[]> = {};
  entityActionResult: EntityActionResult = { blocks: [] };
  entityActionRuns: { ref: string; call: EntityActionCall }[] = [];

  async pluginPages(): Promise<PluginPage[]> {
    this.check();
    return this.pluginPageList;
  }

  async pluginPage(plugin: string, page: string, params: Record<string, string>): Promise<PluginPageContent> {
    this.check();
    this.pluginPageCalls.push({ plugin, page, params });
    const c = this.pluginPageContent[`${plugin}/${page}`];
    if (!c) throw new PortalError({ code: 'not_found', message: `plugin page ${plugin}/${page}: not found` });
    return c;
  }

  async homeCards(): Promise<PluginContent[]> {
    this.check();
    return this.homeCardContent;
  }

  async entityActions(ref: string): Promise<PluginEntityAction[]> {
    this.check();
    return this.entityActionList[ref] ?? [];
  }

  async runEntityAction(ref: string, call: EntityActionCall): Promise<EntityActionResult> {
    this.check();
    this.entityActionRuns.push({ ref, call });
    return this.entityActionResult;
  }

  searches: SearchQuery[] = [];

  /** Matches words against name, title and description, like a small search engine. */
  async search(q: SearchQuery): Promise<SearchResult> {
    this.check();
    this.searches.push(q);
    const words = q.text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    if (q.types?.includes('docs')) {
      const pages = Object.values(this.docsPages)
        .filter((p) => !q.refs?.length || q.refs.includes(p.ref))
        .filter((p) => words.every((w) => p.html.toLowerCase().includes(w)))
        .map((p) => ({ type: 'docs' as const, ref: p.ref, kind: 'Component', name: p.ref, title: p.title, path: p.path, snippet: p.html.replace(/<[^>]+>/g, ' '), score: 1 }));
      return { total: pages.length, hits: pages.slice(0, q.limit ?? 20), facets: {} };
    }
    const hits = this.entities
      .filter((e) => words.every((w) => `${e.name} ${e.title ?? ''} ${e.description ?? ''}`.toLowerCase().includes(w)))
      .filter((e) => !q.kinds?.length || q.kinds.includes(e.kind.toLowerCase()))
      .map((e) => ({ type: 'entity' as const, ref: e.ref, kind: e.kind, name: e.name, title: e.title, description: e.description, snippet: e.description, score: 1 }));
    const kinds = new Map<string, number>();
    for (const h of hits) kinds.set(h.kind.toLowerCase(), (kinds.get(h.kind.toLowerCase()) ?? 0) + 1);
    return { total: hits.length, hits: hits.slice(0, q.limit ?? 20), facets: { type: [{ value: 'entity', count: hits.length }], kind: [...kinds].map(([value, count]) => ({ value, count })) } };
  }

  async visit(ref: string): Promise<void> {
    this.visits = [ref, ...this.visits.filter((r) => r !== ref)];
  }

  language = '';
  frontendErrors: FrontendError[] = [];

  async reportFrontendError(e: FrontendError): Promise<void> {
    this.frontendErrors.push(e);
  }

  async getEntity(ref: string): Promise<EntityDetail> {
    this.check();
    const d = this.details[ref];
    if (!d) throw new PortalError({ code: 'not_found', message: `entity ${ref}: not found` });
    return d;
  }

  async listLocations(): Promise<Location[]> {
    this.check();
    return this.locations;
  }

  added: NewLocation[] = [];
  removed: string[] = [];

  async addLocation(loc: NewLocation): Promise<Location> {
    this.check();
    if (!loc.url) throw new PortalError({ code: 'invalid', message: 'a location needs a repository URL or path: invalid request' });
    this.added.push(loc);
    const l: Location = { id: 'added', url: loc.url, branch: loc.branch, path: loc.path || 'catalog-info.yaml', status: 'pending', entities: 0, processingErrors: 0 };
    this.locations = [...this.locations, l];
    return l;
  }

  orgRepoList: Record<string, OrgRepo[]> = {};
  orgUpdates: [string, Discovery][] = [];

  async orgRepos(id: string): Promise<OrgRepo[]> {
    this.check();
    return this.orgRepoList[id] ?? [];
  }

  async updateOrg(id: string, discovery: Discovery): Promise<Location> {
    this.check();
    this.orgUpdates.push([id, discovery]);
    const l = this.locations.find((x) => x.id === id);
    if (!l?.org) throw new PortalError({ code: 'invalid', message: `location ${id} is not an organisation` });
    l.org = { ...l.org, discovery };
    return l;
  }

  async removeLocation(id: string): Promise<void> {
    this.check();
    this.removed.push(id);
    this.locations = this.locations.filter((l) => l.id !== id);
  }

  credentials: CredentialSource[] = [];

  async credentialSources(): Promise<CredentialSource[]> {
    this.check();
    return this.credentials;
  }

  settingsValue: Settings = { syncIntervalMinutes: 5, toolkit: [], trustedGitHosts: [], welcomeDismissed: false, demoRemoved: false, updateCheck: true };
  updateStatus: UpdateStatus = { enabled: true, feedUrl: 'https://api.github.com/repos/callboard/callboard/releases/latest', current: '1.2.3', isRelease: true, newer: false, dismissed: false };
  updateChecks = 0;

  async removeDemo(): Promise<void> {
    this.check();
    this.removed.push('demo');
    this.locations = this.locations.filter((l) => l.id !== 'demo');
    this.settingsValue = { ...this.settingsValue, demoRemoved: true };
  }

  async restoreDemo(): Promise<Location> {
    this.check();
    const demo: Location = { id: 'demo', url: '/data/demo-org', path: 'catalog-info.yaml', status: 'pending', entities: 0, processingErrors: 0 };
    this.locations = [...this.locations.filter((l) => l.id !== 'demo'), demo];
    this.settingsValue = { ...this.settingsValue, demoRemoved: false };
    return demo;
  }

  async updates(): Promise<UpdateStatus> {
    this.check();
    return { ...this.updateStatus, enabled: this.settingsValue.updateCheck, dismissed: this.updateStatus.newer && this.settingsValue.dismissedUpdate === this.updateStatus.latest };
  }

  async checkUpdates(): Promise<UpdateStatus> {
    this.updateChecks++;
    return this.updates();
  }

  async settings(): Promise<Settings> {
    this.check();
    return this.settingsValue;
  }

  /** Sets the fields present, as the portal does. */
  async patchSettings(patch: SettingsPatch): Promise<Settings> {
    this.check();
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    this.settingsValue = { ...this.settingsValue, ...defined };
    return this.settingsValue;
  }

  notificationsValue: NotificationSettings = {
    ownedByMe: true,
    locations: [],
    kinds: [
      { kind: 'outbox-conflict', on: true, default: true },
      { kind: 'pull-request', on: true, default: true },
      { kind: 'template-run', on: true, default: true },
      { kind: 'problems', on: true, default: true },
      { kind: 'sync-failed', on: false, default: false },
      { kind: 'ci-failed', on: false, default: false },
      { kind: 'template-update', on: false, default: false },
    ],
  };

  /** The notification centre, newest first. */
  notificationItems: Notification[] = [];

  private centre(): NotificationList {
    return { notifications: this.notificationItems, unread: this.notificationItems.filter((n) => !n.read).length };
  }

  async listNotifications(): Promise<NotificationList> {
    this.check();
    return this.centre();
  }

  async readNotifications(r: NotificationsRead): Promise<NotificationList> {
    this.check();
    this.notificationItems = this.notificationItems.map((n) => (r.all || r.ids?.includes(n.id) ? { ...n, read: true } : n));
    return this.centre();
  }

  async clearNotifications(): Promise<NotificationList> {
    this.check();
    this.notificationItems = [];
    return this.centre();
  }

  async notifications(): Promise<NotificationSettings> {
    this.check();
    return this.notificationsValue;
  }

  /** Changes what the change carries, as the portal does. */
  async setNotifications(c: NotificationChange): Promise<NotificationSettings> {
    this.check();
    const n = { ...this.notificationsValue };
    if (c.ownedByMe !== undefined) n.ownedByMe = c.ownedByMe;
    if (c.locationId) n.locations = [...n.locations.filter((id) => id !== c.locationId), ...(c.location ? [c.locationId] : [])].sort();
    if (c.kind === 'problems' && c.on !== undefined) n.ownedByMe = c.on;
    n.kinds = n.kinds.map((k) => (k.kind === c.kind && c.on !== undefined ? { ...k, on: c.on } : k.kind === 'problems' ? { ...k, on: n.ownedByMe } : k));
    this.notificationsValue = n;
    return n;
  }

  async updateSettings(s: Settings): Promise<Settings> {
    this.check();
    this.settingsValue = s;
    return s;
  }

  async sync(locationId: string): Promise<Location[]> {
    this.synced.push(locationId);
    return this.locations;
  }

  files: Record<string, string> = {};
  writes: FileWrite[] = [];
  outboxEntries: OutboxEntry[] = [];
  resolved: [string, string][] = [];
  /** A write whose content contains this is refused with this message. */
  refuse: [string, string] | null = null;

  async readFile(locationId: string, path: string): Promise<CatalogFile> {
    this.check();
    const content = this.files[`${locationId}:${path}`];
    return { locationId, path, content: content ?? '', exists: content !== undefined, commit: 'abc123' };
  }

  async writeFile(w: FileWrite): Promise<OutboxEntry> {
    this.check();
    if (this.refuse && (w.content ?? '').includes(this.refuse[0])) throw new PortalError({ code: 'invalid', message: this.refuse[1] });
    this.writes.push(w);
    this.files[`${w.locationId}:${w.path}`] = w.content ?? '';
    const e: OutboxEntry = {
      id: `${w.locationId}/${this.writes.length}`,
      locationId: w.locationId,
      commit: 'def456',
      message: w.message,
      author: 'Me <me@example.com>',
      paths: [w.path],
      createdAt: '2026-01-01T00:00:00Z',
      state: 'pending',
    };
    this.outboxEntries = [...this.outboxEntries, e];
    return e;
  }

  async outbox(): Promise<OutboxEntry[]> {
    this.check();
    return this.outboxEntries;
  }

  async resolveConflict(entryId: string, keep: 'mine' | 'theirs'): Promise<void> {
    this.check();
    this.resolved.push([entryId, keep]);
    this.outboxEntries = this.outboxEntries.filter((e) => e.id !== entryId);
  }

  subscribe(event: EventName, cb: (data: unknown) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(cb);
    return () => set.delete(cb);
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  /** Projects whose template moved on, and what their update does. */
  templateUpdateList: TemplateUpdateSummary[] = [];
  updatePreview: TemplateUpdatePreview | undefined;
  updateRequests: TemplateUpdateRequest[] = [];

  async templateUpdates(): Promise<TemplateUpdateSummary[]> {
    this.check();
    return this.templateUpdateList;
  }

  async entityTemplateUpdate(ref: string): Promise<TemplateUpdateSummary> {
    this.check();
    return this.templateUpdateList.find((u) => u.entityRef === ref) ?? { dir: '', template: '', title: '', entityRef: ref, from: '', available: false, commits: [] };
  }

  async previewTemplateUpdate(req: TemplateUpdateRequest): Promise<TemplateUpdatePreview> {
    this.check();
    this.updateRequests.push(req);
    if (!this.updatePreview) throw new PortalError({ code: 'not_found', message: `${req.dir} has no .callboard/template.json` });
    return this.updatePreview;
  }

  async applyTemplateUpdate(req: TemplateUpdateRequest): Promise<TemplateUpdateApplied> {
    this.check();
    this.updateRequests.push(req);
    if (!this.updatePreview) throw new PortalError({ code: 'not_found', message: `${req.dir} has no .callboard/template.json` });
    return { ...this.updatePreview, commit: 'c0ffee0123456789' };
  }

  /** Pushes of template updates; a push asked for opens pull request 7 (or is pushed). */
  updatePushes: TemplateUpdatePush[] = [];
  pushRequests: TemplateUpdatePushRequest[] = [];

  async pushTemplateUpdate(req: TemplateUpdatePushRequest): Promise<TemplateUpdatePush> {
    this.check();
    this.pushRequests.push(req);
    const p: TemplateUpdatePush = {
      id: 'p1', dir: req.dir, branch: req.branch ?? '', commit: 'c0ffee0123456789', remoteBranch: 'callboard/template-update/go-service',
      remote: 'https://forge.example/acme/radar.git', pullRequest: req.pullRequest, title: 'Update from template go-service (2222222)',
      state: req.pullRequest ? 'prOpen' : 'pushed', createdAt: '2026-02-02T10:00:00Z', lastTry: '2026-02-02T10:00:00Z',
      ...(req.pullRequest ? { review: { branch: 'callboard/template-update/go-service', number: 7, url: 'https://forge.example/acme/radar/pull/7', state: 'open' } } : {}),
    };
    this.updatePushes = [...this.updatePushes.filter((x) => x.id !== p.id), p];
    return p;
  }

  async templateUpdatePushes(dir: string): Promise<TemplateUpdatePush[]> {
    this.check();
    return this.updatePushes.filter((p) => !dir || p.dir === dir);
  }

  emit(event: EventName, data: unknown = {}): void {
    for (const cb of this.listeners.get(event) ?? []) cb(data);
  }
}

function LocationProbe() {
  const loc = useLocation();
  return <output data-testid="location">{`${loc.pathname}${loc.search}`}</output>;
}

/** Renders the app's routes at route with a client over transport. */
export function renderApp(route: string, transport: Transport) {
  return render(
    <ClientProvider client={new PortalClient(transport)}>
      <MemoryRouter initialEntries={[route]}>
        <AppRoutes />
        <LocationProbe />
      </MemoryRouter>
    </ClientProvider>,
    { onCaughtError: rootErrorOptions.onCaughtError },
  );
}
