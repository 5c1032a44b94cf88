package portal

import (
	"context"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/scorecard"
)

//go:generate go run ../../internal/apigen/cmd/apigen

// API is the portal as every front end sees it, and the one declaration of
// its contract: apigen generates the Wails bridge, the HTTP routes, the Go
// client and the TypeScript client from it (see README, "One contract").
// Each method's //api:http line says how it travels over HTTP: `{name}`
// in the path is the parameter of that name, as one escaped segment; the
// other parameters go in the query (GET, DELETE) or the JSON body (POST,
// PUT, PATCH), a single struct as the body itself; limit= raises the
// body's size limit from 64 KiB.
//
// The local Service implements it over the store; apiclient implements it
// over the socket of a running instance. Errors wrap ErrNotFound,
// ErrInvalid, ErrConflict or ErrBusy where those apply (ErrorOf gives
// their code); any other error is the portal's own failure.
type API interface {
	// Info says what the instance is.
	//
	//api:http GET /api/v1/info
	Info(ctx context.Context) (Info, error)
	// ListEntities returns a page of catalog rows matching query, with facets.
	//
	//api:http GET /api/v1/entities
	ListEntities(ctx context.Context, query EntityQuery) (EntityList, error)
	// GetEntity takes a ref of the form [kind:][namespace/]name.
	//
	//api:http GET /api/v1/entities/{ref}
	GetEntity(ctx context.Context, ref string) (EntityDetail, error)
	// ListLocations returns the registered locations and their sync state.
	//
	//api:http GET /api/v1/locations
	ListLocations(ctx context.Context) ([]Location, error)
	// AddLocation registers a catalog repository; the scheduler or the
	// caller syncs it. A location already registered is ErrConflict.
	//
	//api:http POST /api/v1/locations
	AddLocation(ctx context.Context, location NewLocation) (Location, error)
	// OrgRepos lists every repository of a discovered organisation's last
	// listing, with why those without catalog files have none and the
	// sync state of those with. A location that is no organisation is
	// ErrInvalid.
	//
	//api:http GET /api/v1/locations/{id}/repos
	OrgRepos(ctx context.Context, id string) ([]OrgRepo, error)
	// UpdateOrg changes a discovered organisation's filters and teams
	// switch (Forge cannot change); the next sync lists it again in full.
	//
	//api:http PUT /api/v1/locations/{id}/org
	UpdateOrg(ctx context.Context, id string, discovery Discovery) (Location, error)
	// PreviewImport reads a repository (a URL or a local repository's
	// folder) that is no location yet, one commit deep, within two
	// minutes, and says what importing it would add: the entities of its
	// catalog files with their verdicts, or, with none, a Component
	// generated for it. A repository that cannot be read is ErrInvalid,
	// saying why.
	//
	//api:http POST /api/v1/import/preview
	PreviewImport(ctx context.Context, source ImportSource) (ImportPreview, error)
	// ValidateEntityYAML gives the catalog's verdict on a catalog file's
	// text as if it were catalog-info.yaml, without storing anything.
	//
	//api:http POST /api/v1/import/validate limit=2MiB
	ValidateEntityYAML(ctx context.Context, yaml string) (EntityValidation, error)
	// Import adds a repository as a location and syncs it; with YAML, it
	// commits it as catalog-info.yaml through the outbox first (pushed by
	// that sync, or a later one). YAML the catalog would refuse is
	// ErrInvalid and adds nothing; a repository that cannot be read is
	// ErrInvalid and its location is removed again.
	//
	//api:http POST /api/v1/import limit=2MiB
	Import(ctx context.Context, request ImportRequest) (ImportResult, error)
	// RemoveLocation unregisters a location: its entities go with it, and
	// the derived locations only it lists. A location with changes made in
	// the app and not pushed, or one a catalog lists, is ErrConflict.
	//
	//api:http DELETE /api/v1/locations/{id}
	RemoveLocation(ctx context.Context, id string) error
	// Settings returns the user's settings, defaults filled in.
	//
	//api:http GET /api/v1/settings
	Settings(ctx context.Context) (Settings, error)
	// UpdateSettings stores new settings and returns them as stored.
	//
	//api:http PUT /api/v1/settings
	UpdateSettings(ctx context.Context, settings Settings) (Settings, error)
	// PatchSettings changes the settings present in patch, keeping the
	// others as stored (not as the caller last read them), and returns
	// them all as stored.
	//
	//api:http PATCH /api/v1/settings
	PatchSettings(ctx context.Context, patch SettingsPatch) (Settings, error)
	// RemoveDemo removes the demo organisation's location, as
	// RemoveLocation does, and keeps it away: it is not registered again
	// at the next start. Removing it when it is gone changes nothing.
	//
	//api:http DELETE /api/v1/demo
	RemoveDemo(ctx context.Context) error
	// RestoreDemo registers the demo organisation again (the caller syncs
	// it) and returns its location; when it is registered, it returns it
	// as it is. Another repository registered under its id is ErrConflict.
	//
	//api:http POST /api/v1/demo
	RestoreDemo(ctx context.Context) (Location, error)
	// Updates says what the last update check found, without reading the
	// feed.
	//
	//api:http GET /api/v1/updates
	Updates(ctx context.Context) (UpdateStatus, error)
	// CheckUpdates reads the release feed now, even when the daily check
	// is off, and returns what it found; a feed that cannot be read or
	// understood is reported in the status's Error, not as the error.
	//
	//api:http POST /api/v1/updates/check
	CheckUpdates(ctx context.Context) (UpdateStatus, error)
	// CredentialSources says, for each git host Callboard talks to (its
	// locations', the trusted and the remote read hosts), where its https
	// token comes from, or how to give it one; never the token itself.
	//
	//api:http GET /api/v1/credentials
	CredentialSources(ctx context.Context) ([]CredentialSource, error)
	// Sync syncs one location, or every one when locationID is "", and
	// returns the locations afterwards. A failed location is reported in its
	// LastError; the error return is for the call itself.
	//
	//api:http POST /api/v1/sync
	Sync(ctx context.Context, locationID string) ([]Location, error)
	// ReadFile returns a file of a location's repository as the catalog
	// shows it, unpushed changes included.
	//
	//api:http GET /api/v1/locations/{locationID}/file
	ReadFile(ctx context.Context, locationID, path string) (CatalogFile, error)
	// WriteFile commits a change to a catalog file in the location's
	// local clone and shows it in the catalog at once; the next sync
	// pushes it. A change the catalog would refuse is ErrInvalid, naming
	// the file, line and field, and nothing is committed. A catalog file
	// may be as large as the catalog reads: 10 MB, JSON-escaped.
	//
	//api:http POST /api/v1/outbox limit=24MiB
	WriteFile(ctx context.Context, write FileWrite) (OutboxEntry, error)
	// Outbox lists the commits made in the app that the remotes lack.
	//
	//api:http GET /api/v1/outbox
	Outbox(ctx context.Context) ([]OutboxEntry, error)
	// ResolveConflict settles an outbox conflict: keep "mine" commits the
	// app's versions again on top of the remote's; "theirs" lets the
	// remote's stand. The original commits stay on their branch.
	//
	//api:http POST /api/v1/outbox/{entryID}/resolve
	ResolveConflict(ctx context.Context, entryID, keep string) error
	// SettleReview acts on an outbox entry whose pull request was closed
	// unmerged: "discard" takes the change back (the catalog shows the
	// branch's version again), "reopen" reopens the pull request. An
	// entry without a closed pull request is ErrInvalid.
	//
	//api:http POST /api/v1/outbox/{entryID}/review
	SettleReview(ctx context.Context, entryID, action string) error
	// SetReviewMode sets how a location's edits reach its branch (see
	// ReviewMode); set on a discovered organisation, its repositories'
	// locations without a mode of their own take it. Forge "" keeps the
	// one named before. A mode or forge Callboard does not know is
	// ErrInvalid.
	//
	//api:http PUT /api/v1/locations/{id}/review
	SetReviewMode(ctx context.Context, id string, review ReviewMode) (Location, error)
	// UserState returns the user's identity, starred and recent entities.
	//
	//api:http GET /api/v1/me
	UserState(ctx context.Context) (UserState, error)
	// Open opens a file or folder of a local repository in the user's
	// editor, file manager or terminal.
	//
	//api:http POST /api/v1/open
	Open(ctx context.Context, request OpenRequest) error
	// SetStar stars an entity, or takes the star away.
	//
	//api:http POST /api/v1/stars
	SetStar(ctx context.Context, ref string, on bool) error
	// Visit notes that the user opened an entity, for "recently visited".
	//
	//api:http POST /api/v1/visits
	Visit(ctx context.Context, ref string) error
	// Graph returns the entities and relations around an entity.
	//
	//api:http GET /api/v1/graph
	Graph(ctx context.Context, query GraphQuery) (Graph, error)
	// History returns the commits that changed an entity's source file,
	// newest first, from the local clone; a shallow clone answers with
	// what it holds and says so.
	//
	//api:http GET /api/v1/entities/{ref}/history
	History(ctx context.Context, ref string, limit int) (EntityHistory, error)
	// InspectEntity says how an entity came to be in the catalog: the
	// chain of locations and Location files that reached its file, the
	// other entities of its file and location, the entity as stored with
	// the annotations the catalog adds, and the YAML document it was read
	// from at the commit processed (at most 1 MB; what cannot be read is
	// said in Raw.Missing, not as the error).
	//
	//api:http GET /api/v1/entities/{ref}/inspection
	InspectEntity(ctx context.Context, ref string) (EntityInspection, error)
	// UnregisterEntity takes an entity registered from the app out of the
	// catalog as it came in: the location the app added, when the
	// entity's file is its root (with every entity it provides), or,
	// through the outbox, the file a commit made in the app added. A dry
	// run only says which, and why; for an entity not registered from the
	// app it says how to take it out, and doing it is ErrConflict.
	//
	//api:http POST /api/v1/entities/{ref}/unregister
	UnregisterEntity(ctx context.Context, ref string, dryRun bool) (Unregistration, error)
	// DeepenHistory fetches the whole history of a location cloned
	// shallow (a repository an organisation listed) and keeps it whole
	// from then on, then syncs the location as Sync does, so the catalog
	// follows its branch if the fetch moved it (a failed sync is on the
	// location's record). A location without a repository of its own is
	// ErrInvalid.
	//
	//api:http POST /api/v1/locations/{id}/deepen
	DeepenHistory(ctx context.Context, id string) error
	// Problems lists what keeps the catalog from showing what its files
	// say: failed syncs, refused files and entities, entities kept at a
	// last good version, refused targets and failed pushes, each with the
	// commit that last changed its file. An unknown location is
	// ErrNotFound; an owner that is not a ref, ErrInvalid.
	//
	//api:http GET /api/v1/problems
	Problems(ctx context.Context, query ProblemQuery) (ProblemList, error)
	// Scorecards lists the Scorecard entities, each with its checks and how
	// many entities are at each of its levels.
	//
	//api:http GET /api/v1/scorecards
	Scorecards(ctx context.Context) ([]scorecard.Summary, error)
	// Scorecard is one scorecard's page: its checks, how each owner's
	// entities spread over its levels, and its entities, best level first;
	// owner, when set, keeps that owner's entities (a ref, kind Group by
	// default). A ref that does not parse is ErrInvalid; no such scorecard,
	// ErrNotFound.
	//
	//api:http GET /api/v1/scorecards/{ref}
	Scorecard(ctx context.Context, ref string, owner string) (scorecard.Detail, error)
	// EntityScorecards is an entity's result on every scorecard that
	// applies to it: its level and each check, passed or failed and why.
	// A ref that does not parse is ErrInvalid; no such entity, ErrNotFound.
	//
	//api:http GET /api/v1/entities/{ref}/scorecards
	EntityScorecards(ctx context.Context, ref string) ([]scorecard.EntityScore, error)
	// EntityScorecardHistory is an entity's level on each scorecard that
	// applies to it, at each commit (oldest first; 50 at most, a year
	// back) that changed its catalog file or a file its checks read.
	// Facts and relations are not historical: checks reading them are
	// left out and named. An entity without a clone has no points. A ref
	// that does not parse is ErrInvalid; no such entity, ErrNotFound.
	//
	//api:http GET /api/v1/entities/{ref}/scorecards/history
	EntityScorecardHistory(ctx context.Context, ref string) ([]scorecard.ScoreHistory, error)
	// GroupScorecards rolls up the entities a group owns on every
	// scorecard (ref: kind Group by default). A ref that does not parse is
	// ErrInvalid; no such entity, ErrNotFound.
	//
	//api:http GET /api/v1/groups/{ref}/scorecards
	GroupScorecards(ctx context.Context, ref string) (scorecard.GroupRollup, error)
	// Notifications says what raises a notification: each kind on or
	// off, and for new problems, those of entities the user owns unless
	// turned off and every one of the locations listed.
	//api:http GET /api/v1/notifications
	Notifications(ctx context.Context) (NotificationSettings, error)
	// SetNotifications changes the notification settings change carries
	// and returns them all. An unknown location is ErrNotFound; a
	// location id without on or off, a kind without on or off or an
	// unknown kind, ErrInvalid.
	//api:http PATCH /api/v1/notifications
	SetNotifications(ctx context.Context, change NotificationChange) (NotificationSettings, error)
	// ListNotifications is the notification centre: the notifications
	// kept (the last 500), newest first, and how many are unread.
	//
	//api:http GET /api/v1/notification-centre
	ListNotifications(ctx context.Context) (NotificationList, error)
	// ReadNotifications marks notifications read, those named or all,
	// and returns the centre; naming none without all, or more than 500,
	// is ErrInvalid. An id not kept is ignored.
	//
	//api:http POST /api/v1/notification-centre/read
	ReadNotifications(ctx context.Context, read NotificationsRead) (NotificationList, error)
	// ClearNotifications empties the centre and returns it; what was in
	// it is still never notified again.
	//
	//api:http DELETE /api/v1/notification-centre
	ClearNotifications(ctx context.Context) (NotificationList, error)
	// Questions lists the questions of every location's questions/
	// folder, newest first: all or the unanswered, by tag, about an
	// entity; with the tags' counts and the files refused. A filter other
	// than "" or "unanswered", or an entity that is not a ref, is
	// ErrInvalid.
	//
	//api:http GET /api/v1/questions
	Questions(ctx context.Context, query QuestionQuery) (QuestionList, error)
	// Question returns a question (id <location>/<slug>) with its
	// answers, rendered; an unknown one is ErrNotFound.
	//
	//api:http GET /api/v1/questions/{id}
	Question(ctx context.Context, id string) (QuestionDetail, error)
	// AskQuestion commits a new question through the outbox of its
	// location (pushed, or a pull request, by the location's rule), as
	// the user; a missing title or a malformed field is ErrInvalid.
	//
	//api:http POST /api/v1/questions
	AskQuestion(ctx context.Context, question NewQuestion) (QuestionDetail, error)
	// AnswerQuestion commits an answer, its own file, through the outbox.
	// Empty text is ErrInvalid.
	//
	//api:http POST /api/v1/questions/{id}/answers
	AnswerQuestion(ctx context.Context, id string, body string) (QuestionDetail, error)
	// VoteQuestion adds one to the votes of the question or one of its
	// answers, through the outbox. A second vote by the same user from
	// this app is ErrConflict.
	//
	//api:http POST /api/v1/questions/{id}/vote
	VoteQuestion(ctx context.Context, id string, vote QuestionVote) (QuestionDetail, error)
	// AcceptAnswer marks an answer accepted, through the outbox; only the
	// question's author may (otherwise ErrInvalid).
	//
	//api:http POST /api/v1/questions/{id}/accept
	AcceptAnswer(ctx context.Context, id string, answer string) (QuestionDetail, error)
	// EntityDecisions lists the architecture decision records of the
	// folder an entity's backstage.io/adr-location annotation names (MADR
	// and Nygard files named NNNN-*.md), by number, with the files
	// refused. An entity without the annotation is ErrNotFound.
	//
	//api:http GET /api/v1/entities/{ref}/decisions
	EntityDecisions(ctx context.Context, ref string) (DecisionList, error)
	// Decision returns one of an entity's decision records (file, its path
	// within the folder) rendered as sanitised HTML; an unknown one is
	// ErrNotFound.
	//
	//api:http GET /api/v1/entities/{ref}/decision
	Decision(ctx context.Context, ref, file string) (DecisionDetail, error)
	// Search finds entities, docs and templates by text, with facets.
	//
	//api:http GET /api/v1/search
	Search(ctx context.Context, query SearchQuery) (SearchResult, error)
	// ListDocs lists the entities with TechDocs.
	//
	//api:http GET /api/v1/docs
	ListDocs(ctx context.Context) ([]DocsEntry, error)
	// Docs returns an entity's TechDocs site: its navigation and pages.
	//
	//api:http GET /api/v1/docs/{ref}
	Docs(ctx context.Context, ref string) (DocsSite, error)
	// DocsPage renders one page of an entity's TechDocs ("" for the home page).
	//
	//api:http GET /api/v1/docs/{ref}/page
	DocsPage(ctx context.Context, ref, page string) (DocsPage, error)
	// OpenDocsPreview opens a docs folder on disk (one holding mkdocs.yml
	// or a docs/ folder), uncommitted, as a preview: its pages render as
	// synced docs do, from the working tree, and docs:changed follows
	// each save. Opening a folder already open returns its preview. A
	// path that is not absolute or not a folder is ErrInvalid; a folder
	// without Markdown pages, ErrNotFound.
	//
	//api:http POST /api/v1/docs-previews
	OpenDocsPreview(ctx context.Context, dir string) (DocsPreview, error)
	// DocsPreview reads an open preview's site as the folder has it now.
	//
	//api:http GET /api/v1/docs-previews/{id}
	DocsPreview(ctx context.Context, id string) (DocsPreview, error)
	// DocsPreviewPage renders a page of an open preview ("" for the home
	// page). A folder that does not read as a site just now is ErrConflict.
	//
	//api:http GET /api/v1/docs-previews/{id}/page
	DocsPreviewPage(ctx context.Context, id, page string) (DocsPage, error)
	// CloseDocsPreview stops watching a preview's folder.
	//
	//api:http DELETE /api/v1/docs-previews/{id}
	CloseDocsPreview(ctx context.Context, id string) error
	// Template reads a software template for its form.
	//
	//api:http GET /api/v1/templates/{ref}
	Template(ctx context.Context, ref string) (TemplateDetail, error)
	// Scaffold starts a template run (and waits for its end when asked);
	// progress comes as scaffold:progress events, the end as scaffold:done.
	//
	//api:http POST /api/v1/runs limit=4MiB
	Scaffold(ctx context.Context, request ScaffoldRequest) (ScaffoldRun, error)
	// ScaffoldRuns is the history of template runs, newest first.
	//
	//api:http GET /api/v1/runs
	ScaffoldRuns(ctx context.Context) ([]ScaffoldRun, error)
	// RunHistory pages through the history of template runs, newest
	// first, as summaries.
	//
	//api:http GET /api/v1/run-history
	RunHistory(ctx context.Context, query RunQuery) (RunPage, error)
	// ScaffoldActions lists every action a template's step can name: built
	// in, from plugins, and Backstage's that are skipped or cannot run
	// here, each with its schemas and an example step.
	//
	//api:http GET /api/v1/scaffold/actions
	ScaffoldActions(ctx context.Context) ([]ScaffoldAction, error)
	// TemplateExtensions lists the filters and globals of a template's
	// ${{ }}, each with its signature and an example.
	//
	//api:http GET /api/v1/scaffold/extensions
	TemplateExtensions(ctx context.Context) (TemplateExtensions, error)
	// EvaluateTemplate renders one expression with the given values as a
	// step's input is rendered, within 16 KiB of expression, 64 KiB of
	// values and output, and two seconds.
	//
	//api:http POST /api/v1/scaffold/evaluate
	EvaluateTemplate(ctx context.Context, request TemplateEvaluation) (TemplateEvaluated, error)
	// ScaffoldRun reads one run.
	//
	//api:http GET /api/v1/runs/{id}
	ScaffoldRun(ctx context.Context, id string) (ScaffoldRun, error)
	// CancelScaffold stops a run; nothing of it is left in the target.
	//
	//api:http POST /api/v1/runs/{id}/cancel
	CancelScaffold(ctx context.Context, id string) error
	// TemplateUpdates lists the projects on this machine (folders template
	// runs made, locations that are folders here) whose template moved
	// past the commit recorded in their .callboard/template.json, each
	// with the template's commits since; a project whose update cannot be
	// worked out is listed with the problem.
	//
	//api:http GET /api/v1/template-updates
	TemplateUpdates(ctx context.Context) ([]TemplateUpdateSummary, error)
	// EntityTemplateUpdate says whether the template of the project an
	// entity lives in moved on; Available is false for an entity of no
	// such project. An unknown entity is ErrNotFound.
	//
	//api:http GET /api/v1/entities/{ref}/template-update
	EntityTemplateUpdate(ctx context.Context, ref string) (TemplateUpdateSummary, error)
	// PreviewTemplateUpdate re-renders a project's template at its
	// recorded commit and at the new one with the project's answers, and
	// shows the three-way merge into the project file by file, writing
	// nothing. A folder without a record is ErrNotFound; a new required
	// question without an answer, ErrInvalid.
	//
	//api:http POST /api/v1/template-updates/preview limit=1MiB
	PreviewTemplateUpdate(ctx context.Context, request TemplateUpdateRequest) (TemplateUpdatePreview, error)
	// ApplyTemplateUpdate commits the merge on a new branch of the
	// project's checkout (callboard/template-update/<commit>), conflict
	// markers and all, with the new record. A checkout with uncommitted
	// changes, or with that branch already, is ErrConflict; a folder that
	// is not a git checkout, ErrInvalid.
	//
	//api:http POST /api/v1/template-updates/apply limit=1MiB
	ApplyTemplateUpdate(ctx context.Context, request TemplateUpdateRequest) (TemplateUpdateApplied, error)
	// PushTemplateUpdate takes an applied update's branch to the remote of
	// the project's checkout (its origin) through the outbox: pushed now
	// when it can be, else queued (offline) and tried again at each sync.
	// It goes to callboard/template-update/<template name>, so a newer
	// update replaces the branch an older one pushed, while the remote
	// branch is still what Callboard pushed there (failed,
	// nonFastForward, otherwise). With PullRequest it opens the pull
	// request (or finds the one open), titled "Update from template
	// <name> (<short commit>)", the template's commits in its body. A
	// relative folder, one that is no checkout, or a branch that is no
	// update's is ErrInvalid; an unknown branch, ErrNotFound.
	//
	//api:http POST /api/v1/template-updates/push
	PushTemplateUpdate(ctx context.Context, request TemplateUpdatePushRequest) (TemplateUpdatePush, error)
	// TemplateUpdatePushes lists the pushes of template updates of the
	// project in dir, or of every project when dir is "".
	//
	//api:http GET /api/v1/template-updates/pushes
	TemplateUpdatePushes(ctx context.Context, dir string) ([]TemplateUpdatePush, error)
	// OpenWorkbench opens a template in a folder of the user's disk (an
	// absolute path: the folder, holding template.yaml or one YAML file
	// with kind: Template, or the file) for its author, uncommitted and
	// unsynced: the folder is followed, and each save publishes
	// workbench:changed with the form read again. A folder open already
	// answers with its session. A path that does not exist is
	// ErrNotFound; one that holds no template, ErrInvalid.
	//
	//api:http POST /api/v1/workbench
	OpenWorkbench(ctx context.Context, dir string) (Workbench, error)
	// Workbench reads a workbench as it stands. An unknown or closed one
	// is ErrNotFound.
	//
	//api:http GET /api/v1/workbench/{id}
	Workbench(ctx context.Context, id string) (Workbench, error)
	// WorkbenchDryRun runs a workbench's template with the form's values
	// without writing anything but a private workspace it removes, and
	// compares the files with the dry run before. A newer dry run of the
	// same workbench cancels one still running. A template that does not
	// read yet is ErrInvalid.
	//
	//api:http POST /api/v1/workbench/{id}/dry-run limit=4MiB
	WorkbenchDryRun(ctx context.Context, id string, request WorkbenchRunRequest) (WorkbenchRun, error)
	// CloseWorkbench stops following a workbench's folder. An unknown or
	// closed one is ErrNotFound.
	//
	//api:http DELETE /api/v1/workbench/{id}
	CloseWorkbench(ctx context.Context, id string) error
	// Plugins lists the installed plugins and their state.
	//
	//api:http GET /api/v1/plugins
	Plugins(ctx context.Context) ([]PluginInfo, error)
	// SetPlugin turns a plugin on or off and configures it.
	//
	//api:http PUT /api/v1/plugins
	SetPlugin(ctx context.Context, settings PluginSettings) (PluginInfo, error)
	// PluginLog is a plugin's recent stderr and the host's notes on it.
	//
	//api:http GET /api/v1/plugins/{name}/log
	PluginLog(ctx context.Context, name string) ([]string, error)
	// EntityPlugins is what the plugins show for an entity.
	//
	//api:http GET /api/v1/entities/{ref}/plugins
	EntityPlugins(ctx context.Context, ref string) ([]PluginContent, error)
	// RunViewAction runs an action a plugin's view offered for an entity
	// (a button or link in it: logs, events, a restart) and returns the
	// blocks to show in its place; a plugin that cannot answer gives the
	// reason in Error. An action the plugin's last content for the entity
	// did not offer, with those parameters, is ErrInvalid: the window is
	// no authority on what a plugin may be asked to do. An unknown entity
	// or plugin is ErrNotFound.
	//
	//api:http POST /api/v1/entities/{ref}/plugin-actions
	RunViewAction(ctx context.Context, ref string, call PluginActionCall) (PluginActionResult, error)
	// PluginPages are the pages the enabled plugins add, each a navigation
	// entry, by navigation order.
	//
	//api:http GET /api/v1/plugin-pages
	PluginPages(ctx context.Context) ([]PluginPage, error)
	// PluginPage draws a plugin's page with the address's query params.
	// A plugin or page that is not there (or turned off) is ErrNotFound; a
	// plugin that cannot answer gives the page with Error.
	//
	//api:http GET /api/v1/plugin-pages/{plugin}/{page}
	PluginPage(ctx context.Context, plugin, page string, params map[string]string) (PluginPageContent, error)
	// HomeCards are the cards the plugins add to Home, for the user: one
	// PluginContent per plugin, with Error when it cannot answer.
	//
	//api:http GET /api/v1/home/plugin-cards
	HomeCards(ctx context.Context) ([]PluginContent, error)
	// EntityActions are the menu items the plugins offer on an entity's page.
	//
	//api:http GET /api/v1/entities/{ref}/plugin-menu
	EntityActions(ctx context.Context, ref string) ([]PluginEntityAction, error)
	// RunEntityAction runs a plugin's menu item for an entity. An action
	// not offered for it is ErrNotFound; a plugin that cannot answer is
	// ErrBusy (unavailable), with why.
	//
	//api:http POST /api/v1/entities/{ref}/plugin-menu
	RunEntityAction(ctx context.Context, ref string, action EntityActionCall) (EntityActionResult, error)
	// ReportFrontendError logs an error the UI met, so a window without
	// developer tools still leaves a trace; floods are cut short.
	//
	//api:http POST /api/v1/frontend-errors
	ReportFrontendError(ctx context.Context, report FrontendError) error
	// Subscribe follows the events named (every event when none is; Events
	// declares them) until ctx ends, when the channel closes. It returns
	// once subscribed, so no event published after it returns is missed;
	// a listener that falls behind misses events rather than holding up
	// the publisher. An unknown name is ErrInvalid.
	//
	//api:http GET /api/v1/events
	Subscribe(ctx context.Context, names ...string) (<-chan events.Event, error)
}
