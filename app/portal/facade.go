package portal

import (
	"context"
	"time"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/notify"
	"github.com/callboard/callboard/app/scorecard"
)

// The API's methods, in its order, each handed to the area that answers
// it; then what the instance calls besides the API.

// Info implements API.
func (s *Service) Info(ctx context.Context) (Info, error) { return s.about.Info(ctx) }

// ListEntities implements API.
func (s *Service) ListEntities(ctx context.Context, q EntityQuery) (EntityList, error) {
	return s.catalog.ListEntities(ctx, q)
}

// GetEntity implements API.
func (s *Service) GetEntity(ctx context.Context, ref string) (EntityDetail, error) {
	return s.catalog.GetEntity(ctx, ref)
}

// ListLocations implements API.
func (s *Service) ListLocations(ctx context.Context) ([]Location, error) {
	return s.locations.ListLocations(ctx)
}

// AddLocation implements API.
func (s *Service) AddLocation(ctx context.Context, in NewLocation) (Location, error) {
	return s.locations.AddLocation(ctx, in)
}

// OrgRepos implements API.
func (s *Service) OrgRepos(ctx context.Context, id string) ([]OrgRepo, error) {
	return s.locations.OrgRepos(ctx, id)
}

// UpdateOrg implements API.
func (s *Service) UpdateOrg(ctx context.Context, id string, d Discovery) (Location, error) {
	return s.locations.UpdateOrg(ctx, id, d)
}

// RemoveLocation implements API.
func (s *Service) RemoveLocation(ctx context.Context, id string) error {
	if err := s.locations.RemoveLocation(ctx, id); err != nil {
		return err
	}
	s.facts.sweepLater()
	return nil
}

// Settings implements API.
func (s *Service) Settings(ctx context.Context) (Settings, error) { return s.settings.Settings(ctx) }

// UpdateSettings implements API.
func (s *Service) UpdateSettings(ctx context.Context, in Settings) (Settings, error) {
	return s.settings.UpdateSettings(ctx, in)
}

// PatchSettings implements API.
func (s *Service) PatchSettings(ctx context.Context, p SettingsPatch) (Settings, error) {
	return s.settings.PatchSettings(ctx, p)
}

// RemoveDemo implements API.
func (s *Service) RemoveDemo(ctx context.Context) error { return s.locations.RemoveDemo(ctx) }

// RestoreDemo implements API.
func (s *Service) RestoreDemo(ctx context.Context) (Location, error) {
	return s.locations.RestoreDemo(ctx)
}

// Updates implements API.
func (s *Service) Updates(ctx context.Context) (UpdateStatus, error) { return s.updates.Updates(ctx) }

// CheckUpdates implements API.
func (s *Service) CheckUpdates(ctx context.Context) (UpdateStatus, error) {
	return s.updates.CheckUpdates(ctx)
}

// CredentialSources implements API.
func (s *Service) CredentialSources(ctx context.Context) ([]CredentialSource, error) {
	return s.creds.CredentialSources(ctx)
}

// Sync implements API.
func (s *Service) Sync(ctx context.Context, locationID string) ([]Location, error) {
	locs, err := s.syncs.Sync(ctx, locationID)
	for _, l := range locs {
		if locationID == "" || l.ID == locationID {
			s.facts.afterSync(l.ID)
		}
	}
	s.facts.sweepLater()
	return locs, err
}

// ReadFile implements API.
func (s *Service) ReadFile(ctx context.Context, locationID, path string) (CatalogFile, error) {
	return s.outbox.ReadFile(ctx, locationID, path)
}

// WriteFile implements API.
func (s *Service) WriteFile(ctx context.Context, w FileWrite) (OutboxEntry, error) {
	return s.outbox.WriteFile(ctx, w)
}

// Outbox implements API.
func (s *Service) Outbox(ctx context.Context) ([]OutboxEntry, error) { return s.outbox.Outbox(ctx) }

// ResolveConflict implements API.
func (s *Service) ResolveConflict(ctx context.Context, entryID, keep string) error {
	return s.outbox.ResolveConflict(ctx, entryID, keep)
}

// SettleReview implements API.
func (s *Service) SettleReview(ctx context.Context, entryID, action string) error {
	return s.outbox.SettleReview(ctx, entryID, action)
}

// SetReviewMode implements API.
func (s *Service) SetReviewMode(ctx context.Context, id string, review ReviewMode) (Location, error) {
	return s.locations.SetReviewMode(ctx, id, review)
}

// UserState implements API.
func (s *Service) UserState(ctx context.Context) (UserState, error) { return s.catalog.UserState(ctx) }

// Open implements API.
func (s *Service) Open(ctx context.Context, req OpenRequest) error { return s.launcher.Open(ctx, req) }

// SetStar implements API.
func (s *Service) SetStar(ctx context.Context, ref string, on bool) error {
	return s.catalog.SetStar(ctx, ref, on)
}

// Visit implements API.
func (s *Service) Visit(ctx context.Context, ref string) error { return s.catalog.Visit(ctx, ref) }

// Graph implements API.
func (s *Service) Graph(ctx context.Context, q GraphQuery) (Graph, error) {
	return s.catalog.Graph(ctx, q)
}

// History implements API.
func (s *Service) History(ctx context.Context, ref string, limit int) (EntityHistory, error) {
	return s.catalog.History(ctx, ref, limit)
}

// InspectEntity implements API.
func (s *Service) InspectEntity(ctx context.Context, ref string) (EntityInspection, error) {
	return s.inspector.InspectEntity(ctx, ref)
}

// DeepenHistory implements API.
func (s *Service) DeepenHistory(ctx context.Context, id string) error {
	return s.catalog.DeepenHistory(ctx, id)
}

// Questions implements API.
func (s *Service) Questions(ctx context.Context, q QuestionQuery) (QuestionList, error) {
	return s.questions.List(ctx, q)
}

// Question implements API.
func (s *Service) Question(ctx context.Context, id string) (QuestionDetail, error) {
	return s.questions.Get(ctx, id)
}

// AskQuestion implements API.
func (s *Service) AskQuestion(ctx context.Context, q NewQuestion) (QuestionDetail, error) {
	return s.questions.Ask(ctx, q)
}

// AnswerQuestion implements API.
func (s *Service) AnswerQuestion(ctx context.Context, id, body string) (QuestionDetail, error) {
	return s.questions.Answer(ctx, id, body)
}

// VoteQuestion implements API.
func (s *Service) VoteQuestion(ctx context.Context, id string, v QuestionVote) (QuestionDetail, error) {
	return s.questions.Vote(ctx, id, v)
}

// AcceptAnswer implements API.
func (s *Service) AcceptAnswer(ctx context.Context, id, answer string) (QuestionDetail, error) {
	return s.questions.Accept(ctx, id, answer)
}

// EntityDecisions implements API.
func (s *Service) EntityDecisions(ctx context.Context, ref string) (DecisionList, error) {
	return s.decisions.List(ctx, ref)
}

// Decision implements API.
func (s *Service) Decision(ctx context.Context, ref, file string) (DecisionDetail, error) {
	return s.decisions.Get(ctx, ref, file)
}

// Problems implements API.
func (s *Service) Problems(ctx context.Context, q ProblemQuery) (ProblemList, error) {
	return s.problems.list(ctx, q)
}

// Scorecards implements API.
func (s *Service) Scorecards(ctx context.Context) ([]scorecard.Summary, error) {
	return s.scorecards.Scorecards(ctx)
}

// Scorecard implements API.
func (s *Service) Scorecard(ctx context.Context, ref, owner string) (scorecard.Detail, error) {
	return s.scorecards.Scorecard(ctx, ref, owner)
}

// EntityScorecards implements API.
func (s *Service) EntityScorecards(ctx context.Context, ref string) ([]scorecard.EntityScore, error) {
	s.facts.visited(ref)
	return s.scorecards.EntityScorecards(ctx, ref)
}

// EntityScorecardHistory implements API.
func (s *Service) EntityScorecardHistory(ctx context.Context, ref string) ([]scorecard.ScoreHistory, error) {
	return s.scorecards.EntityScorecardHistory(ctx, ref)
}

// GroupScorecards implements API.
func (s *Service) GroupScorecards(ctx context.Context, ref string) (scorecard.GroupRollup, error) {
	return s.scorecards.GroupScorecards(ctx, ref)
}

// UnregisterEntity implements API.
func (s *Service) UnregisterEntity(ctx context.Context, ref string, dryRun bool) (Unregistration, error) {
	return s.unreg.UnregisterEntity(ctx, ref, dryRun)
}

// Notifications implements API.
func (s *Service) Notifications(ctx context.Context) (NotificationSettings, error) {
	return s.alerts.Notifications(ctx)
}

// SetNotifications implements API.
func (s *Service) SetNotifications(ctx context.Context, c NotificationChange) (NotificationSettings, error) {
	return s.alerts.SetNotifications(ctx, c)
}

// ListNotifications implements API.
func (s *Service) ListNotifications(ctx context.Context) (NotificationList, error) {
	return s.centre.ListNotifications(ctx)
}

// ReadNotifications implements API.
func (s *Service) ReadNotifications(ctx context.Context, r NotificationsRead) (NotificationList, error) {
	return s.centre.ReadNotifications(ctx, r)
}

// ClearNotifications implements API.
func (s *Service) ClearNotifications(ctx context.Context) (NotificationList, error) {
	return s.centre.ClearNotifications(ctx)
}

// Search implements API.
func (s *Service) Search(ctx context.Context, q SearchQuery) (SearchResult, error) {
	return s.search.Search(ctx, q)
}

// ListDocs implements API.
func (s *Service) ListDocs(ctx context.Context) ([]DocsEntry, error) { return s.docs.ListDocs(ctx) }

// Docs implements API.
func (s *Service) Docs(ctx context.Context, ref string) (DocsSite, error) {
	return s.docs.Docs(ctx, ref)
}

// OpenDocsPreview implements API.
func (s *Service) OpenDocsPreview(ctx context.Context, dir string) (DocsPreview, error) {
	return s.previews.OpenDocsPreview(ctx, dir)
}

// DocsPreview implements API.
func (s *Service) DocsPreview(ctx context.Context, id string) (DocsPreview, error) {
	return s.previews.DocsPreview(ctx, id)
}

// DocsPreviewPage implements API.
func (s *Service) DocsPreviewPage(ctx context.Context, id, page string) (DocsPage, error) {
	return s.previews.DocsPreviewPage(ctx, id, page)
}

// CloseDocsPreview implements API.
func (s *Service) CloseDocsPreview(ctx context.Context, id string) error {
	return s.previews.CloseDocsPreview(ctx, id)
}

// DocsPage implements API.
func (s *Service) DocsPage(ctx context.Context, ref, page string) (DocsPage, error) {
	return s.docs.DocsPage(ctx, ref, page)
}

// Template implements API.
func (s *Service) Template(ctx context.Context, ref string) (TemplateDetail, error) {
	return s.templates.Template(ctx, ref)
}

// Scaffold implements API.
func (s *Service) Scaffold(ctx context.Context, req ScaffoldRequest) (ScaffoldRun, error) {
	return s.templates.Scaffold(ctx, req)
}

// OpenWorkbench implements API.
func (s *Service) OpenWorkbench(ctx context.Context, dir string) (Workbench, error) {
	return s.workbench.OpenWorkbench(ctx, dir)
}

// Workbench implements API.
func (s *Service) Workbench(ctx context.Context, id string) (Workbench, error) {
	return s.workbench.Workbench(ctx, id)
}

// WorkbenchDryRun implements API.
func (s *Service) WorkbenchDryRun(ctx context.Context, id string, request WorkbenchRunRequest) (WorkbenchRun, error) {
	return s.workbench.WorkbenchDryRun(ctx, id, request)
}

// CloseWorkbench implements API.
func (s *Service) CloseWorkbench(ctx context.Context, id string) error {
	return s.workbench.CloseWorkbench(ctx, id)
}

// ScaffoldRuns implements API.
func (s *Service) ScaffoldRuns(ctx context.Context) ([]ScaffoldRun, error) {
	return s.templates.ScaffoldRuns(ctx)
}

// RunHistory implements API.
func (s *Service) RunHistory(ctx context.Context, q RunQuery) (RunPage, error) {
	return s.templates.RunHistory(ctx, q)
}

// ScaffoldActions implements API.
func (s *Service) ScaffoldActions(ctx context.Context) ([]ScaffoldAction, error) {
	return s.templates.ScaffoldActions(ctx)
}

// TemplateExtensions implements API.
func (s *Service) TemplateExtensions(ctx context.Context) (TemplateExtensions, error) {
	return s.templates.TemplateExtensions(ctx)
}

// EvaluateTemplate implements API.
func (s *Service) EvaluateTemplate(ctx context.Context, req TemplateEvaluation) (TemplateEvaluated, error) {
	return s.templates.EvaluateTemplate(ctx, req)
}

// ScaffoldRun implements API.
func (s *Service) ScaffoldRun(ctx context.Context, id string) (ScaffoldRun, error) {
	return s.templates.ScaffoldRun(ctx, id)
}

// CancelScaffold implements API.
func (s *Service) CancelScaffold(ctx context.Context, id string) error {
	return s.templates.CancelScaffold(ctx, id)
}

// TemplateUpdates implements API.
func (s *Service) TemplateUpdates(ctx context.Context) ([]TemplateUpdateSummary, error) {
	return s.templates.TemplateUpdates(ctx)
}

// EntityTemplateUpdate implements API.
func (s *Service) EntityTemplateUpdate(ctx context.Context, ref string) (TemplateUpdateSummary, error) {
	return s.templates.EntityTemplateUpdate(ctx, ref)
}

// PreviewTemplateUpdate implements API.
func (s *Service) PreviewTemplateUpdate(ctx context.Context, req TemplateUpdateRequest) (TemplateUpdatePreview, error) {
	return s.templates.PreviewTemplateUpdate(ctx, req)
}

// PushTemplateUpdate implements API.
func (s *Service) PushTemplateUpdate(ctx context.Context, req TemplateUpdatePushRequest) (TemplateUpdatePush, error) {
	return s.pushes.PushTemplateUpdate(ctx, req)
}

// TemplateUpdatePushes implements API.
func (s *Service) TemplateUpdatePushes(ctx context.Context, dir string) ([]TemplateUpdatePush, error) {
	return s.pushes.TemplateUpdatePushes(ctx, dir)
}

// ApplyTemplateUpdate implements API.
func (s *Service) ApplyTemplateUpdate(ctx context.Context, req TemplateUpdateRequest) (TemplateUpdateApplied, error) {
	return s.templates.ApplyTemplateUpdate(ctx, req)
}

// Plugins implements API.
func (s *Service) Plugins(ctx context.Context) ([]PluginInfo, error) { return s.plugins.Plugins(ctx) }

// SetPlugin implements API.
func (s *Service) SetPlugin(ctx context.Context, in PluginSettings) (PluginInfo, error) {
	info, err := s.plugins.SetPlugin(ctx, in)
	if err == nil {
		s.facts.sweepLater() // a plugin turned off takes its location's entities
	}
	return info, err
}

// PluginLog implements API.
func (s *Service) PluginLog(ctx context.Context, name string) ([]string, error) {
	return s.plugins.PluginLog(ctx, name)
}

// EntityPlugins implements API.
func (s *Service) EntityPlugins(ctx context.Context, ref string) ([]PluginContent, error) {
	return s.plugins.EntityPlugins(ctx, ref)
}

// PluginPages implements API.
func (s *Service) PluginPages(ctx context.Context) ([]PluginPage, error) {
	return s.pluginUI.PluginPages(ctx)
}

// PluginPage implements API.
func (s *Service) PluginPage(ctx context.Context, plugin, page string, params map[string]string) (PluginPageContent, error) {
	return s.pluginUI.PluginPage(ctx, plugin, page, params)
}

// HomeCards implements API.
func (s *Service) HomeCards(ctx context.Context) ([]PluginContent, error) {
	return s.pluginUI.HomeCards(ctx)
}

// EntityActions implements API.
func (s *Service) EntityActions(ctx context.Context, ref string) ([]PluginEntityAction, error) {
	return s.pluginUI.EntityActions(ctx, ref)
}

// RunEntityAction implements API.
func (s *Service) RunEntityAction(ctx context.Context, ref string, call EntityActionCall) (EntityActionResult, error) {
	return s.pluginUI.RunEntityAction(ctx, ref, call)
}

// ReportFrontendError implements API.
func (s *Service) ReportFrontendError(ctx context.Context, e FrontendError) error {
	return s.frontend.ReportFrontendError(ctx, e)
}

// Subscribe implements API.
func (s *Service) Subscribe(ctx context.Context, names ...string) (<-chan events.Event, error) {
	return s.events.Subscribe(ctx, names...)
}

// RemoveStaleImports deletes the import previews' clones an earlier
// process left; the instance calls it at open, before any preview starts.
func (s *Service) RemoveStaleImports() error { return s.imports.RemoveStaleImports() }

// RecoverRuns ends the template runs an earlier process left; the
// instance calls it at open, before any run starts.
func (s *Service) RecoverRuns(ctx context.Context) error { return s.templates.RecoverRuns(ctx) }

// WatchUpdates starts the daily update check in the background, for the
// window: shortly after the start, then whenever a day has passed, while
// the check is on. The instance's workers own it.
func (s *Service) WatchUpdates() error { return s.updates.watch() }

// WatchNotifications raises notifications in the centre from the
// events of the bus, as the notification settings ask, and shows them
// on the desktop through n when it is not nil (the window's; serve
// passes nil). The instance's workers own the watch.
func (s *Service) WatchNotifications(n notify.Notifier) error { return s.alerts.watch(n) }

// EnsureDemo writes the demo organisation as a git repository in the data
// dir and registers it on first start, so it takes the path real catalogs take.
func (s *Service) EnsureDemo(ctx context.Context) error { return s.locations.EnsureDemo(ctx) }

// RefreshListing brings the in-memory catalog table up to date with the
// store. Queries call it; the instance also calls it after each sync, so
// the first query after a large sync does not wait.
func (s *Service) RefreshListing(ctx context.Context) error { return s.rows.refresh(ctx) }

// WaitForSearch returns once every index update started so far is done,
// for tests and the one-shot CLI.
func (s *Service) WaitForSearch() { s.index.wait() }

// AfterSync follows a successful sync of a location; the instance calls
// it after each of the scheduler's syncs.
func (s *Service) AfterSync(ctx context.Context, locationID string) {
	s.syncs.AfterSync(ctx, locationID)
	s.facts.afterSync(locationID)
	s.facts.sweepLater()
}

// SyncPluginLocations makes the locations of plugins match the plugins;
// the instance calls it at open.
func (s *Service) SyncPluginLocations(ctx context.Context) error {
	defer s.facts.sweepLater() // a plugin removed while Callboard was closed
	return s.plugins.SyncPluginLocations(ctx)
}

// SyncInterval is the background sync interval the user chose, for the scheduler.
func (s *Service) SyncInterval(ctx context.Context) time.Duration {
	return s.settings.SyncInterval(ctx)
}

// PreviewImport implements API.
func (s *Service) PreviewImport(ctx context.Context, src ImportSource) (ImportPreview, error) {
	return s.imports.PreviewImport(ctx, src)
}

// ValidateEntityYAML implements API.
func (s *Service) ValidateEntityYAML(ctx context.Context, yaml string) (EntityValidation, error) {
	return s.imports.ValidateEntityYAML(ctx, yaml)
}

// Import implements API.
func (s *Service) Import(ctx context.Context, req ImportRequest) (ImportResult, error) {
	return s.imports.Import(ctx, req)
}
