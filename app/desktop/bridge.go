package desktop

import (
	"context"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/callboard/callboard/app/portal"
)

// Bridge is the portal API as bound to the window's JavaScript
// (window.go.desktop.Bridge). Each method returns (T, error) so the promise
// rejects with the error's message. Wails hands over the context at startup.
type Bridge struct {
	api portal.API
	ctx context.Context
}

// Info returns what the instance is.
func (b *Bridge) Info() (portal.Info, error) { return b.api.Info(b.ctx) }

// ListEntities returns the catalog rows matching q.
func (b *Bridge) ListEntities(q portal.EntityQuery) (portal.EntityList, error) {
	return b.api.ListEntities(b.ctx, q)
}

// GetEntity returns one entity by ref.
func (b *Bridge) GetEntity(ref string) (portal.EntityDetail, error) {
	return b.api.GetEntity(b.ctx, ref)
}

// ListLocations returns the registered locations.
func (b *Bridge) ListLocations() ([]portal.Location, error) { return b.api.ListLocations(b.ctx) }

// AddLocation registers a catalog repository.
func (b *Bridge) AddLocation(in portal.NewLocation) (portal.Location, error) {
	return b.api.AddLocation(b.ctx, in)
}

// RemoveLocation unregisters a location and drops its entities.
func (b *Bridge) RemoveLocation(id string) error { return b.api.RemoveLocation(b.ctx, id) }

// Settings returns the user's settings.
func (b *Bridge) Settings() (portal.Settings, error) { return b.api.Settings(b.ctx) }

// UpdateSettings stores new settings.
func (b *Bridge) UpdateSettings(s portal.Settings) (portal.Settings, error) {
	return b.api.UpdateSettings(b.ctx, s)
}

// Sync syncs one location, or all when locationID is "".
func (b *Bridge) Sync(locationID string) ([]portal.Location, error) {
	return b.api.Sync(b.ctx, locationID)
}

// ReadFile returns a file of a location's repository as the catalog shows it.
func (b *Bridge) ReadFile(locationID, path string) (portal.CatalogFile, error) {
	return b.api.ReadFile(b.ctx, locationID, path)
}

// WriteFile commits a change to a catalog file locally; sync pushes it.
func (b *Bridge) WriteFile(w portal.FileWrite) (portal.OutboxEntry, error) {
	return b.api.WriteFile(b.ctx, w)
}

// Outbox lists the commits made in the app that the remotes lack.
func (b *Bridge) Outbox() ([]portal.OutboxEntry, error) { return b.api.Outbox(b.ctx) }

// ResolveConflict settles an outbox conflict, keeping "mine" or "theirs".
func (b *Bridge) ResolveConflict(entryID, keep string) error {
	return b.api.ResolveConflict(b.ctx, entryID, keep)
}

// UserState returns the user's identity, starred and recent entities.
func (b *Bridge) UserState() (portal.UserState, error) { return b.api.UserState(b.ctx) }

// Open opens a local repository's file or folder in the user's editor,
// file manager or terminal.
func (b *Bridge) Open(req portal.OpenRequest) error { return b.api.Open(b.ctx, req) }

// SetStar stars an entity, or takes the star away.
func (b *Bridge) SetStar(ref string, on bool) error { return b.api.SetStar(b.ctx, ref, on) }

// ReportFrontendError logs an error the window's UI met.
func (b *Bridge) ReportFrontendError(e portal.FrontendError) error {
	return b.api.ReportFrontendError(b.ctx, e)
}

// Visit notes that the user opened an entity.
func (b *Bridge) Visit(ref string) error { return b.api.Visit(b.ctx, ref) }

// Graph returns the entities and relations around an entity.
func (b *Bridge) Graph(q portal.GraphQuery) (portal.Graph, error) { return b.api.Graph(b.ctx, q) }

// History returns the commits that changed an entity's source file.
func (b *Bridge) History(ref string, limit int) ([]portal.EntityVersion, error) {
	return b.api.History(b.ctx, ref, limit)
}

// Search finds entities, docs and templates by text.
func (b *Bridge) Search(q portal.SearchQuery) (portal.SearchResult, error) {
	return b.api.Search(b.ctx, q)
}

// ListDocs lists the entities with TechDocs.
func (b *Bridge) ListDocs() ([]portal.DocsEntry, error) { return b.api.ListDocs(b.ctx) }

// Docs returns an entity's TechDocs site.
func (b *Bridge) Docs(ref string) (portal.DocsSite, error) { return b.api.Docs(b.ctx, ref) }

// Template reads a software template for its form.
func (b *Bridge) Template(ref string) (portal.TemplateDetail, error) {
	return b.api.Template(b.ctx, ref)
}

// Scaffold starts a template run.
func (b *Bridge) Scaffold(req portal.ScaffoldRequest) (portal.ScaffoldRun, error) {
	return b.api.Scaffold(b.ctx, req)
}

// ScaffoldRuns is the history of template runs.
func (b *Bridge) ScaffoldRuns() ([]portal.ScaffoldRun, error) { return b.api.ScaffoldRuns(b.ctx) }

// ScaffoldRun reads one template run.
func (b *Bridge) ScaffoldRun(id string) (portal.ScaffoldRun, error) {
	return b.api.ScaffoldRun(b.ctx, id)
}

// CancelScaffold stops a template run.
func (b *Bridge) CancelScaffold(id string) error { return b.api.CancelScaffold(b.ctx, id) }

// DocsPage renders one page of an entity's TechDocs.
func (b *Bridge) DocsPage(ref, page string) (portal.DocsPage, error) {
	return b.api.DocsPage(b.ctx, ref, page)
}

// PickFolder asks for a folder with the system's dialog ("" when the user
// cancels), for the local-folder choice of template forms.
func (b *Bridge) PickFolder(title string) (string, error) {
	return wruntime.OpenDirectoryDialog(b.ctx, wruntime.OpenDialogOptions{Title: title, CanCreateDirectories: true})
}

// Plugins lists the installed plugins.
func (b *Bridge) Plugins() ([]portal.PluginInfo, error) { return b.api.Plugins(b.ctx) }

// SetPlugin turns a plugin on or off and configures it.
func (b *Bridge) SetPlugin(in portal.PluginSettings) (portal.PluginInfo, error) {
	return b.api.SetPlugin(b.ctx, in)
}

// PluginLog returns a plugin's recent log lines.
func (b *Bridge) PluginLog(name string) ([]string, error) { return b.api.PluginLog(b.ctx, name) }

// EntityPlugins returns what the plugins show for an entity.
func (b *Bridge) EntityPlugins(ref string) ([]portal.PluginContent, error) {
	return b.api.EntityPlugins(b.ctx, ref)
}
