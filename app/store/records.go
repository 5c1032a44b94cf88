package store

import (
	"time"

	"github.com/callboard/callboard/app/catalog"
)

// Location is a registered catalog repository and what its last sync did.
type Location struct {
	ID     string `json:"id"`
	URL    string `json:"url"`
	Branch string `json:"branch,omitempty"`
	Path   string `json:"path"`
	// HeadCommit is the commit whose entities the store holds.
	HeadCommit string `json:"headCommit,omitempty"`
	// Gen is the generation holding those entities; 0 before the first sync.
	Gen uint64 `json:"gen,omitempty"`
	// Version counts the changes to the location's entities, in place or
	// by a new generation, so a reader can tell whether it has the latest.
	Version     uint64    `json:"version,omitempty"`
	LastSuccess time.Time `json:"lastSuccess,omitzero"`
	LastAttempt time.Time `json:"lastAttempt,omitzero"`
	LastError   string    `json:"lastError,omitempty"`
	// Failures counts consecutive failed syncs, for the scheduler's backoff.
	Failures int `json:"failures,omitempty"`
	// StaleSince is set when a sync fails after an earlier success.
	StaleSince time.Time       `json:"staleSince,omitzero"`
	Entities   int             `json:"entities"`
	Errors     []catalog.Error `json:"errors,omitempty"`
	// Org is set when the location is a discovered organisation
	// (orgs.go): its repositories come from its forge's API.
	Org *Org `json:"org,omitempty"`
	// Backstage is set when the location is an organisation's Backstage
	// (backstage.go): its entities come from the backend's catalog API.
	Backstage *Backstage `json:"backstage,omitempty"`
	// SourceOf is set on a hidden clone of a repository a Backstage's
	// entities come from (the Backstage location's id), made when an
	// edit, history or docs first needed it (source.go): it has no roots,
	// so nothing of it enters the catalog twice.
	SourceOf string `json:"sourceOf,omitempty"`
	// FullHistory is set once something asked for the whole history of a
	// location that is cloned shallow (Shallow): its clone is deepened
	// and later fetches keep it whole.
	FullHistory bool `json:"fullHistory,omitempty"`
	// Review is how edits made in the app reach the location's branch.
	Review Review `json:"review,omitzero"`
	// Links place the location among derived locations (derived.go).
	Links
}

// Review modes: how a location's outbox reaches its branch.
const (
	ReviewDirect = "direct" // pushed to the branch
	ReviewPR     = "pr"     // a branch and a pull request per edit
	ReviewDetect = "detect" // asked of the forge, or found by a refused push
)

// Review is how a location's edits reach its branch.
type Review struct {
	// Mode is ReviewDirect, ReviewPR or ReviewDetect ("" is detect; a
	// location of a discovered organisation takes the organisation's).
	Mode string `json:"mode,omitempty"`
	// Detected is what detection found, ReviewDirect or ReviewPR; ""
	// until it has found out.
	Detected string `json:"detected,omitempty"`
	// Forge names the kind of forge (github, gitlab, gitea) of a host
	// Callboard does not know by name.
	Forge string `json:"forge,omitempty"`
}

// Shallow says whether the location's clone holds only its branch's tip:
// a repository a discovered organisation listed, until its whole history
// is asked for. Organisations list thousands of repositories, of which
// the catalog needs only the files at the tip; or a Backstage's source
// clone, which history deepens when asked.
func (l Location) Shallow() bool {
	return (l.Derived && l.RepoID != "" || l.SourceOf != "") && !l.FullHistory
}

// Entity is a stored entity with where it came from.
type Entity struct {
	Entity     catalog.Entity `json:"entity"`
	LocationID string         `json:"locationId"`
	// Commit is set only on a last good version kept from an older commit;
	// every other entity is at its location's HeadCommit.
	Commit string `json:"commit,omitempty"`
	// Errors are why the entity's newest version was refused; the version
	// stored is then the last good one, as Backstage keeps it.
	Errors []catalog.Error `json:"errors,omitempty"`
	Source catalog.Source  `json:"source"`
	// Remote says when the parts placeholders read by URL were read.
	Remote *catalog.Remote `json:"remote,omitempty"`
}

// Relation is a stored outgoing relation of an entity.
type Relation struct {
	Type   string `json:"type"`
	Target string `json:"target"`
}

// Settings are the user's choices, kept with the catalog.
type Settings struct {
	// SyncIntervalMinutes is how often locations sync in the background; 0
	// is the default (5).
	SyncIntervalMinutes int `json:"syncIntervalMinutes,omitempty"`
	// UserRef is the User entity the user says they are; "" matches git's
	// user.email to a User's spec.profile.email.
	UserRef string `json:"userRef,omitempty"`
	// Toolkit is the user's links shown on Home.
	Toolkit []Link `json:"toolkit,omitempty"`
	// Editor and Terminal are the user's commands to open files and
	// folders with ("" for the system's).
	Editor   string `json:"editor,omitempty"`
	Terminal string `json:"terminal,omitempty"`
	// Workspace is the folder new projects go into ("" for ~/src).
	Workspace string `json:"workspace,omitempty"`
	// TrustedGitHosts are hosts (github.com, git.example:8443) that may get
	// the all-hosts git token and new projects, besides locations' hosts.
	TrustedGitHosts []string `json:"trustedGitHosts,omitempty"`
	// DocsImageHosts are the hosts whose images TechDocs pages show
	// without asking.
	DocsImageHosts []string `json:"docsImageHosts,omitempty"`
	// RemoteReadHosts are hosts (as TrustedGitHosts) whose files catalog
	// placeholders may read by URL, besides locations' and trusted hosts.
	RemoteReadHosts []string `json:"remoteReadHosts,omitempty"`
	// QuestionsLocation is the id of the location new questions about no
	// entity go to ("" for the first repository).
	QuestionsLocation string `json:"questionsLocation,omitempty"`
	// Plugins are each plugin's choices, by name; secrets are not here
	// but in the OS keyring.
	Plugins map[string]PluginPrefs `json:"plugins,omitempty"`
	// WelcomeDismissed is set once the user leaves the first-run welcome.
	WelcomeDismissed bool `json:"welcomeDismissed,omitempty"`
	// DemoRemoved is set when the user removes the demo organisation, so
	// it is not registered again at the next start.
	DemoRemoved bool `json:"demoRemoved,omitempty"`
	// Updates are the update check's choices and its last answer.
	Updates UpdatePrefs `json:"updates,omitzero"`
	// Notify says what raises a notification.
	Notify NotifyPrefs `json:"notify,omitzero"`
}

// NotifyPrefs say what raises a notification.
type NotifyPrefs struct {
	// OwnedOff silences the problems of entities the user owns, which
	// are notified unless the user says otherwise.
	OwnedOff bool `json:"ownedOff,omitempty"`
	// Locations are the ids of the locations every new problem of which
	// is notified, whoever owns it.
	Locations []string `json:"locations,omitempty"`
	// Kinds are the kinds of notification (the portal's names) the user
	// turned on or off; a kind absent is at its default. New problems'
	// switch is OwnedOff.
	Kinds map[string]bool `json:"kinds,omitempty"`
}

// UpdatePrefs are the update check's settings and what it last found.
type UpdatePrefs struct {
	// Off turns the check off; it is on unless the user says otherwise.
	Off bool `json:"off,omitempty"`
	// FeedURL is the release feed read ("" for the project's releases).
	FeedURL string `json:"feedUrl,omitempty"`
	// Dismissed is the version whose notice the user closed.
	Dismissed string `json:"dismissed,omitempty"`
	// Checked is when the feed was last read, well or not.
	Checked time.Time `json:"checked,omitzero"`
	// Latest, URL and Notes are the release the feed last named; Error
	// is why the last check failed ("" when it did not).
	Latest string `json:"latest,omitempty"`
	URL    string `json:"url,omitempty"`
	Notes  string `json:"notes,omitempty"`
	Error  string `json:"error,omitempty"`
}

// PluginPrefs are a plugin's settings: plugins are enabled unless turned
// off.
type PluginPrefs struct {
	Disabled bool              `json:"disabled,omitempty"`
	Config   map[string]string `json:"config,omitempty"`
}

// Link is a titled URL.
type Link struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}
