import type {
  CatalogFile,
  EntityDetail,
  EntityList,
  EntityQuery,
  EntitySummary,
  EventName,
  FileWrite,
  Info,
  Location,
  NewLocation,
  OpenRequest,
  ScaffoldRequest,
  ScaffoldRun,
  TemplateDetail,
  OutboxEntry,
  Settings,
  UserState,
  Graph,
  GraphQuery,
  EntityVersion,
  SearchQuery,
  SearchResult,
  DocsEntry,
  DocsSite,
  DocsPage,
  FrontendError,
  PluginContent,
  PluginInfo,
  PluginSettings,
} from './types';
import type { Transport } from './transport';
import { HttpTransport } from './http';
import { WailsTransport, wailsBridge } from './wails';

export { PortalError, type Transport } from './transport';

/**
 * The one typed client every page uses. It normalises what Go may send as
 * null (nil slices) so components can rely on arrays.
 */
export class PortalClient {
  constructor(private readonly transport: Transport) {}

  info(): Promise<Info> {
    return this.transport.info();
  }

  async listEntities(q: EntityQuery = {}): Promise<EntityList> {
    const list = await this.transport.listEntities(q);
    const items = (list.items ?? []).map((e) => ({ ...e, tags: e.tags ?? [] }));
    return { items, total: list.total ?? items.length, facets: list.facets ?? {} };
  }

  async getEntity(ref: string): Promise<EntityDetail> {
    const d = await this.transport.getEntity(ref);
    return { ...d, tags: d.tags ?? [], relations: d.relations ?? [], entity: d.entity ?? {} };
  }

  async listLocations(): Promise<Location[]> {
    return (await this.transport.listLocations()) ?? [];
  }

  addLocation(loc: NewLocation): Promise<Location> {
    return this.transport.addLocation(loc);
  }

  removeLocation(id: string): Promise<void> {
    return this.transport.removeLocation(id);
  }

  settings(): Promise<Settings> {
    return this.transport.settings();
  }

  updateSettings(s: Settings): Promise<Settings> {
    return this.transport.updateSettings(s);
  }

  /** Changes only patch's fields, keeping the others as the portal has them now, not as a page last read them. */
  async patchSettings(patch: Partial<Settings>): Promise<Settings> {
    return this.transport.updateSettings({ ...(await this.transport.settings()), ...patch });
  }

  async sync(locationId?: string): Promise<Location[]> {
    return (await this.transport.sync(locationId ?? '')) ?? [];
  }

  readFile(locationId: string, path: string): Promise<CatalogFile> {
    return this.transport.readFile(locationId, path);
  }

  async writeFile(w: FileWrite): Promise<OutboxEntry> {
    const e = await this.transport.writeFile(w);
    return { ...e, paths: e.paths ?? [] };
  }

  async outbox(): Promise<OutboxEntry[]> {
    return ((await this.transport.outbox()) ?? []).map((e) => ({ ...e, paths: e.paths ?? [] }));
  }

  resolveConflict(entryId: string, keep: 'mine' | 'theirs'): Promise<void> {
    return this.transport.resolveConflict(entryId, keep);
  }

  async userState(): Promise<UserState> {
    const s = await this.transport.userState();
    const fix = (es: EntitySummary[] | null | undefined) => (es ?? []).map((e) => ({ ...e, tags: e.tags ?? [] }));
    return { identity: { ...s.identity, groups: s.identity?.groups ?? [] }, starred: fix(s.starred), recent: fix(s.recent) };
  }

  setStar(ref: string, on: boolean): Promise<void> {
    return this.transport.setStar(ref, on);
  }

  template(ref: string): Promise<TemplateDetail> {
    return this.transport.template(ref);
  }

  /** Starts a template run; follow it with scaffold:progress and scaffold:done. */
  scaffold(req: ScaffoldRequest): Promise<ScaffoldRun> {
    return this.transport.scaffold(req);
  }

  async scaffoldRuns(): Promise<ScaffoldRun[]> {
    return (await this.transport.scaffoldRuns()) ?? [];
  }

  scaffoldRun(id: string): Promise<ScaffoldRun> {
    return this.transport.scaffoldRun(id);
  }

  /** The system's folder dialog, where there is one (the window); undefined in a browser. */
  get pickFolder(): ((title: string) => Promise<string | undefined>) | undefined {
    const t = this.transport;
    return t.pickFolder ? (title) => t.pickFolder!(title) : undefined;
  }

  cancelScaffold(id: string): Promise<void> {
    return this.transport.cancelScaffold(id);
  }

  /** Opens a local repository's file or folder in the editor, file manager or terminal. */
  open(req: OpenRequest): Promise<void> {
    return this.transport.open(req);
  }

  visit(ref: string): Promise<void> {
    return this.transport.visit(ref);
  }

  reportFrontendError(e: FrontendError): Promise<void> {
    return this.transport.reportFrontendError(e);
  }

  async graph(q: GraphQuery): Promise<Graph> {
    const g = await this.transport.graph(q);
    return { ...g, nodes: g.nodes ?? [], edges: g.edges ?? [] };
  }

  async history(ref: string, limit?: number): Promise<EntityVersion[]> {
    return ((await this.transport.history(ref, limit)) ?? []).map((v) => ({ ...v, changes: v.changes ?? [] }));
  }

  async search(q: SearchQuery): Promise<SearchResult> {
    const r = await this.transport.search(q);
    return { ...r, hits: r.hits ?? [], facets: r.facets ?? {} };
  }

  async listDocs(): Promise<DocsEntry[]> {
    return (await this.transport.listDocs()) ?? [];
  }

  async docs(ref: string): Promise<DocsSite> {
    const s = await this.transport.docs(ref);
    return { ...s, nav: s.nav ?? [], pages: s.pages ?? [] };
  }

  async docsPage(ref: string, page: string): Promise<DocsPage> {
    const p = await this.transport.docsPage(ref, page);
    return { ...p, toc: p.toc ?? [] };
  }

  async plugins(): Promise<PluginInfo[]> {
    return ((await this.transport.plugins()) ?? []).map(pluginInfo);
  }

  /** Saves a plugin's settings; secrets holds only the keys to change ('' removes one). */
  async setPlugin(s: PluginSettings): Promise<PluginInfo> {
    return pluginInfo(await this.transport.setPlugin(s));
  }

  async pluginLog(name: string): Promise<string[]> {
    return (await this.transport.pluginLog(name)) ?? [];
  }

  /** The plugins' views of an entity; each plugin's content comes whole or with its error. */
  async entityPlugins(ref: string): Promise<PluginContent[]> {
    return ((await this.transport.entityPlugins(ref)) ?? []).map((c) => ({
      ...c,
      views: (c.views ?? []).map((v) => ({ ...v, blocks: v.blocks ?? [] })),
    }));
  }

  on(event: EventName, cb: (data: unknown) => void): () => void {
    return this.transport.subscribe(event, cb);
  }
}

function pluginInfo(p: PluginInfo): PluginInfo {
  return { ...p, extensionPoints: p.extensionPoints ?? [], config: p.config ?? [], values: p.values ?? {}, secretsSet: p.secretsSet ?? [] };
}

/** The client for where the page runs: the Wails window when its bridge is bound, else HTTP. */
export function createClient(): PortalClient {
  const bridge = wailsBridge();
  return new PortalClient(bridge ? new WailsTransport(bridge) : new HttpTransport());
}
