package instance

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/callboard/callboard/app/apiclient"
	"github.com/callboard/callboard/app/buildinfo"
	"github.com/callboard/callboard/app/catalogquery"
	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/locale"
	"github.com/callboard/callboard/app/pluginprefs"
	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/search"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/app/workers"
	"github.com/callboard/callboard/plugins/host"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/syncer"
	"github.com/callboard/callboard/sync/urlfetch"
)

var (
	// ErrNotRunning means no instance answers on the data dir's socket.
	ErrNotRunning = errors.New("no running instance")
	// ErrDataDir means the data dir cannot be created or written.
	ErrDataDir = errors.New("data dir is not usable")
)

// DataDir picks the data dir: the flag, then $CALLBOARD_HOME, then
// $XDG_DATA_HOME/callboard (~/.local/share/callboard).
func DataDir(flag string) (string, error) {
	dir := flag
	if dir == "" {
		dir = os.Getenv("CALLBOARD_HOME")
	}
	if dir == "" {
		base := os.Getenv("XDG_DATA_HOME")
		if base == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("%w: no --data-dir, CALLBOARD_HOME or home directory", ErrDataDir)
			}
			base = filepath.Join(home, ".local", "share")
		}
		dir = filepath.Join(base, "callboard")
	}
	return filepath.Abs(dir)
}

// Paths are the files of a data dir.
type Paths struct {
	Root, Store, Clones, Socket, Search string
	// Plugins holds the plugins the user installed, one folder each.
	Plugins string
	// WindowPlace keeps the desktop window's size and position: the
	// window's alone, kept beside the store rather than in it.
	WindowPlace string
}

// PathsOf returns the paths inside data dir root.
func PathsOf(root string) Paths {
	return Paths{Root: root, Store: filepath.Join(root, "store"), Clones: filepath.Join(root, "clones"), Socket: filepath.Join(root, "callboard.sock"),
		Search: filepath.Join(root, "search"), Plugins: filepath.Join(root, "plugins"), WindowPlace: filepath.Join(root, "window.json")}
}

// Prepare creates the data dir (owner-only) and checks it can be written.
func (p Paths) Prepare() error {
	if err := os.MkdirAll(p.Root, 0o700); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrDataDir, p.Root, errors.Unwrap(err))
	}
	f, err := os.CreateTemp(p.Root, ".write-test-*")
	if err != nil {
		return fmt.Errorf("%w: %s is not writable", ErrDataDir, p.Root)
	}
	f.Close()
	return os.Remove(f.Name())
}

// Dial reaches the instance running on data dir root, or returns ErrNotRunning.
func Dial(ctx context.Context, root string) (*apiclient.Client, error) {
	sock := PathsOf(root).Socket
	if _, err := os.Stat(sock); err != nil {
		return nil, ErrNotRunning
	}
	c := apiclient.New(sock)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if _, err := c.Info(ctx); err != nil {
		return nil, ErrNotRunning // a socket left behind by a crash
	}
	return c, nil
}

// Local is a portal instance running in this process. It owns every
// background worker of the instance (lifetime.go): Close stops them all
// before it closes the store.
type Local struct {
	Paths Paths
	DB    *store.DB
	// Fields indexes every entity's field values, for the portal's
	// Filters and Backstage's catalog API alike.
	Fields *catalogquery.Index
	Bus    *events.Bus
	Syncer *syncer.Syncer
	// Fetches reads folders and files by URL (templates' fetches, the
	// catalog API's analysis of a repository not held).
	Fetches *urlfetch.Fetcher
	Service *portal.Service
	Plugins *host.Host
	search  *search.Index
	workers *workers.Group
	log     *slog.Logger

	closeOnce sync.Once
	closeErr  error
}

// Config says how to open a Local.
type Config struct {
	Root    string
	Mode    string
	Version string
	// Build is the running build, for Info (its Version is Version).
	Build buildinfo.Info
	Log   *slog.Logger
	// Credentials authenticate syncs to private remotes; Open sets their
	// Trusted to portal.Trust's answer.
	Credentials gitfetch.Credentials
	// BuiltInPlugins is the folder of the plugins shipped with the app.
	BuiltInPlugins string
	// BundledPlugins are the built-in plugins inside the app's executable.
	BundledPlugins []host.Manifest
	// Getenv is the app's environment, of which plugins get a safe part.
	Getenv func(string) string
}

// Open opens the store of cfg.Root and wires the portal over it. It returns
// an error wrapping store.ErrLocked when another process has the store.
// Each part is built on those it needs, before it, so none is patched in
// afterwards: the store; the plugins' settings on it; the plugin host on
// those; the syncer, which reads plugin locations from the host; the
// portal over them all.
func Open(ctx context.Context, cfg Config) (*Local, error) {
	p := PathsOf(cfg.Root)
	if err := p.Prepare(); err != nil {
		return nil, err
	}
	db, err := store.OpenAs(ctx, p.Store, cfg.Version, cfg.Log.With("component", "store"))
	if err != nil {
		return nil, err
	}
	bus := &events.Bus{}
	getenv := cfg.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	prefs := pluginprefs.New(db, keyringSecrets{gitfetch.Keyring{Getenv: getenv}})
	plugins := host.New(host.Options{
		BuiltIn: cfg.BuiltInPlugins, Bundled: cfg.BundledPlugins, Installed: p.Plugins, Log: cfg.Log.With("component", "plugins"), Env: host.DefaultEnv(getenv),
		Settings: prefs.ForHost,
		OnChange: func() { bus.Emit(context.Background(), events.PluginsChanged, struct{}{}) },
	})
	if err := plugins.Load(ctx); err != nil {
		cfg.Log.Warn("find plugins", "err", err)
	}
	// The all-hosts token goes only where the user has a location or
	// trusts the host in Settings.
	creds := cfg.Credentials
	creds.Trusted = portal.Trust{DB: db}.TrustsHost
	sy := syncer.New(db, p.Clones, creds, bus, cfg.Log, plugins.EntityFiles)
	// A catalog write the last process was killed in is finished (or taken
	// back) before anything reads the catalog or pushes the outbox.
	if err := sy.Reconcile(ctx); err != nil {
		plugins.Close()
		db.Close()
		return nil, err
	}
	// The index is derived data: Open makes a missing or damaged one again,
	// empty, and the portal fills it from the store.
	idx, _, err := search.Open(p.Search)
	if err != nil {
		plugins.Close()
		db.Close()
		return nil, err
	}
	group := workers.New(cfg.Log)
	fields := catalogquery.New(db, nil, cfg.Log)
	fetches := portal.NewFetcher(cfg.Root, creds, sy.RemoteAllowed, cfg.Log)
	svc := portal.New(portal.Config{DB: db, Fields: fields, Syncer: sy, Search: idx, Events: bus, Version: cfg.Version, Build: cfg.Build, DataDir: cfg.Root, Mode: cfg.Mode, Log: cfg.Log,
		Plugins: plugins, PluginPrefs: prefs, Workers: group, Language: locale.FromEnv(getenv), Credentials: creds,
		Fetches: fetches})
	l := &Local{Paths: p, DB: db, Fields: fields, Bus: bus, Syncer: sy, Fetches: fetches, Service: svc, Plugins: plugins, search: idx, workers: group, log: cfg.Log}
	// No run is live yet: any stored as running was left by a process that
	// stopped during it.
	if err := svc.RecoverRuns(ctx); err != nil {
		cfg.Log.Warn("recover template runs", "err", err)
	}
	if err := svc.RemoveStaleImports(); err != nil {
		cfg.Log.Warn("remove the import previews' clones", "err", err)
	}
	if err := svc.EnsureDemo(ctx); err != nil {
		return nil, errors.Join(err, l.Close())
	}
	// Plugins that provide entities have a location each, synced like any.
	if err := svc.SyncPluginLocations(ctx); err != nil {
		cfg.Log.Warn("bring plugin locations up to date", "err", err)
	}
	return l, nil
}

// keyringSecrets keeps plugins' secrets in the OS keyring.
type keyringSecrets struct{ k gitfetch.Keyring }

func (s keyringSecrets) Get(key string) (string, error) { return s.k.Token(key) }
func (s keyringSecrets) Set(key, value string) error    { return s.k.SetToken(key, value) }
func (s keyringSecrets) Delete(key string) error        { return s.k.DeleteToken(key) }

// Listen opens the data dir's socket, owner-only, replacing one a crashed
// instance left behind (the store lock proves no other instance is alive).
func (l *Local) Listen() (net.Listener, error) {
	// The socket is made under a temporary name, restricted, then renamed,
	// so it is never reachable with looser permissions, not even briefly.
	tmp := l.Paths.Socket + ".new"
	_ = os.Remove(tmp)
	ln, err := net.Listen("unix", tmp)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", l.Paths.Socket, err)
	}
	ul := ln.(*net.UnixListener)
	ul.SetUnlinkOnClose(false)
	if err := os.Chmod(tmp, 0o600); err != nil {
		ln.Close()
		os.Remove(tmp)
		return nil, fmt.Errorf("restrict %s: %w", l.Paths.Socket, err)
	}
	if err := os.Rename(tmp, l.Paths.Socket); err != nil {
		ln.Close()
		os.Remove(tmp)
		return nil, fmt.Errorf("place %s: %w", l.Paths.Socket, err)
	}
	return socketListener{ul, l.Paths.Socket}, nil
}

// socketListener removes the socket file when closed.
type socketListener struct {
	*net.UnixListener
	path string
}

func (s socketListener) Close() error {
	err := s.UnixListener.Close()
	os.Remove(s.path)
	return err
}

// SyncPending syncs every location that has never synced successfully.
func (l *Local) SyncPending(ctx context.Context) error {
	locs, err := l.DB.Locations(ctx)
	if err != nil {
		return err
	}
	for _, loc := range locs {
		if loc.LastSuccess.IsZero() {
			// A failure is recorded on the location. After a success the
			// questions and decision records are read as after any sync, so
			// a read-only command sees them as the running instance does.
			if l.Syncer.Sync(ctx, loc.ID) == nil {
				l.Service.AfterSync(ctx, loc.ID)
			}
		}
	}
	return nil
}
