package portal

import (
	"context"
	"fmt"
	"log/slog"
	"os/exec"
	"time"

	"github.com/callboard/callboard/app/buildinfo"
	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/catalogquery"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/pluginprefs"
	"github.com/callboard/callboard/app/search"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/app/updates"
	"github.com/callboard/callboard/plugins/host"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/syncer"
	"github.com/callboard/callboard/sync/urlfetch"
)

// Syncer brings one location up to date; errors are recorded on the
// location too. *syncer.Syncer is the one in use.
type Syncer interface {
	Sync(ctx context.Context, locationID string) error
	// SyncTree syncs locations, then the locations they list, and so on.
	SyncTree(ctx context.Context, locationIDs ...string) error
	// Forget deletes what the syncer keeps of a removed location (its clone).
	Forget(ctx context.Context, locationID string) error
	ReadFile(ctx context.Context, locationID, path string) (data []byte, exists bool, commit string, err error)
	Write(ctx context.Context, locationID string, w syncer.Write) (store.OutboxEntry, error)
	Resolve(ctx context.Context, entryID string, keepMine bool) error
	// Discard and Reopen settle a change whose pull request was closed.
	Discard(ctx context.Context, entryID string) error
	Reopen(ctx context.Context, entryID string) error
	History(ctx context.Context, locationID, file, ref string, limit int) (syncer.History, error)
	// Deepen fetches the whole history of a location cloned shallow.
	Deepen(ctx context.Context, locationID string) error
	// Files reads a location's repository at the commit the catalog shows.
	Files(ctx context.Context, locationID string) (catalog.Files, string, error)
	// PushNew pushes a new project's branch to its origin.
	PushNew(ctx context.Context, dir, branch string) error
	// Clone is the folder of a location's bare clone.
	Clone(locationID string) string
	// Peek clones a repository that is no location yet into dir.
	Peek(ctx context.Context, url, branch, dir string) (gitfetch.Head, error)
}

// Config is what a Service needs. It names the concrete parts: New is
// where they are handed to the areas, each of which sees only the
// methods it calls.
type Config struct {
	DB *store.DB
	// Fields is the index of every entity's field values that Filters
	// and Backstage's catalog API query; nil makes one over DB.
	Fields *catalogquery.Index
	// Search is the full-text index the portal keeps in step; nil leaves
	// search out (one-shot CLI commands).
	Search *search.Index
	// Events carries the portal's events: Subscribe follows it, and the
	// portal publishes search:progress, scaffold:* and plugins:changed on
	// it; nil means none are published or followed.
	Events  Bus
	Syncer  Syncer
	Version string
	// Build is the running build, for Info (its Version is Version).
	Build   buildinfo.Info
	DataDir string
	Mode    string
	Log     *slog.Logger
	// Start runs the command that opens a path in the user's editor, file
	// manager or terminal (opener.Start when nil; tests watch instead).
	Start func(*exec.Cmd) error
	// Plugins runs the plugins; nil means there are none. PluginPrefs are
	// their settings, needed with them.
	Plugins     *host.Host
	PluginPrefs *pluginprefs.Prefs
	// Language is the user's language, locale.FromEnv's answer.
	Language string
	// Credentials says where each git host's token comes from, for
	// CredentialSources; nil: no host has one.
	Credentials CredentialStatus
	// Workers runs the service's background work: template runs and
	// search index updates. The instance owns it, and stops and waits for
	// that work before it closes the store.
	Workers Spawner
	// Fetches fetches what templates name by URL (NewFetcher); nil fetches
	// nothing but what synced locations hold.
	Fetches *urlfetch.Fetcher
}

// Bus publishes events and lets front ends follow them; *events.Bus is
// the one in use.
type Bus interface {
	events.Emitter
	Subscribe() (<-chan events.Event, func())
}

// Spawner runs work in the background for the owner of the service's
// lifetime. fn's context ends when the owner shuts down, and the owner
// waits for fn to return before closing the store. Once shutting down,
// Go runs nothing and returns an error. *workers.Group is the one in use.
type Spawner interface {
	Go(name string, fn func(ctx context.Context)) error
}

// Service is the local portal over a store: a façade whose API methods
// (facade.go) hand each call to the area that answers it. Each area holds
// only what it calls, as interfaces declared next to it.
type Service struct {
	about     *about
	rows      *rows
	catalog   *catalogView
	inspector *inspector
	unreg     *unregisterer
	locations *locations
	imports   *importer
	syncs     *syncs
	settings  *userSettings
	outbox    *outboxView
	pushes    *updatePushes
	launcher  *launcher
	index     *indexer
	search    *searcher
	docs      *docsView
	previews  *docsPreviews
	templates *templateRuns
	workbench *workbenches
	plugins   *pluginsView
	pluginUI  *pluginUI
	problems  *problems
	// scorecards evaluates the Scorecard entities (scorecards.go).
	scorecards *scorecards
	// facts keeps what plugins report for fact checks (facts.go).
	facts     *facts
	creds     *credentialsView
	frontend  *frontendErrors
	events    *subscriptions
	updates   *updateCheck
	alerts    *alerts
	centre    *notices
	questions *questionsArea
	decisions *decisionsArea
}

var _ API = (*Service)(nil)

// DemoLocationID is the id of the demo organisation's location.
const DemoLocationID = "demo"

// New builds the areas from cfg, each on the parts it needs, in an order
// where each is built after those it calls.
func New(cfg Config) *Service {
	log := cfg.Log.With("component", "portal")
	pub := publisher{}
	if cfg.Events != nil {
		pub.bus = cfg.Events
	}
	// Absent parts stay nil interfaces, so the areas' nil checks hold.
	var plugins *host.Host
	var idx *search.Index
	if cfg.Plugins != nil {
		plugins = cfg.Plugins
	}
	if cfg.Search != nil {
		idx = cfg.Search
	}
	g := newGates()
	frontend := &frontendErrors{log: log}
	sites := &docsSites{db: cfg.DB, files: cfg.Syncer}
	ix := &indexer{turn: make(chan struct{}, 1), sites: sites, questions: cfg.DB, decisions: cfg.DB, workers: cfg.Workers, events: pub, log: log}
	if idx != nil {
		ix.index = idx
	}
	if plugins != nil {
		ix.plugins = plugins
	}
	rw := newRows(cfg.DB, cfg.DataDir, ix, log)
	sc := newScorecards(cfg.DB, log)
	if cfg.Syncer != nil {
		sc.files, sc.clones = cfg.Syncer, cfg.Syncer
	}
	fk := newFacts(nil, cfg.DB, log)
	fk.needs, fk.workers, fk.events = sc, cfg.Workers, pub
	if plugins != nil {
		fk.host, sc.facts = plugins, fk
	}
	if cfg.Syncer != nil {
		fk.clones = cfg.Syncer
	}
	fields := cfg.Fields
	if fields == nil {
		fields = catalogquery.New(cfg.DB, nil, log)
	}
	cv := &catalogView{db: cfg.DB, rows: rw, fields: fields, history: cfg.Syncer, tree: cfg.Syncer, historyGate: g.history, graphGate: g.graph, levels: sc}
	sr := &searcher{rows: rw, progress: ix, gate: g.search}
	if idx != nil {
		sr.index = idx
	}
	pv := &pluginsView{db: cfg.DB, clones: cfg.Syncer, index: ix, facts: cfg.DB, events: pub, log: log}
	if plugins != nil {
		pv.host, pv.prefs = plugins, cfg.PluginPrefs
	}
	locs := &locations{db: cfg.DB, syncer: cfg.Syncer, events: pub, log: log, dataDir: cfg.DataDir}
	tr := &templateRuns{db: cfg.DB, files: cfg.Syncer, git: cfg.Syncer, trust: Trust{cfg.DB}, users: cv,
		locations: locs, listing: rw, clones: cfg.Syncer, workers: cfg.Workers, events: pub, log: log, dataDir: cfg.DataDir, version: cfg.Version}
	if plugins != nil {
		tr.plugins = plugins
	}
	if cfg.Fetches != nil {
		tr.fetches = cfg.Fetches
	}
	sites.fetch = tr.fetchByURL
	bsEdits := backstageEdits{db: cfg.DB}
	if cfg.Syncer != nil {
		src := &sourceClones{db: cfg.DB, syncer: cfg.Syncer, home: tr.home, log: log}
		sites.sources, cv.sources, bsEdits.sources = src, src, src
	}
	if st, ok := cfg.Syncer.(docsStorage); ok {
		sites.storage, sites.kept = st, cfg.DB
	}
	qa := &questionsArea{db: cfg.DB, files: cfg.Syncer, writer: cfg.Syncer, users: cv, index: ix, log: log, now: time.Now}
	da := &decisionsArea{db: cfg.DB, files: cfg.Syncer, index: ix, log: log}
	up := &updatePushes{db: cfg.DB, locations: cfg.DB, events: pub, log: log, now: time.Now}
	if bp, ok := cfg.Syncer.(branchPusher); ok {
		up.pusher = bp
	}
	tr.pushes = up
	sy := &syncs{db: cfg.DB, syncer: cfg.Syncer, locations: locs, plugins: pv, publish: tr, index: ix, questions: qa, decisions: da, log: log}
	docs := &docsView{sites: sites, rows: rw, db: cfg.DB, gate: g.docs}
	insp := &inspector{db: cfg.DB, clones: cfg.Syncer, gate: g.history}
	pr := &problems{store: cfg.DB, rows: rw, users: cv, history: cfg.Syncer, gate: g.history, questions: qa, decisions: da}
	centre := &notices{db: cfg.DB, events: pub, log: log, now: time.Now}
	al := &alerts{db: cfg.DB, problems: pr, users: cv, updates: tr, centre: centre, workers: cfg.Workers, log: log,
		owner: func(ref string) string {
			r, _ := rw.listing.Get(ref)
			return r.Owner
		}}
	up.settled = al.branchReviewSettled
	if cfg.Events != nil {
		al.bus = cfg.Events
	}
	ui := &pluginUI{db: cfg.DB, clones: cfg.Syncer, users: cv, log: log}
	if plugins != nil {
		ui.host = plugins
	}
	previews := &docsPreviews{view: docs, workers: cfg.Workers, events: pub, log: log}
	return &Service{
		about:     &about{db: cfg.DB, version: cfg.Version, build: cfg.Build, dataDir: cfg.DataDir, mode: cfg.Mode, language: cfg.Language, started: time.Now(), reports: frontend},
		rows:      rw,
		catalog:   cv,
		inspector: insp,
		unreg:     &unregisterer{inspector: insp, db: cfg.DB, history: cfg.Syncer, writer: cfg.Syncer, locations: locs, log: log},
		locations: locs,
		imports: &importer{peeker: cfg.Syncer, locations: locs, syncs: sy, writer: cfg.Syncer, rows: cfg.DB, users: cv,
			gate: newGate("repository import", 2), log: log, dataDir: cfg.DataDir},
		syncs:      sy,
		settings:   &userSettings{db: cfg.DB, log: log},
		outbox:     &outboxView{db: cfg.DB, syncer: cfg.Syncer, runs: tr, branches: up.db, route: bsEdits.route, check: bsEdits.check, log: log},
		pushes:     up,
		launcher:   &launcher{db: cfg.DB, runs: tr, previews: previews, start: cfg.Start, log: log},
		index:      ix,
		search:     sr,
		docs:       docs,
		previews:   previews,
		templates:  tr,
		workbench:  &workbenches{templates: tr, workers: cfg.Workers, events: pub, log: log, dataDir: cfg.DataDir},
		plugins:    pv,
		pluginUI:   ui,
		creds:      &credentialsView{db: cfg.DB, status: cfg.Credentials},
		problems:   pr,
		scorecards: sc,
		facts:      fk,
		frontend:   frontend,
		events:     &subscriptions{bus: cfg.Events},
		updates:    &updateCheck{db: cfg.DB, feed: updates.NewFetcher(cfg.Version, nil), current: cfg.Version, workers: cfg.Workers, events: pub, log: log},
		alerts:     al,
		centre:     centre,
		questions:  qa,
		decisions:  da,
	}
}

// publisher publishes the portal's events, or nothing without a bus.
type publisher struct{ bus events.Emitter }

func (p publisher) emit(ctx context.Context, name string, data any) {
	if p.bus != nil {
		p.bus.Emit(ctx, name, data)
	}
}

// checkPage refuses a page that starts or ends before the first item.
func checkPage(offset, limit int) error {
	if offset < 0 || limit < 0 {
		return fmt.Errorf("offset %d, limit %d: want zero or more: %w", offset, limit, ErrInvalid)
	}
	return nil
}

// requireID refuses an empty id as invalid, as the generated clients do
// before sending (an empty path segment names nothing), so every
// transport gives the same answer.
func requireID(name, v string) error {
	if v == "" {
		return fmt.Errorf("%s is empty: %w", name, ErrInvalid)
	}
	return nil
}
