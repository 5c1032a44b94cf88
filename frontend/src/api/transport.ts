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

/** How the client reaches the portal: Wails bindings in the window, HTTP in a browser. */
export interface Transport {
  info(): Promise<Info>;
  listEntities(q: EntityQuery): Promise<EntityList>;
  getEntity(ref: string): Promise<EntityDetail>;
  listLocations(): Promise<Location[]>;
  addLocation(loc: NewLocation): Promise<Location>;
  removeLocation(id: string): Promise<void>;
  settings(): Promise<Settings>;
  updateSettings(s: Settings): Promise<Settings>;
  /** Syncs one location, or every one when locationId is ''. */
  sync(locationId: string): Promise<Location[]>;
  readFile(locationId: string, path: string): Promise<CatalogFile>;
  writeFile(w: FileWrite): Promise<OutboxEntry>;
  outbox(): Promise<OutboxEntry[]>;
  resolveConflict(entryId: string, keep: 'mine' | 'theirs'): Promise<void>;
  userState(): Promise<UserState>;
  setStar(ref: string, on: boolean): Promise<void>;
  open(req: OpenRequest): Promise<void>;
  template(ref: string): Promise<TemplateDetail>;
  scaffold(req: ScaffoldRequest): Promise<ScaffoldRun>;
  scaffoldRuns(): Promise<ScaffoldRun[]>;
  scaffoldRun(id: string): Promise<ScaffoldRun>;
  cancelScaffold(id: string): Promise<void>;
  /** The system's folder dialog; only the window has one (undefined when cancelled). */
  pickFolder?(title: string): Promise<string | undefined>;
  visit(ref: string): Promise<void>;
  reportFrontendError(e: FrontendError): Promise<void>;
  graph(q: GraphQuery): Promise<Graph>;
  history(ref: string, limit?: number): Promise<EntityVersion[]>;
  search(q: SearchQuery): Promise<SearchResult>;
  listDocs(): Promise<DocsEntry[]>;
  docs(ref: string): Promise<DocsSite>;
  docsPage(ref: string, page: string): Promise<DocsPage>;
  plugins(): Promise<PluginInfo[]>;
  /** Saves a plugin's settings and returns it as it is now (restarted when needed). */
  setPlugin(s: PluginSettings): Promise<PluginInfo>;
  /** The plugin's recent stderr lines, oldest first. */
  pluginLog(name: string): Promise<string[]>;
  /** Every enabled entity-content plugin's views of the entity; a plugin that failed says why in its error. */
  entityPlugins(ref: string): Promise<PluginContent[]>;
  /** Calls cb with each event's payload; returns the unsubscribe function. */
  subscribe(event: EventName, cb: (data: unknown) => void): () => void;
}

/** An error the portal reported; notFound marks a missing entity or location. */
export class PortalError extends Error {
  constructor(
    message: string,
    readonly notFound = false,
  ) {
    super(message);
    this.name = 'PortalError';
  }
}
