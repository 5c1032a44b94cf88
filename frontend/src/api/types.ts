// Mirror of app/portal/dto.go: the JSON shapes of the portal API.
// Keep both in step; the Go test app/portal/dto_test.go checks the field names.

export interface Info {
  version: string;
  dataDir: string;
  mode: 'desktop' | 'serve' | 'cli';
  entities: number;
  locations: number;
  startedAt: string;
  /** The user's language from the environment (BCP 47), or "" when it names none. */
  language: string;
  /** Errors the UI reported since the start. */
  frontendErrors: number;
}

/** An error the UI met, logged by the Go side. */
export interface FrontendError {
  kind: 'boundary' | 'error' | 'unhandledrejection' | 'console';
  /** The page's route, e.g. /catalog/component/default/x. */
  route: string;
  /** What failed, e.g. "plugin view ci/runs". */
  where?: string;
  message: string;
  stack?: string;
}

/** The facets a query filters on and counts; each is a repeatable URL parameter. */
export const FACETS = ['kind', 'type', 'owner', 'lifecycle', 'tag', 'namespace', 'system'] as const;
export type Facet = (typeof FACETS)[number];

export interface EntityQuery {
  kind?: string;
  /** Matches name, title and description, case-insensitively. */
  text?: string;
  /** Dotted-path filters read every entity from the store; prefer facets. */
  filters?: Record<string, string>;
  /** Values wanted per facet; values of one facet are alternatives. */
  facets?: Partial<Record<Facet, string[]>>;
  starred?: boolean;
  /** Owned by the user or their groups. */
  mine?: boolean;
  hasErrors?: boolean;
  /** name, kind, type, owner, lifecycle, system or namespace; none is kind, then name. */
  sort?: string;
  desc?: boolean;
  offset?: number;
  limit?: number;
}

export interface EntitySummary {
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  description?: string;
  owner?: string;
  type?: string;
  lifecycle?: string;
  system?: string;
  tags: string[];
  /** Its file has a change made in the app that is not pushed yet. */
  pending?: boolean;
  starred?: boolean;
  /** Its newest version was refused; this is the last good one. */
  hasErrors?: boolean;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface EntityList {
  items: EntitySummary[];
  total: number;
  /** Per facet, the count of each value among entities matching every other part of the query. */
  facets?: Partial<Record<Facet, FacetCount[]>>;
}

/** Who the user is in the catalog: a User chosen in Settings, or matched by git's user.email. */
export interface Identity {
  userRef?: string;
  name?: string;
  email?: string;
  groups: string[];
  source?: 'settings' | 'git';
}

export interface UserState {
  identity: Identity;
  starred: EntitySummary[];
  recent: EntitySummary[];
}

export interface Relation {
  type: string;
  targetRef: string;
  /** No location provides the target: the relation points nowhere. */
  missing?: boolean;
}

export interface Source {
  locationId: string;
  file: string;
  line: number;
  commit: string;
}

export interface EntityDetail extends EntitySummary {
  entity: Record<string, unknown>;
  relations: Relation[];
  source: Source;
  yaml: string;
  /** Why the newest version was refused; the entity shown is its last good version. */
  errors?: ProcessingError[];
}

/** One problem found processing a catalog file. */
export interface ProcessingError {
  file: string;
  line?: number;
  column?: number;
  field?: string;
  message: string;
}

export interface Location {
  id: string;
  url: string;
  branch?: string;
  path: string;
  /** stale: the last sync failed and the last good entities are kept. */
  status: 'pending' | 'ok' | 'stale' | 'error';
  headCommit?: string;
  lastSyncAt?: string;
  staleSince?: string;
  lastError?: string;
  entities: number;
  processingErrors: number;
  /** Commits made in the app waiting for the remote. */
  unpushed?: number;
  /** Commits kept on a branch because the remote changed the same files. */
  conflicts?: number;
}

/** A catalog repository to register; branch and path default on the server. */
export interface NewLocation {
  url: string;
  branch?: string;
  path?: string;
}

/** The user's settings. */
export interface Settings {
  /** How often every location syncs in the background, 1 to 1440. */
  syncIntervalMinutes: number;
  /** The User entity the user says they are; empty uses git's user.email. */
  userRef?: string;
  /** The user's links on Home: http or https. */
  toolkit?: Link[];
  /** Command to open files with ("code -g"); empty uses VS Code when installed, else the system's. */
  editor?: string;
  /** Command to open a terminal with; empty uses the system's. */
  terminal?: string;
  /** Hosts (github.com, git.example:8443) that get CALLBOARD_GIT_TOKEN and that templates may publish to, besides the locations' hosts. */
  trustedGitHosts: string[];
  /** Hosts whose images TechDocs pages show without asking (lower case, host or host:port). */
  docsImageHosts?: string[];
}

/** Opens a local repository's file or folder in the user's tools. */
export interface OpenRequest {
  path: string;
  with: 'editor' | 'folder' | 'terminal';
}

export interface Link {
  title: string;
  url: string;
}

/** A file of a location's repository as the catalog shows it, unpushed changes included. */
export interface CatalogFile {
  locationId: string;
  path: string;
  content: string;
  exists: boolean;
  commit: string;
}

/** A change to one file made in the app; it becomes a local commit, pushed by the next sync. */
export interface FileWrite {
  locationId: string;
  path: string;
  content?: string;
  delete?: boolean;
  message: string;
}

/** A commit made in the app that the remote does not have yet. */
export interface OutboxEntry {
  id: string;
  locationId: string;
  commit: string;
  message: string;
  author: string;
  paths: string[];
  createdAt: string;
  /** pending: waiting for the remote; conflict: kept on `branch`, both versions in `conflict`. */
  /** writing: a write under way (finished or taken back at the next start if the app stops in it). */
  state: 'writing' | 'pending' | 'conflict';
  lastError?: string;
  lastTry?: string;
  branch?: string;
  conflict?: ConflictFile[];
}

/** A file changed both in the app and on the remote; a missing side means the file is absent there. */
export interface ConflictFile {
  path: string;
  base?: string;
  mine?: string;
  theirs?: string;
}

/** The relations around an entity: depth hops along types (all when empty), out, in or both ways. */
export interface GraphQuery {
  ref: string;
  depth?: number;
  types?: string[];
  direction?: 'out' | 'in' | 'both';
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** The graph stopped at its node limit. */
  truncated?: boolean;
}

export interface GraphNode {
  ref: string;
  kind: string;
  name: string;
  title?: string;
  type?: string;
  depth: number;
  missing?: boolean;
}

export interface GraphEdge {
  source: string;
  type: string;
  target: string;
}

/** One commit that changed an entity's source file, with the entity's fields it changed. */
export interface EntityVersion {
  commit: string;
  author: string;
  email?: string;
  when: string;
  message: string;
  changes: FieldChange[];
  /** This commit took the entity out of its file. */
  removed?: boolean;
}

/** One field between two versions; a missing side means absent. */
export interface FieldChange {
  path: string;
  old?: string;
  new?: string;
}

/** A search: free text and filters; values of one filter are alternatives. */
export interface SearchQuery {
  text: string;
  /** entity, docs, template */
  types?: string[];
  kinds?: string[];
  entityTypes?: string[];
  owners?: string[];
  lifecycles?: string[];
  tags?: string[];
  /** Only hits of these entities: their docs pages, to search one site. */
  refs?: string[];
  offset?: number;
  limit?: number;
  /** Skip the facet counts, for answers as you type. */
  noFacets?: boolean;
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
  /** type, kind, entityType, owner, lifecycle, tag */
  facets: Record<string, FacetCount[]>;
  /** The index is still being built: indexed of indexTotal so far. */
  indexing?: boolean;
  indexed?: number;
  indexTotal?: number;
}

export interface SearchHit {
  /** plugin: a plugin's document; name is the plugin, path where it leads (an app route or a web address), ref its entity if any. */
  type: 'entity' | 'docs' | 'template' | 'plugin';
  ref: string;
  kind: string;
  name: string;
  title?: string;
  description?: string;
  entityType?: string;
  owner?: string;
  path?: string;
  snippet?: string;
  score: number;
}

/** An entity with TechDocs, for the Docs index. */
export interface DocsEntry {
  ref: string;
  kind: string;
  name: string;
  title?: string;
  description?: string;
  owner?: string;
}

/** One entry of a docs site's navigation: a page, an external link or a section. */
export interface NavItem {
  title: string;
  path?: string;
  url?: string;
  children?: NavItem[];
}

export interface DocsSite {
  ref: string;
  name: string;
  nav: NavItem[];
  pages: string[];
  warnings?: string[];
}

export interface Heading {
  level: number;
  id: string;
  text: string;
}

/** A rendered docs page: sanitised HTML, its outline, neighbours, where to edit it, links leading nowhere. */
export interface DocsPage {
  ref: string;
  path: string;
  title: string;
  html: string;
  toc: Heading[];
  prev?: string;
  next?: string;
  editUrl?: string;
  /** The page's file in the user's own checkout, for "Open in editor". */
  localFile?: string;
  broken?: string[];
  /** Images from other hosts, held back (data-remote-src) until the user shows them, and their hosts. */
  remoteImages?: number;
  remoteHosts?: string[];
}

// Events the portal emits (area:verb), defined once here and once in app/events.
/** A software template's form and steps. */
export interface TemplateDetail {
  ref: string;
  title: string;
  description?: string;
  /** spec.parameters: one JSON Schema object or a list of them (form pages), ui:* keys inside. */
  parameters: unknown;
  steps: TemplateStep[];
  /** Why the template cannot run here (an unknown action). */
  problem?: string;
  /** Where new projects go by default. */
  workspace: string;
  /** The git hosts a template may publish to: the locations' hosts and those trusted in Settings. */
  trustedHosts: string[];
}

export interface TemplateStep {
  id: string;
  name: string;
  action: string;
  /** A pushing publish:* step's repoUrl as written, e.g. `${{ parameters.repoUrl }}`. */
  repoUrl?: string;
}

export interface ScaffoldRequest {
  template: string;
  values: Record<string, unknown>;
  secrets?: Record<string, string>;
  target?: string;
  dryRun?: boolean;
  overwrite?: boolean;
}

/** A run's or a step's state; pending is a step a live run has not reached yet. */
/** interrupted: the app stopped during the run (closed or killed); found so at the next start. */
export type RunStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled' | 'skipped' | 'interrupted';

export interface StepResult {
  id: string;
  name: string;
  action: string;
  status: RunStatus;
  error?: string;
  durationMs: number;
  log: string[];
}

export interface OutputLink {
  title?: string;
  url?: string;
  entityRef?: string;
  icon?: string;
}

export interface OutputText {
  title?: string;
  content: string;
  default?: boolean;
}

/** A file or folder of the project a run made; content (text only) for a dry run. */
export interface ScaffoldFile {
  path: string;
  dir?: boolean;
  size: number;
  /** Go's fs.FileMode: permission bits, 1<<31 for a folder. */
  mode: number;
  link?: string;
  binary?: boolean;
  content?: string;
}

export interface PublishState {
  remote?: string;
  branch: string;
  /** pushed, pending (retried at each sync) or local */
  status: string;
  error?: string;
}

export interface ScaffoldRun {
  id: string;
  template: string;
  title: string;
  target?: string;
  dryRun?: boolean;
  status: RunStatus;
  error?: string;
  /** RFC 3339. */
  started: string;
  /** RFC 3339; absent until the run ends. */
  finished?: string;
  steps: StepResult[];
  links: OutputLink[];
  texts: OutputText[];
  files: ScaffoldFile[];
  publish?: PublishState[];
  registered?: string[];
}

/** scaffold:progress: a step starts or ends, or logs a line. */
export interface ScaffoldEvent {
  runId: string;
  step?: string;
  kind: 'start' | 'log' | 'end';
  status?: RunStatus;
  line?: string;
  durationMs?: number;
}

/** A plugin's lifecycle: disabled by the user, broken when it cannot start (bad manifest, wrong protocol). */
export type PluginState = 'stopped' | 'running' | 'crashed' | 'disabled' | 'broken';

/** What a plugin adds: views on entity pages, scaffolder actions, catalog entities, search documents. */
export type ExtensionPoint = 'entityContent' | 'actions' | 'entities' | 'search';

/** A plugin as Settings lists it; secrets never leave the portal, only which ones are set. */
export interface PluginInfo {
  name: string;
  version: string;
  description?: string;
  builtIn: boolean;
  enabled: boolean;
  state: PluginState;
  lastError?: string;
  extensionPoints: ExtensionPoint[];
  config: PluginConfigField[];
  /** The non-secret settings. */
  values: Record<string, string>;
  /** The secret keys that have a value. */
  secretsSet: string[];
}

/** One setting a plugin's manifest asks for. */
export interface PluginConfigField {
  key: string;
  title: string;
  description?: string;
  secret?: boolean;
}

/** A change to a plugin's settings; secrets holds only the keys to change, '' removes one. */
export interface PluginSettings {
  name: string;
  enabled: boolean;
  values: Record<string, string>;
  secrets: Record<string, string>;
}

/** What one plugin shows on an entity page, or why it could not (error). */
export interface PluginContent {
  plugin: string;
  version: string;
  views: PluginView[];
  error?: string;
  durationMs: number;
}

// The view a plugin sends: callboard.plugin.v1.View (plugins/pluginv1/plugin.proto)
// as protojson with default values emitted. Plugins are other programs, so
// every field is checked where it is drawn: enums may be names this app does
// not know yet, and a block may be of a kind it does not know.

export type PluginStatus = 'STATUS_NONE' | 'STATUS_OK' | 'STATUS_WARNING' | 'STATUS_ERROR' | 'STATUS_PENDING' | 'STATUS_INFO';

export interface PluginView {
  id: string;
  title: string;
  placement: 'PLACEMENT_CARD' | 'PLACEMENT_TAB';
  blocks: PluginBlock[];
}

/** Exactly one key is set: the block's kind. */
export interface PluginBlock {
  heading?: { text: string };
  keyValues?: { items: PluginKeyValue[] };
  table?: { columns: string[]; rows: { cells: PluginCell[] }[] };
  badges?: { items: { text: string; status: PluginStatus }[] };
  links?: { items: { title: string; url: string }[] };
  markdown?: string;
  chart?: PluginChart;
  notice?: { text: string; status: PluginStatus };
}

export interface PluginKeyValue {
  key: string;
  value: string;
  status: PluginStatus;
  /** An app route or a web address; '' for none. */
  url: string;
}

export interface PluginCell {
  text: string;
  status: PluginStatus;
  url: string;
}

/** A time series when the labels are RFC 3339 dates, else categories. */
export interface PluginChart {
  title: string;
  kind: 'CHART_LINE' | 'CHART_BAR';
  unit: string;
  series: { name: string; points: { label: string; value: number }[] }[];
}

export const Events = {
  CatalogChanged: 'catalog:changed',
  SyncProgress: 'sync:progress',
  SyncDone: 'sync:done',
  SyncError: 'sync:error',
  OutboxChanged: 'outbox:changed',
  SearchProgress: 'search:progress',
  ScaffoldProgress: 'scaffold:progress',
  ScaffoldDone: 'scaffold:done',
  PluginsChanged: 'plugins:changed',
} as const;
export type EventName = (typeof Events)[keyof typeof Events];

export interface SyncProgress {
  locationId: string;
  phase: string;
  done: number;
  total: number;
}
