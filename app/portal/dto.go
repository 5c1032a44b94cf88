package portal

import (
	"encoding/json"

	"github.com/callboard/callboard/app/scorecard"
	"github.com/callboard/callboard/app/techdocs"
	"github.com/callboard/callboard/plugins/host"
)

// The DTOs below are the JSON shapes every front end sees (Wails bindings,
// the HTTP API and the CLI's --json). Times are RFC 3339 strings. apigen
// generates their TypeScript twins (frontend/src/api/types.gen.ts) with
// the doc comments, so what is written here is what the UI's code reads.

// Info describes the running instance.
type Info struct {
	Version string `json:"version"`
	// Commit, BuildDate (RFC 3339), Go, Wails and StoreFormat say which
	// build runs, for the About dialog; "" or 0 when unknown.
	Commit      string `json:"commit"`
	BuildDate   string `json:"buildDate"`
	Go          string `json:"go"`
	Wails       string `json:"wails"`
	StoreFormat int    `json:"storeFormat"`
	DataDir     string `json:"dataDir"`
	Mode        string `json:"mode"` // "desktop", "serve" or "cli"
	Entities    int    `json:"entities"`
	Locations   int    `json:"locations"`
	StartedAt   string `json:"startedAt"`
	// Language is the user's language from the environment (BCP 47, e.g.
	// "de-DE"), or "" when it names none (C, POSIX, unset): the UI then
	// falls back to the browser's languages, then English.
	Language string `json:"language"`
	// FrontendErrors counts the errors the UI reported since the start.
	FrontendErrors int64 `json:"frontendErrors"`
}

// FrontendError is an error the UI met: one its error boundaries caught,
// one nothing caught, or a console error. The portal logs it.
type FrontendError struct {
	// Kind is "boundary", "error", "unhandledrejection" or "console".
	Kind string `json:"kind"`
	// Route is the page's route (the URL's hash), e.g. "/catalog/component/default/x".
	Route string `json:"route"`
	// Where names what failed, e.g. "plugin view ci/runs" or "page".
	Where   string `json:"where,omitempty"`
	Message string `json:"message"`
	Stack   string `json:"stack,omitempty"`
}

// EntityQuery selects entities for the catalog list. Empty fields match all.
type EntityQuery struct {
	Kind string `json:"kind,omitempty"`
	// Text matches name, title and description, case-insensitively.
	Text string `json:"text,omitempty"`
	// Filters match entity fields by dotted path, e.g. "spec.type": "service",
	// as Backstage's catalog filters do: keys and values in any case, an
	// array matching any of its items. All must match; they are answered
	// from an index, with the facets and sort as for any query.
	Filters map[string]string `json:"filters,omitempty"`
	// Facets maps kind, type, owner, lifecycle, tag, namespace or system
	// to the values wanted; values of one facet are alternatives.
	Facets map[string][]string `json:"facets,omitempty"`
	// Starred keeps the user's starred entities; Mine those owned by the
	// user or their groups; HasErrors those whose newest version was refused.
	Starred   bool `json:"starred,omitempty"`
	Mine      bool `json:"mine,omitempty"`
	HasErrors bool `json:"hasErrors,omitempty"`
	// WithoutLevels leaves out the rows' scorecard levels and the level
	// facet, for a list that shows neither (the CLI's table): when no
	// evaluation is current, they cost one of every scorecard over the
	// whole catalog. A level facet asked for still filters.
	WithoutLevels bool `json:"withoutLevels,omitempty"`
	// Sort is name, kind, type, owner, lifecycle, system or namespace
	// ("" is kind, then name); Desc reverses it.
	Sort   string `json:"sort,omitempty"`
	Desc   bool   `json:"desc,omitempty"`
	Offset int    `json:"offset,omitempty"`
	Limit  int    `json:"limit,omitempty"`
}

// EntitySummary is one row of the catalog list.
type EntitySummary struct {
	Ref         string   `json:"ref"` // kind:namespace/name, lower-cased
	Kind        string   `json:"kind"`
	Namespace   string   `json:"namespace"`
	Name        string   `json:"name"`
	Title       string   `json:"title,omitempty"`
	Description string   `json:"description,omitempty"`
	Owner       string   `json:"owner,omitempty"` // an entity ref
	Type        string   `json:"type,omitempty"`
	Lifecycle   string   `json:"lifecycle,omitempty"`
	System      string   `json:"system,omitempty"`
	Tags        []string `json:"tags"`
	// Pending marks an entity whose file has a change made in the app
	// that is not pushed yet.
	Pending bool `json:"pending,omitempty"`
	// Review, set when the change is in a pull request, makes the
	// version shown "yours, not merged": the pull request's link and state.
	Review  *EntityReview `json:"review,omitempty"`
	Starred bool          `json:"starred,omitempty"`
	// HasErrors marks an entity whose newest version was refused.
	HasErrors bool `json:"hasErrors,omitempty"`
	// LocationID is the location the entity comes from: DemoLocationID
	// marks the demo organisation's.
	LocationID string `json:"locationId,omitempty"`
	// Levels are its levels on the scorecards that apply to it (the
	// catalog's Level column), in catalog lists only.
	Levels []scorecard.LevelTag `json:"levels,omitempty"`
}

// EntityList is a page of catalog rows; Total counts all matches. Facets
// count, per facet, the values among entities matching every other part
// of the query.
type EntityList struct {
	Items  []EntitySummary         `json:"items"`
	Total  int                     `json:"total"`
	Facets map[string][]FacetCount `json:"facets,omitempty"`
}

// FacetCount is how many matching entities have a facet value.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Identity is who the user is in the catalog: a User entity chosen in
// Settings, or found by git's user.email; empty when neither says.
type Identity struct {
	UserRef string `json:"userRef,omitempty"`
	Name    string `json:"name,omitempty"`
	Email   string `json:"email,omitempty"`
	// Groups are the groups the user is a member of.
	Groups []string `json:"groups"`
	// Source is "settings", "git" or "" (unknown).
	Source string `json:"source,omitempty"`
}

// UserState is the user's identity and the entities they keep at hand.
type UserState struct {
	Identity Identity        `json:"identity"`
	Starred  []EntitySummary `json:"starred"`
	Recent   []EntitySummary `json:"recent"`
}

// Relation is one outgoing edge of an entity.
type Relation struct {
	Type      string `json:"type"`
	TargetRef string `json:"targetRef"`
	// Missing is set when no location provides the target: the relation is
	// kept, as in Backstage, and shown as pointing nowhere.
	Missing bool `json:"missing,omitempty"`
}

// Source says where an entity was read from.
type Source struct {
	LocationID string `json:"locationId"`
	File       string `json:"file"`
	Line       int    `json:"line"`
	Commit     string `json:"commit"`
}

// EntityReview is the pull request holding a change to an entity's
// file made in the app: State open, changesRequested, merged (not yet
// on the synced branch) or closed; EntryID is the outbox entry, for
// SettleReview. Number and URL are empty until it is opened.
type EntityReview struct {
	EntryID string `json:"entryId"`
	Number  int    `json:"number,omitempty"`
	URL     string `json:"url,omitempty"`
	State   string `json:"state,omitempty"`
}

// EntityDetail is everything the entity page shows.
type EntityDetail struct {
	EntitySummary
	Entity    map[string]any `json:"entity"`
	Relations []Relation     `json:"relations"`
	Source    Source         `json:"source"`
	YAML      string         `json:"yaml"`
	// Errors are why the newest version in git was refused; the entity
	// shown is then its last good version.
	Errors []ProcessingError `json:"errors,omitempty"`
	// Remote, when set, says when the parts placeholders read by URL were
	// read.
	Remote *RemoteParts `json:"remote,omitempty"`
	// Backstage is set on an entity read from an organisation's
	// Backstage: from where and when, and where an edit goes.
	Backstage *EntityBackstage `json:"backstage,omitempty"`
}

// EntityBackstage says where an entity read from a Backstage comes from.
type EntityBackstage struct {
	BaseURL string `json:"baseUrl"`
	// StoredAt is when the backend last answered a whole read (RFC 3339):
	// the entity is as it had it then; "" before the first.
	StoredAt string `json:"storedAt,omitempty"`
	// Repo is the repository an edit of the entity is committed to (its
	// managed-by-location's), File the file there; "" when the Backstage
	// names no file it came from, and the entity cannot be edited here.
	Repo string `json:"repo,omitempty"`
	File string `json:"file,omitempty"`
}

// RemoteParts says when the files an entity's placeholders name by URL
// were read.
type RemoteParts struct {
	URLs []string `json:"urls"`
	// ReadAt is when the oldest of them was last read from (or confirmed
	// by) its server, RFC 3339.
	ReadAt string `json:"readAt"`
	// Stale, when set, says why some could not be read at the last sync:
	// the copies kept from ReadAt are shown.
	Stale string `json:"stale,omitempty"`
}

// ProcessingError is one problem found processing a catalog file.
type ProcessingError struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// Location is a registered catalog repository and its sync state.
type Location struct {
	ID     string `json:"id"`
	URL    string `json:"url"`
	Branch string `json:"branch,omitempty"`
	Path   string `json:"path"`
	// Status is "pending" (never synced), "ok", "stale" (the last sync
	// failed; the entities of the last good one are kept) or "error"
	// (never synced successfully).
	Status      string `json:"status"`
	HeadCommit  string `json:"headCommit,omitempty"`
	LastSyncAt  string `json:"lastSyncAt,omitempty"`
	StaleSince  string `json:"staleSince,omitempty"`
	LastError   string `json:"lastError,omitempty"`
	Entities    int    `json:"entities"`
	ProcessErrs int    `json:"processingErrors"`
	// Unpushed counts commits made in the app waiting for the remote;
	// Conflicts those kept on a branch because the remote changed the same files.
	Unpushed  int `json:"unpushed,omitempty"`
	Conflicts int `json:"conflicts,omitempty"`
	// ListedBy are the locations whose Location entities list files of
	// this one's repository: it is shown under them.
	ListedBy []string `json:"listedBy,omitempty"`
	// Derived says Callboard added the location for them, and removes it
	// once none lists it.
	Derived bool `json:"derived,omitempty"`
	// Roots are the files read, when that is more than Path: Path and
	// those the listing locations name.
	Roots []string `json:"roots,omitempty"`
	// Refused are targets of its Location entities not followed, and why.
	Refused []ProcessingError `json:"refused,omitempty"`
	// Org is set on a discovered organisation: what it discovers and
	// what its last listing found. Its repositories with catalog files
	// are derived locations listed by it.
	Org *OrgSummary `json:"org,omitempty"`
	// Backstage is set on an organisation's Backstage: where it is and
	// what its last read did.
	Backstage *BackstageSummary `json:"backstage,omitempty"`
	// SourceOf is set on a hidden clone of a repository the entities of
	// that Backstage location come from, made for an edit, history or
	// docs: it reads no entities, and is shown under its Backstage.
	SourceOf string `json:"sourceOf,omitempty"`
	// RepoID is the forge's id of the repository a derived location of
	// an organisation holds (OrgRepo.ID).
	RepoID string `json:"repoId,omitempty"`
	// ReviewMode is how the location's edits reach its branch, as set ("" for
	// a location of a discovered organisation that takes the
	// organisation's); ReviewDetected what detection found (direct or
	// pr), ReviewForge the forge named for its host. InReview counts its
	// changes waiting in pull requests.
	ReviewMode     string `json:"reviewMode,omitempty"`
	ReviewDetected string `json:"reviewDetected,omitempty"`
	ReviewForge    string `json:"reviewForge,omitempty"`
	InReview       int    `json:"inReview,omitempty"`
}

// NewLocation is a catalog repository to register: a URL (https, ssh,
// file://) or a local path, an optional branch (the remote's default when
// empty), and the catalog file or glob inside it (catalog-info.yaml when empty).
type NewLocation struct {
	URL    string `json:"url"`
	Branch string `json:"branch,omitempty"`
	Path   string `json:"path,omitempty"`
	// Discover makes the location an organisation (https://github.com/ACME,
	// https://gitlab.com/group): its repositories are listed through its
	// forge's API, and those with catalog files become its derived
	// locations. Branch and Path are then unused: Discover has its own.
	Discover *Discovery `json:"discover,omitempty"`
	// Backstage makes the location an organisation's Backstage
	// (https://backstage.acme.example): its entities are read from the
	// backend's catalog API with the host's token from the OS keyring
	// (callboard token set HOST). Branch and Path are then unused.
	Backstage bool `json:"backstage,omitempty"`
}

// BackstageSummary is an organisation's Backstage and its last read.
type BackstageSummary struct {
	BaseURL string `json:"baseUrl"`
	// ReadAt is when the backend last answered a whole read (RFC 3339):
	// the entities are as it had them then; "" before the first.
	ReadAt string `json:"readAt,omitempty"`
	// Requests are the requests the last sync made; Changed the entities
	// it read again, Removed those it removed.
	Requests int `json:"requests"`
	Changed  int `json:"changed"`
	Removed  int `json:"removed"`
}

// Discovery says how an organisation is discovered: which of its
// repositories count and where their catalog files are, as Backstage's
// entity providers name these filters.
type Discovery struct {
	// Forge is github or gitlab, for a host Callboard does not know
	// (GitHub Enterprise Server, a self-managed GitLab); "" otherwise.
	Forge string `json:"forge,omitempty"`
	// CatalogPath is the catalog file's path, or a glob like
	// .backstage/*.yaml (catalog-info.yaml when empty).
	CatalogPath string `json:"catalogPath,omitempty"`
	// Branch is looked at in every repository (its default when empty).
	Branch string `json:"branch,omitempty"`
	// Repository is a regular expression the name must match whole.
	Repository    string   `json:"repository,omitempty"`
	TopicsInclude []string `json:"topicsInclude,omitempty"`
	TopicsExclude []string `json:"topicsExclude,omitempty"`
	// Visibility keeps only these (public, private, internal); all when
	// empty.
	Visibility      []string `json:"visibility,omitempty"`
	ExcludeForks    bool     `json:"excludeForks,omitempty"`
	IncludeArchived bool     `json:"includeArchived,omitempty"`
	// Teams imports the organisation's teams and members as Group and
	// User entities.
	Teams bool `json:"teams,omitempty"`
}

// OrgSummary is a discovered organisation's filters and last listing.
type OrgSummary struct {
	Forge string `json:"forge"`
	Host  string `json:"host"`
	Owner string `json:"owner"`
	// Discovery are its filters and teams switch, as AddLocation and
	// UpdateOrg take them.
	Discovery Discovery `json:"discovery"`
	// ListedAt is when the forge last gave or confirmed the listing
	// (RFC 3339): the repositories were last seen then; "" before the
	// first.
	ListedAt   string `json:"listedAt,omitempty"`
	Repos      int    `json:"repos"`
	Catalogued int    `json:"catalogued"`
	// Requests are the API requests the last listing made.
	Requests int `json:"requests"`
	// RateLimit and RateRemaining are the host's API budget as last
	// reported (RateLimit 0: not known), RateResetAt when it refills.
	RateLimit     int    `json:"rateLimit,omitempty"`
	RateRemaining int    `json:"rateRemaining,omitempty"`
	RateResetAt   string `json:"rateResetAt,omitempty"`
}

// OrgRepo is one repository of a discovered organisation's last listing.
type OrgRepo struct {
	// ID is the forge's id, kept across renames.
	ID       string `json:"id"`
	FullName string `json:"fullName"`
	URL      string `json:"url"`
	WebURL   string `json:"webUrl,omitempty"`
	Branch   string `json:"branch,omitempty"`
	// Files are its catalog files; none when Skipped says why: noFile,
	// filtered, archived, noAccess, noBranch.
	Files      []string `json:"files"`
	Skipped    string   `json:"skipped,omitempty"`
	Archived   bool     `json:"archived,omitempty"`
	Fork       bool     `json:"fork,omitempty"`
	Visibility string   `json:"visibility,omitempty"`
	LastSeen   string   `json:"lastSeen"`
	// LocationID is the derived location holding it, "" for none (yet:
	// until the organisation's next sync); Status is that location's.
	LocationID string `json:"locationId,omitempty"`
	Status     string `json:"status,omitempty"`
}

// Settings are the user's choices.
type Settings struct {
	// SyncIntervalMinutes is how often every location syncs in the
	// background, from 1 to 1440 (a day).
	SyncIntervalMinutes int `json:"syncIntervalMinutes"`
	// UserRef is the User entity the user says they are; "" uses git's
	// user.email.
	UserRef string `json:"userRef,omitempty"`
	// Toolkit is the user's links on Home: http or https, at most 30.
	Toolkit []Link `json:"toolkit"`
	// Editor and Terminal are commands ("code -g", "kitty") to open files
	// and folders with; "" uses VS Code when installed, else the system's.
	Editor   string `json:"editor,omitempty"`
	Terminal string `json:"terminal,omitempty"`
	// TrustedGitHosts are hosts (github.com, git.example:8443) that get
	// CALLBOARD_GIT_TOKEN and that templates may publish to, besides the
	// hosts of locations; at most 50.
	TrustedGitHosts []string `json:"trustedGitHosts"`
	// DocsImageHosts are the hosts whose images TechDocs pages show
	// without asking (lower case, host or host:port, at most 500).
	DocsImageHosts []string `json:"docsImageHosts,omitempty"`
	// RemoteReadHosts are hosts (specs.example.com, git.example:8443)
	// whose files catalog placeholders may read by URL, besides the hosts
	// of locations and trusted git hosts; at most 200.
	RemoteReadHosts []string `json:"remoteReadHosts,omitempty"`
	// QuestionsLocation is the Q&A location: the id of the synced
	// repository new questions go to when they name no entity whose
	// location could take them; "" for the first repository.
	QuestionsLocation string `json:"questionsLocation,omitempty"`
	// WelcomeDismissed is set once the user leaves the first-run welcome
	// (Home shows it while no location but the demo is registered).
	WelcomeDismissed bool `json:"welcomeDismissed"`
	// DemoRemoved says the user removed the demo organisation: it stays
	// away until RestoreDemo. Only RemoveDemo and RestoreDemo change it.
	DemoRemoved bool `json:"demoRemoved"`
	// UpdateCheck turns the daily check for a newer release on (the default).
	UpdateCheck bool `json:"updateCheck"`
	// UpdateFeedURL is the release feed the check reads: GitHub's releases
	// API or a plain {version, url, notes} JSON, https; "" for Callboard's
	// own releases (UpdateStatus.FeedURL says which is read).
	UpdateFeedURL string `json:"updateFeedUrl,omitempty"`
	// DismissedUpdate is the version whose update notice the user closed.
	DismissedUpdate string `json:"dismissedUpdate,omitempty"`
}

// SettingsPatch changes some of the user's settings: each field present
// is set (a list whole), the others are kept as stored. Settings says what
// each field holds.
type SettingsPatch struct {
	SyncIntervalMinutes *int      `json:"syncIntervalMinutes,omitempty"`
	UserRef             *string   `json:"userRef,omitempty"`
	Toolkit             *[]Link   `json:"toolkit,omitempty"`
	Editor              *string   `json:"editor,omitempty"`
	Terminal            *string   `json:"terminal,omitempty"`
	TrustedGitHosts     *[]string `json:"trustedGitHosts,omitempty"`
	DocsImageHosts      *[]string `json:"docsImageHosts,omitempty"`
	RemoteReadHosts     *[]string `json:"remoteReadHosts,omitempty"`
	WelcomeDismissed    *bool     `json:"welcomeDismissed,omitempty"`
	UpdateCheck         *bool     `json:"updateCheck,omitempty"`
	UpdateFeedURL       *string   `json:"updateFeedUrl,omitempty"`
	DismissedUpdate     *string   `json:"dismissedUpdate,omitempty"`
	QuestionsLocation   *string   `json:"questionsLocation,omitempty"`
}

// UpdateStatus is what the update check knows: the running version, the
// latest release the feed named at the last check, and whether to tell
// the user of it.
type UpdateStatus struct {
	// Enabled says the daily check is on (Settings.UpdateCheck).
	Enabled bool `json:"enabled"`
	// FeedURL is the feed read, the default filled in.
	FeedURL string `json:"feedUrl"`
	// Current is the running version; IsRelease is false for a build
	// that is no release (dev, a dirty tree), which is never told of one.
	Current   string `json:"current"`
	IsRelease bool   `json:"isRelease"`
	// Latest, URL (https) and Notes (markdown) are the release the feed
	// last named; NotesHTML is Notes rendered and sanitised (no raw HTML,
	// no images, https links only).
	Latest    string `json:"latest,omitempty"`
	URL       string `json:"url,omitempty"`
	Notes     string `json:"notes,omitempty"`
	NotesHTML string `json:"notesHtml,omitempty"`
	// Newer says Latest is newer than Current; Dismissed that the user
	// closed the notice of that version.
	Newer     bool `json:"newer"`
	Dismissed bool `json:"dismissed"`
	// CheckedAt is when the feed was last read (RFC 3339, "" never);
	// Error why that read failed.
	CheckedAt string `json:"checkedAt,omitempty"`
	Error     string `json:"error,omitempty"`
}

// OpenRequest asks to open a local file or folder with the user's editor,
// file manager or terminal: With is editor, folder or terminal. Line and
// Column (from 1) place an editor's cursor, where the editor can be told.
type OpenRequest struct {
	Path   string `json:"path"`
	With   string `json:"with"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

// Link is a titled URL.
type Link struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// CatalogFile is a file of a location's repository as the catalog shows
// it: with the user's unpushed changes.
type CatalogFile struct {
	LocationID string `json:"locationId"`
	Path       string `json:"path"`
	Content    string `json:"content"`
	Exists     bool   `json:"exists"`
	Commit     string `json:"commit"`
}

// FileWrite is a change to one file of a location's repository made in
// the app: new Content, or removal when Delete. It becomes a commit in the
// local clone, pushed when the remote is reachable.
type FileWrite struct {
	LocationID string `json:"locationId"`
	Path       string `json:"path"`
	Content    string `json:"content,omitempty"`
	Delete     bool   `json:"delete,omitempty"`
	Message    string `json:"message"`
}

// OutboxEntry is a commit made in the app that the remote does not have
// yet. State is "pending" (waiting to be pushed; LastError says why the
// last try failed) or "conflict" (the remote changed the same files: the
// commit is kept on Branch, Conflict has both versions).
type OutboxEntry struct {
	ID string `json:"id"`
	// Kind is "branchPush" for a template update's branch on its way to
	// the project's remote (TemplateUpdatePush: State queued, pushed,
	// prOpen or failed, with Cause), "" for a commit of a location.
	Kind       string         `json:"kind,omitempty"`
	Cause      string         `json:"cause,omitempty"`
	LocationID string         `json:"locationId"`
	Commit     string         `json:"commit"`
	Message    string         `json:"message"`
	Author     string         `json:"author"`
	Paths      []string       `json:"paths"`
	CreatedAt  string         `json:"createdAt"`
	State      string         `json:"state"`
	LastError  string         `json:"lastError,omitempty"`
	LastTry    string         `json:"lastTry,omitempty"`
	Branch     string         `json:"branch,omitempty"`
	Conflict   []ConflictFile `json:"conflict,omitempty"`
	// Review is the pull request (merge request) the change went to, on a
	// location that takes edits by review; state "closed" offers discard
	// or reopen (SettleReview).
	Review *OutboxReview `json:"review,omitempty"`
}

// OutboxReview is the pull request an outbox entry's change went to.
// Number and URL are set once it is open.
type OutboxReview struct {
	Branch string `json:"branch"`
	Forge  string `json:"forge,omitempty"`
	Number int    `json:"number,omitempty"`
	URL    string `json:"url,omitempty"`
	// State is open, changesRequested, merged or closed; "" until opened.
	State string `json:"state,omitempty"`
	// Head is the branch's commit as last seen (a reviewer's push moves it).
	Head string `json:"head,omitempty"`
}

// ReviewMode is how a location's edits reach its branch: Mode "direct"
// pushes them, "pr" opens a pull request for each, "detect" asks the
// forge whether the branch is protected or learns it from a refused
// push. Forge names the kind of forge (github, gitlab, gitea) of a host
// Callboard does not know by name.
type ReviewMode struct {
	Mode  string `json:"mode"`
	Forge string `json:"forge,omitempty"`
}

// ConflictFile is one file changed both in the app and on the remote;
// a missing version means the file is absent on that side.
type ConflictFile struct {
	Path   string  `json:"path"`
	Base   *string `json:"base,omitempty"`
	Mine   *string `json:"mine,omitempty"`
	Theirs *string `json:"theirs,omitempty"`
}

// GraphQuery asks for the relations around an entity: Depth hops (1 to 4)
// along relation Types (all when empty), following them outward ("out"),
// inward ("in") or both ways ("both", the default).
type GraphQuery struct {
	Ref       string   `json:"ref"`
	Depth     int      `json:"depth,omitempty"`
	Types     []string `json:"types,omitempty"`
	Direction string   `json:"direction,omitempty"`
}

// Graph is the entities around one and the relations between them.
// Truncated says it stopped at its node limit.
type Graph struct {
	Nodes     []GraphNode `json:"nodes"`
	Edges     []GraphEdge `json:"edges"`
	Truncated bool        `json:"truncated,omitempty"`
}

// GraphNode is one entity of a graph; Missing ones no location provides.
type GraphNode struct {
	Ref     string `json:"ref"`
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	Title   string `json:"title,omitempty"`
	Type    string `json:"type,omitempty"`
	Depth   int    `json:"depth"`
	Missing bool   `json:"missing,omitempty"`
}

// GraphEdge is one relation, written the way its source states it.
type GraphEdge struct {
	Source string `json:"source"`
	Type   string `json:"type"`
	Target string `json:"target"`
}

// EntityHistory is what the local clone holds of an entity's changes.
// Shallow says the clone ends before the entity's history does (a
// repository an organisation listed is cloned with its latest commit
// only); DeepenHistory on LocationID fetches the rest.
type EntityHistory struct {
	LocationID string          `json:"locationId"`
	Versions   []EntityVersion `json:"versions"`
	Shallow    bool            `json:"shallow,omitempty"`
}

// EntityVersion is one commit that changed an entity's source file: who,
// when, why, and which of the entity's fields it changed (dotted paths;
// "" stands for absent). Removed marks the commit that took it out.
// Boundary marks the oldest commit of a shallow clone: its parents are
// not on this machine, so Changes are every field the entity had there.
type EntityVersion struct {
	Commit   string        `json:"commit"`
	Author   string        `json:"author"`
	Email    string        `json:"email,omitempty"`
	When     string        `json:"when"`
	Message  string        `json:"message"`
	Changes  []FieldChange `json:"changes"`
	Removed  bool          `json:"removed,omitempty"`
	Boundary bool          `json:"boundary,omitempty"`
}

// FieldChange is one field of an entity between two versions.
type FieldChange struct {
	Path string `json:"path"`
	Old  string `json:"old,omitempty"`
	New  string `json:"new,omitempty"`
}

// SearchQuery is a search from the search page or the palette: free text
// and filters (values of one filter are alternatives). Types are "entity",
// "docs" and "template".
type SearchQuery struct {
	Text       string   `json:"text"`
	Types      []string `json:"types,omitempty"`
	Kinds      []string `json:"kinds,omitempty"`
	EntityType []string `json:"entityTypes,omitempty"`
	Owners     []string `json:"owners,omitempty"`
	Lifecycles []string `json:"lifecycles,omitempty"`
	Tags       []string `json:"tags,omitempty"`
	// Statuses keeps decision records of these statuses.
	Statuses []string `json:"statuses,omitempty"`
	// Refs keeps hits of these entities: their docs pages, for one site.
	Refs   []string `json:"refs,omitempty"`
	Offset int      `json:"offset,omitempty"`
	Limit  int      `json:"limit,omitempty"`
	// NoFacets skips the facet counts, for answers as you type.
	NoFacets bool `json:"noFacets,omitempty"`
}

// SearchResult is a page of hits, their total, facet counts (type, kind,
// entityType, owner, lifecycle, tag, status) and, while the index is being built,
// how far it got.
type SearchResult struct {
	Total  int                     `json:"total"`
	Hits   []SearchHit             `json:"hits"`
	Facets map[string][]FacetCount `json:"facets"`
	// Indexing, when set, says the index is still being built: Indexed of
	// IndexTotal documents so far.
	Indexing   bool `json:"indexing,omitempty"`
	Indexed    int  `json:"indexed,omitempty"`
	IndexTotal int  `json:"indexTotal,omitempty"`
}

// SearchHit is one result: an entity, a docs section or a template.
type SearchHit struct {
	Type        string `json:"type"`
	Ref         string `json:"ref"`
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	EntityType  string `json:"entityType,omitempty"`
	Owner       string `json:"owner,omitempty"`
	Path        string `json:"path,omitempty"`
	// Status is a decision record's (type adr).
	Status  string  `json:"status,omitempty"`
	Snippet string  `json:"snippet,omitempty"`
	Score   float64 `json:"score"`
}

// DocsEntry is an entity with TechDocs, for the Docs index.
type DocsEntry struct {
	Ref         string `json:"ref"`
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	Owner       string `json:"owner,omitempty"`
}

// DocsSite is an entity's TechDocs site: its navigation and pages.
type DocsSite struct {
	Ref      string             `json:"ref"`
	Name     string             `json:"name"`
	Nav      []techdocs.NavItem `json:"nav"`
	Pages    []string           `json:"pages"`
	Warnings []string           `json:"warnings,omitempty"`
	// Problems are nav entries without a file and redirects to nothing,
	// with their lines in mkdocs.yml.
	Problems []techdocs.Problem `json:"problems,omitempty"`
	// LocalDir is the site's folder in the user's checkout, when the
	// location is a local repository ("Open working tree").
	LocalDir string `json:"localDir,omitempty"`
	// RepoURL is the forge's page of the repository (mkdocs' repo_url or
	// the location's), for "Report issue".
	RepoURL string `json:"repoUrl,omitempty"`
	// StoredAt (RFC 3339), when set, says the site is the one an
	// organisation's Backstage keeps built in its TechDocs storage, as
	// read then: its source repository was out of reach.
	StoredAt string `json:"storedAt,omitempty"`
}

// DocsPage is one rendered page of an entity's docs, sanitised HTML, with
// its outline, neighbours in the nav, where to edit it and the relative
// links that lead nowhere.
type DocsPage struct {
	Ref     string             `json:"ref"`
	Path    string             `json:"path"`
	Title   string             `json:"title"`
	HTML    string             `json:"html"`
	TOC     []techdocs.Heading `json:"toc"`
	Prev    string             `json:"prev,omitempty"`
	Next    string             `json:"next,omitempty"`
	EditURL string             `json:"editUrl,omitempty"`
	// LocalFile is the page's file in the user's own checkout, when the
	// location is a local repository (for "Open in editor").
	LocalFile string   `json:"localFile,omitempty"`
	Broken    []string `json:"broken,omitempty"`
	// Problems are the page's links that lead nowhere, with their lines.
	Problems []techdocs.Problem `json:"problems,omitempty"`
	// SourceFile is the page's file in the repository (or the previewed
	// folder), which data-source-line attributes count lines of.
	SourceFile string `json:"sourceFile,omitempty"`
	// Redirect says redirect_maps moved the page asked for: Path is
	// where it went, or, for a URL elsewhere, the page asked for, with
	// no HTML.
	Redirect *techdocs.Redirect `json:"redirect,omitempty"`
	// RemoteImages counts the page's images from other hosts, held back
	// (techdocs.RemoteSrc) until the user shows them; RemoteHosts are
	// their hosts.
	RemoteImages int      `json:"remoteImages,omitempty"`
	RemoteHosts  []string `json:"remoteHosts,omitempty"`
	// StoredAt (RFC 3339), when set, says the page is the one an
	// organisation's Backstage keeps built in its TechDocs storage, as
	// read then.
	StoredAt string `json:"storedAt,omitempty"`
}

// PluginInfo is an installed plugin and how it is doing.
type PluginInfo struct {
	Name        string     `json:"name"`
	Version     string     `json:"version"`
	Description string     `json:"description,omitempty"`
	BuiltIn     bool       `json:"builtIn"`
	Enabled     bool       `json:"enabled"`
	State       host.State `json:"state"`
	LastError   string     `json:"lastError,omitempty"`
	// ExtensionPoints are entityContent, actions, entities and search.
	ExtensionPoints []string            `json:"extensionPoints"`
	Config          []PluginConfigField `json:"config"`
	// Values are the settings that are not secret; SecretsSet the secret
	// ones that have a value (the values never leave the keyring).
	Values     map[string]string `json:"values"`
	SecretsSet []string          `json:"secretsSet"`
	// Facts are the facts the plugin provides for scorecards, as it
	// described them; FactsRead what is kept of its reports.
	Facts     []PluginFact    `json:"facts"`
	FactsRead PluginFactsRead `json:"factsRead"`
}

// PluginFact is a fact a plugin provides: Name (scorecards read
// plugin.name), its type as last reported (number, text, flag, time;
// "" before any report) and what it means.
type PluginFact struct {
	Name        string `json:"name"`
	Type        string `json:"type,omitempty"`
	Description string `json:"description,omitempty"`
}

// PluginFactsRead is what is kept of a plugin's fact reports: about how
// many entities, and when the oldest and the newest were read (RFC
// 3339, empty without any).
type PluginFactsRead struct {
	Entities int    `json:"entities"`
	Oldest   string `json:"oldest,omitempty"`
	Newest   string `json:"newest,omitempty"`
}

// PluginConfigField is a setting a plugin reads.
type PluginConfigField struct {
	Key         string `json:"key"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Secret      bool   `json:"secret,omitempty"`
}

// PluginSettings sets a plugin's settings: Values replace the ones kept;
// Secrets name only those to change ("" removes one).
type PluginSettings struct {
	Name    string            `json:"name"`
	Enabled bool              `json:"enabled"`
	Values  map[string]string `json:"values"`
	Secrets map[string]string `json:"secrets"`
}

// PluginContent is what one plugin shows for an entity: its views (the
// protocol's View messages as protojson), or why it cannot.
type PluginContent struct {
	Plugin     string            `json:"plugin"`
	Version    string            `json:"version"`
	Views      []json.RawMessage `json:"views"`
	Error      string            `json:"error,omitempty"`
	DurationMS int64             `json:"durationMs"`
}
