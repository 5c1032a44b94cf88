import type {
  CatalogFile,
  EntityDetail,
  EntityList,
  EntityQuery,
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
import { PortalError, type Transport } from './transport';

/** The Go methods bound as window.go.desktop.Bridge (app/desktop/bridge.go). */
export interface WailsBridge {
  Info(): Promise<Info>;
  ListEntities(query: EntityQuery): Promise<EntityList>;
  GetEntity(ref: string): Promise<EntityDetail>;
  ListLocations(): Promise<Location[]>;
  AddLocation(loc: NewLocation): Promise<Location>;
  RemoveLocation(id: string): Promise<void>;
  Settings(): Promise<Settings>;
  UpdateSettings(s: Settings): Promise<Settings>;
  Sync(locationId: string): Promise<Location[]>;
  ReadFile(locationId: string, path: string): Promise<CatalogFile>;
  WriteFile(w: FileWrite): Promise<OutboxEntry>;
  Outbox(): Promise<OutboxEntry[]>;
  ResolveConflict(entryId: string, keep: string): Promise<void>;
  UserState(): Promise<UserState>;
  SetStar(ref: string, on: boolean): Promise<void>;
  Open(req: OpenRequest): Promise<void>;
  Template(ref: string): Promise<TemplateDetail>;
  Scaffold(req: ScaffoldRequest): Promise<ScaffoldRun>;
  ScaffoldRuns(): Promise<ScaffoldRun[]>;
  ScaffoldRun(id: string): Promise<ScaffoldRun>;
  CancelScaffold(id: string): Promise<void>;
  PickFolder(title: string): Promise<string>;
  Visit(ref: string): Promise<void>;
  ReportFrontendError(e: FrontendError): Promise<void>;
  Graph(q: GraphQuery): Promise<Graph>;
  History(ref: string, limit: number): Promise<EntityVersion[]>;
  Search(q: SearchQuery): Promise<SearchResult>;
  ListDocs(): Promise<DocsEntry[]>;
  Docs(ref: string): Promise<DocsSite>;
  DocsPage(ref: string, page: string): Promise<DocsPage>;
  Plugins(): Promise<PluginInfo[]>;
  SetPlugin(s: PluginSettings): Promise<PluginInfo>;
  PluginLog(name: string): Promise<string[]>;
  EntityPlugins(ref: string): Promise<PluginContent[]>;
}

/** The parts of the Wails runtime the frontend uses. */
export interface WailsRuntime {
  EventsOn(name: string, cb: (...data: unknown[]) => void): () => void;
  BrowserOpenURL(url: string): void;
}

declare global {
  interface Window {
    go?: { desktop?: { Bridge?: WailsBridge } };
    runtime?: WailsRuntime;
  }
}

export function wailsBridge(): WailsBridge | undefined {
  return typeof window === 'undefined' ? undefined : window.go?.desktop?.Bridge;
}

/** Wails rejects with the Go error's message as a plain string. */
function portalError(e: unknown): PortalError {
  const message = typeof e === 'string' ? e : e instanceof Error ? e.message : String(e);
  return new PortalError(message, /\bnot found$/.test(message));
}

async function call<T>(p: () => Promise<T>): Promise<T> {
  try {
    return await p();
  } catch (e) {
    throw portalError(e);
  }
}

export class WailsTransport implements Transport {
  constructor(private readonly bridge: WailsBridge) {}

  info(): Promise<Info> {
    return call(() => this.bridge.Info());
  }

  listEntities(q: EntityQuery): Promise<EntityList> {
    return call(() => this.bridge.ListEntities(q));
  }

  getEntity(ref: string): Promise<EntityDetail> {
    return call(() => this.bridge.GetEntity(ref));
  }

  listLocations(): Promise<Location[]> {
    return call(() => this.bridge.ListLocations());
  }

  addLocation(loc: NewLocation): Promise<Location> {
    return call(() => this.bridge.AddLocation(loc));
  }

  removeLocation(id: string): Promise<void> {
    return call(() => this.bridge.RemoveLocation(id));
  }

  settings(): Promise<Settings> {
    return call(() => this.bridge.Settings());
  }

  updateSettings(s: Settings): Promise<Settings> {
    return call(() => this.bridge.UpdateSettings(s));
  }

  sync(locationId: string): Promise<Location[]> {
    return call(() => this.bridge.Sync(locationId));
  }

  readFile(locationId: string, path: string): Promise<CatalogFile> {
    return call(() => this.bridge.ReadFile(locationId, path));
  }

  writeFile(w: FileWrite): Promise<OutboxEntry> {
    return call(() => this.bridge.WriteFile(w));
  }

  outbox(): Promise<OutboxEntry[]> {
    return call(() => this.bridge.Outbox());
  }

  resolveConflict(entryId: string, keep: 'mine' | 'theirs'): Promise<void> {
    return call(() => this.bridge.ResolveConflict(entryId, keep));
  }

  userState(): Promise<UserState> {
    return call(() => this.bridge.UserState());
  }

  setStar(ref: string, on: boolean): Promise<void> {
    return call(() => this.bridge.SetStar(ref, on));
  }

  open(req: OpenRequest): Promise<void> {
    return call(() => this.bridge.Open(req));
  }

  async pickFolder(title: string): Promise<string | undefined> {
    return (await call(() => this.bridge.PickFolder(title))) || undefined;
  }

  template(ref: string): Promise<TemplateDetail> {
    return call(() => this.bridge.Template(ref));
  }

  scaffold(req: ScaffoldRequest): Promise<ScaffoldRun> {
    return call(() => this.bridge.Scaffold(req));
  }

  scaffoldRuns(): Promise<ScaffoldRun[]> {
    return call(() => this.bridge.ScaffoldRuns());
  }

  scaffoldRun(id: string): Promise<ScaffoldRun> {
    return call(() => this.bridge.ScaffoldRun(id));
  }

  cancelScaffold(id: string): Promise<void> {
    return call(() => this.bridge.CancelScaffold(id));
  }

  visit(ref: string): Promise<void> {
    return call(() => this.bridge.Visit(ref));
  }

  reportFrontendError(e: FrontendError): Promise<void> {
    return call(() => this.bridge.ReportFrontendError(e));
  }

  graph(q: GraphQuery): Promise<Graph> {
    return call(() => this.bridge.Graph(q));
  }

  history(ref: string, limit?: number): Promise<EntityVersion[]> {
    return call(() => this.bridge.History(ref, limit ?? 0));
  }

  search(q: SearchQuery): Promise<SearchResult> {
    return call(() => this.bridge.Search(q));
  }

  listDocs(): Promise<DocsEntry[]> {
    return call(() => this.bridge.ListDocs());
  }

  docs(ref: string): Promise<DocsSite> {
    return call(() => this.bridge.Docs(ref));
  }

  docsPage(ref: string, page: string): Promise<DocsPage> {
    return call(() => this.bridge.DocsPage(ref, page));
  }

  plugins(): Promise<PluginInfo[]> {
    return call(() => this.bridge.Plugins());
  }

  setPlugin(s: PluginSettings): Promise<PluginInfo> {
    return call(() => this.bridge.SetPlugin(s));
  }

  pluginLog(name: string): Promise<string[]> {
    return call(() => this.bridge.PluginLog(name));
  }

  entityPlugins(ref: string): Promise<PluginContent[]> {
    return call(() => this.bridge.EntityPlugins(ref));
  }

  subscribe(event: EventName, cb: (data: unknown) => void): () => void {
    const runtime = window.runtime;
    if (!runtime) return () => {};
    return runtime.EventsOn(event, (data) => cb(data));
  }
}
