package portal

// NotificationSettings say what raises a notification: in the
// notification centre, and on the desktop while the window runs.
type NotificationSettings struct {
	// OwnedByMe notifies the new problems of entities the user or their
	// groups own; on unless the user turns it off. It is the problems
	// kind's switch.
	OwnedByMe bool `json:"ownedByMe"`
	// Locations are the ids of the locations every new problem of which
	// is notified, whoever owns the entity; none unless the user adds them.
	Locations []string `json:"locations"`
	// Kinds are every kind of notification, in the order the settings
	// list them, each on or off.
	Kinds []NotificationKindSetting `json:"kinds"`
}

// NotificationKind is what a notification is about.
type NotificationKind string

// The kinds of notification. Those on by default are about the user's
// own doing and rare: a change of theirs stuck or settled, a run they
// started. The others depend on the network or on other people's work
// and can come often, so the user turns them on.
const (
	// NotifySyncFailed: a location's sync failed (once an episode, until
	// a sync succeeds), and again when it has not synced for a day.
	NotifySyncFailed NotificationKind = "sync-failed"
	// NotifyOutboxConflict: a change made in the app conflicts with the
	// remote's and is kept on a branch.
	NotifyOutboxConflict NotificationKind = "outbox-conflict"
	// NotifyPullRequest: a pull request the outbox opened was merged or
	// closed.
	NotifyPullRequest NotificationKind = "pull-request"
	// NotifyTemplateRun: a template run ended, well or not.
	NotifyTemplateRun NotificationKind = "template-run"
	// NotifyProblems: a sync brought new problems to the user's entities
	// (or to a location they follow).
	NotifyProblems NotificationKind = "problems"
	// NotifyCIFailed: the last run on the default branch of an entity
	// the user owns failed (the ci plugin's defaultBranchLastRunPassed),
	// once until it passes again.
	NotifyCIFailed NotificationKind = "ci-failed"
	// NotifyTemplateUpdate: the template a project on this machine was
	// made from moved on.
	NotifyTemplateUpdate NotificationKind = "template-update"
)

// NotificationKindSetting is one kind's switch.
type NotificationKindSetting struct {
	Kind NotificationKind `json:"kind"`
	On   bool             `json:"on"`
	// Default is whether the kind is on unless the user says otherwise.
	Default bool `json:"default"`
}

// NotificationChange changes the notification settings it carries.
type NotificationChange struct {
	// OwnedByMe, when set, turns the notifications of owned entities on or off.
	OwnedByMe *bool `json:"ownedByMe,omitempty"`
	// LocationID and Location, set together, turn the notification of
	// every new problem of that location on or off.
	LocationID string `json:"locationId,omitempty"`
	Location   *bool  `json:"location,omitempty"`
	// Kind and On, set together, turn a kind on or off.
	Kind NotificationKind `json:"kind,omitempty"`
	On   *bool            `json:"on,omitempty"`
}

// Notification is one notification of the centre.
type Notification struct {
	ID   string           `json:"id"`
	Kind NotificationKind `json:"kind"`
	// Time is when it was raised, RFC 3339.
	Time  string `json:"time"`
	Title string `json:"title"`
	Body  string `json:"body,omitempty"`
	// Link is the app's route (the URL's hash) of what it is about.
	Link string `json:"link,omitempty"`
	Read bool   `json:"read"`
}

// NotificationList is the centre: its notifications, newest first (the
// last 500 at most), and how many are unread.
type NotificationList struct {
	Notifications []Notification `json:"notifications"`
	Unread        int            `json:"unread"`
}

// NotificationsRead names the notifications to mark read: those of IDs,
// or every one when All is set.
type NotificationsRead struct {
	IDs []string `json:"ids,omitempty"`
	All bool     `json:"all,omitempty"`
}
