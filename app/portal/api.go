package portal

import (
	"context"
)

// API is the portal as every front end sees it. The local Service implements
// it over the store; apiclient implements it over the socket of a running
// instance. Errors wrap ErrNotFound, ErrInvalid, ErrConflict or ErrBusy
// where those apply (ErrorOf gives their code); any other error is the
// portal's own failure.
type API interface {
	Info(ctx context.Context) (Info, error)
	ListEntities(ctx context.Context, q EntityQuery) (EntityList, error)
	// GetEntity takes a ref of the form [kind:][namespace/]name.
	GetEntity(ctx context.Context, ref string) (EntityDetail, error)
	ListLocations(ctx context.Context) ([]Location, error)
	// AddLocation registers a catalog repository; the scheduler or the
	// caller syncs it. A location already registered is ErrConflict.
	AddLocation(ctx context.Context, in NewLocation) (Location, error)
	// RemoveLocation unregisters a location: its entities go with it. A
	// location with changes made in the app and not pushed is ErrConflict.
	RemoveLocation(ctx context.Context, id string) error
	// Settings returns the user's settings, defaults filled in.
	Settings(ctx context.Context) (Settings, error)
	// UpdateSettings stores new settings and returns them as stored.
	UpdateSettings(ctx context.Context, s Settings) (Settings, error)
	// Sync syncs one location, or every one when locationID is "", and
	// returns the locations afterwards. A failed location is reported in its
	// LastError; the error return is for the call itself.
	Sync(ctx context.Context, locationID string) ([]Location, error)
	// ReadFile returns a file of a location's repository as the catalog
	// shows it, unpushed changes included.
	ReadFile(ctx context.Context, locationID, path string) (CatalogFile, error)
	// WriteFile commits a change to a catalog file in the location's
	// local clone and shows it in the catalog at once; the next sync
	// pushes it. A change the catalog would refuse is ErrInvalid, naming
	// the file, line and field, and nothing is committed.
	WriteFile(ctx context.Context, w FileWrite) (OutboxEntry, error)
	// Outbox lists the commits made in the app that the remotes lack.
	Outbox(ctx context.Context) ([]OutboxEntry, error)
	// ResolveConflict settles an outbox conflict: keep "mine" commits the
	// app's versions again on top of the remote's; "theirs" lets the
	// remote's stand. The original commits stay on their branch.
	ResolveConflict(ctx context.Context, entryID, keep string) error
	// UserState returns the user's identity, starred and recent entities.
	UserState(ctx context.Context) (UserState, error)
	// Open opens a file or folder of a local repository in the user's
	// editor, file manager or terminal.
	Open(ctx context.Context, req OpenRequest) error
	// SetStar stars an entity, or takes the star away.
	SetStar(ctx context.Context, ref string, on bool) error
	// Visit notes that the user opened an entity, for "recently visited".
	Visit(ctx context.Context, ref string) error
	// Graph returns the entities and relations around an entity.
	Graph(ctx context.Context, q GraphQuery) (Graph, error)
	// History returns the commits that changed an entity's source file,
	// newest first, from the local clone.
	History(ctx context.Context, ref string, limit int) ([]EntityVersion, error)
	// Search finds entities, docs and templates by text, with facets.
	Search(ctx context.Context, q SearchQuery) (SearchResult, error)
	// ListDocs lists the entities with TechDocs.
	ListDocs(ctx context.Context) ([]DocsEntry, error)
	// Docs returns an entity's TechDocs site: its navigation and pages.
	Docs(ctx context.Context, ref string) (DocsSite, error)
	// DocsPage renders one page of an entity's TechDocs ("" for the home page).
	DocsPage(ctx context.Context, ref, page string) (DocsPage, error)
	// Template reads a software template for its form.
	Template(ctx context.Context, ref string) (TemplateDetail, error)
	// Scaffold starts a template run (and waits for its end when asked);
	// progress comes as scaffold:progress events, the end as scaffold:done.
	Scaffold(ctx context.Context, req ScaffoldRequest) (ScaffoldRun, error)
	// ScaffoldRuns is the history of template runs, newest first.
	ScaffoldRuns(ctx context.Context) ([]ScaffoldRun, error)
	// ScaffoldRun reads one run.
	ScaffoldRun(ctx context.Context, id string) (ScaffoldRun, error)
	// CancelScaffold stops a run; nothing of it is left in the target.
	CancelScaffold(ctx context.Context, id string) error
	// Plugins lists the installed plugins and their state.
	Plugins(ctx context.Context) ([]PluginInfo, error)
	// SetPlugin turns a plugin on or off and configures it.
	SetPlugin(ctx context.Context, in PluginSettings) (PluginInfo, error)
	// PluginLog is a plugin's recent stderr and the host's notes on it.
	PluginLog(ctx context.Context, name string) ([]string, error)
	// EntityPlugins is what the plugins show for an entity.
	EntityPlugins(ctx context.Context, ref string) ([]PluginContent, error)
	// ReportFrontendError logs an error the UI met, so a window without
	// developer tools still leaves a trace; floods are cut short.
	ReportFrontendError(ctx context.Context, e FrontendError) error
}
