// Package host runs Callboard's plugins: it finds them (built-in ones beside
// the app, installed ones in the data dir), starts each on first use over
// hashicorp/go-plugin after checking its checksum, keeps it warm, gives
// every call a deadline, restarts a crashed plugin with backoff, and keeps
// each plugin's stderr. Whatever a plugin does — crash, hang, print
// garbage, speak another protocol — its callers get an error naming the
// cause, and nothing else is affected.
package host

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/callboard/callboard/plugins/pluginv1"
)

// State is where a plugin stands.
type State string

const (
	// Stopped: not started yet (plugins start on first use), or stopped.
	Stopped State = "stopped"
	Running State = "running"
	// Crashed: it exited or stopped answering; it is started again, after
	// a backoff, on the next call.
	Crashed  State = "crashed"
	Disabled State = "disabled"
	// Broken: its manifest cannot be read or its binary does not match it.
	Broken State = "broken"
)

// Settings are one plugin's settings from the app's Settings.
type Settings struct {
	Enabled bool
	Config  map[string]string
	Secrets map[string]string
}

// Options configure a Host.
type Options struct {
	// BuiltIn is the folder of the plugins shipped with the app; Installed
	// the data dir's plugins folder. Each holds one folder per plugin.
	BuiltIn, Installed string
	// Bundled are built-in plugins inside the app's own executable: each
	// Manifest's Command is that executable's absolute path and its Args
	// say which plugin to serve. They have no folder and no checksum (the
	// program is the one running), and win over a folder's plugin of the
	// same name.
	Bundled []Manifest
	// Settings returns a plugin's settings, with the values of secretKeys:
	// the settings the plugin described as secret when it last started
	// (none before it has). Nil means every plugin is enabled with no
	// configuration.
	Settings func(ctx context.Context, name string, secretKeys []string) (Settings, error)
	Log      *slog.Logger
	// CallTimeout bounds each call (default 5 s); StartTimeout a start
	// and its handshake (default 10 s).
	CallTimeout, StartTimeout time.Duration
	// ViewActionTimeout bounds a view action (default ViewActionTimeout).
	ViewActionTimeout time.Duration
	// Env is the environment plugins get, instead of the app's: only what
	// a program needs to run (PATH, HOME, TMPDIR, LANG, proxies…), never
	// the app's tokens. Nil means DefaultEnv.
	Env []string
	// OnChange is called when a plugin's state changes.
	OnChange func()
	// Now tells the time restart backoffs are measured in; nil means
	// time.Now. Tests move a clock of their own instead of sleeping.
	Now func() time.Time
}

// Host runs plugins. It is safe for concurrent use.
type Host struct {
	opts    Options
	mu      sync.Mutex
	plugins map[string]*proc
	// notices are the OnChange calls under way, made in goroutines of
	// their own since a plugin's state changes under its lock; Close
	// waits for them.
	notices sync.WaitGroup
	// offers are the view actions each plugin offered per entity.
	offers *offers
}

// Info is a plugin as List shows it.
type Info struct {
	Manifest
	Dir     string
	BuiltIn bool
	State   State
	// LastError is why it last failed, for its card and Settings.
	LastError string
	// Described is what the plugin said of itself when it last started
	// (nil until then).
	Described *pluginv1.Manifest
}

// New makes a host; Load finds the plugins.
func New(opts Options) *Host {
	opts.Log = cmp.Or(opts.Log, slog.New(slog.DiscardHandler))
	opts.CallTimeout = cmp.Or(opts.CallTimeout, 5*time.Second)
	opts.StartTimeout = cmp.Or(opts.StartTimeout, 10*time.Second)
	opts.ViewActionTimeout = cmp.Or(opts.ViewActionTimeout, ViewActionTimeout)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Env == nil {
		opts.Env = DefaultEnv(os.Getenv)
	}
	return &Host{opts: opts, plugins: map[string]*proc{}, offers: newOffers()}
}

// DefaultEnv picks from the app's environment what a plugin may see.
func DefaultEnv(getenv func(string) string) []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "USER", "TMPDIR", "LANG", "LC_ALL", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "KUBECONFIG",
		"SSL_CERT_FILE", "SSL_CERT_DIR", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy", "http_proxy", "no_proxy"} {
		if v := getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// Load finds the plugins of the built-in and installed folders. A plugin
// whose manifest is wrong is listed as broken, with why; an installed
// plugin named as a built-in one is refused. Plugins already running are
// left alone.
func (h *Host) Load(ctx context.Context) error {
	found := map[string]*proc{}
	for _, m := range h.opts.Bundled {
		found[m.Name] = &proc{h: h, man: m, builtIn: true, bundled: true, state: Stopped, log: newRing()}
	}
	for _, src := range []struct {
		dir     string
		builtIn bool
	}{{h.opts.BuiltIn, true}, {h.opts.Installed, false}} {
		if src.dir == "" {
			continue
		}
		entries, err := os.ReadDir(src.dir)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("list plugins: %w", err)
		}
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			dir := filepath.Join(src.dir, e.Name())
			m, err := ReadManifest(dir)
			p := &proc{h: h, man: m, dir: dir, builtIn: src.builtIn, state: Stopped, log: newRing()}
			if m.Name == "" {
				m.Name = e.Name()
				p.man.Name = e.Name()
			}
			if err != nil {
				p.state, p.lastErr = Broken, err.Error()
			}
			if old, ok := found[m.Name]; ok {
				if old.builtIn && !src.builtIn {
					h.opts.Log.Warn("an installed plugin has a built-in plugin's name; kept the built-in one", "plugin", m.Name, "dir", dir)
				}
				continue
			}
			found[m.Name] = p
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for name, p := range h.plugins {
		if _, ok := found[name]; !ok {
			p.stop()
			delete(h.plugins, name)
		}
	}
	for name, p := range found {
		if old, ok := h.plugins[name]; ok && old.man.SHA256 == p.man.SHA256 && old.dir == p.dir {
			continue
		}
		if old, ok := h.plugins[name]; ok {
			old.stop()
		}
		h.plugins[name] = p
	}
	return nil
}

// List returns every plugin, by name.
func (h *Host) List(ctx context.Context) []Info {
	var out []Info
	for _, p := range h.all() {
		out = append(out, h.infoOf(ctx, p))
	}
	return out
}

// Info is one plugin as List shows it.
func (h *Host) Info(ctx context.Context, name string) (Info, error) {
	p, err := h.get(name)
	if err != nil {
		return Info{}, err
	}
	return h.infoOf(ctx, p), nil
}

func (h *Host) infoOf(ctx context.Context, p *proc) Info {
	info := p.info()
	if info.State != Broken {
		if st, err := h.settings(ctx, p); err == nil && !st.Enabled {
			info.State = Disabled
		}
	}
	return info
}

// Start starts every enabled plugin that is not running yet, in
// parallel, so that what they say of themselves (their settings) is known;
// failures are kept as their state.
func (h *Host) Start(ctx context.Context) {
	var wg sync.WaitGroup
	for _, p := range h.all() {
		if st, err := h.settings(ctx, p); err != nil || !st.Enabled {
			continue
		}
		wg.Go(func() { _, _ = p.ready(ctx) })
	}
	wg.Wait()
}

// Described is what a plugin said of itself when it last started, or nil.
func (h *Host) Described(name string) *pluginv1.Manifest {
	p, err := h.get(name)
	if err != nil {
		return nil
	}
	return p.info().Described
}

// Log returns a plugin's recent stderr lines and the host's notes on it.
func (h *Host) Log(name string) ([]string, error) {
	p, err := h.get(name)
	if err != nil {
		return nil, err
	}
	return p.log.lines(), nil
}

// Stop stops a plugin (it starts again on its next use).
func (h *Host) Stop(name string) error {
	p, err := h.get(name)
	if err != nil {
		return err
	}
	p.stop()
	h.changed()
	return nil
}

// Close stops every plugin, and waits for the OnChange calls under way.
func (h *Host) Close() {
	for _, p := range h.all() {
		p.stop()
	}
	h.notices.Wait()
}

// ErrUnknown is returned for a plugin that is not installed.
var ErrUnknown = errors.New("no such plugin")

func (h *Host) get(name string) (*proc, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	p, ok := h.plugins[name]
	if !ok {
		return nil, fmt.Errorf("plugin %q: %w", name, ErrUnknown)
	}
	return p, nil
}

func (h *Host) all() []*proc {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*proc, 0, len(h.plugins))
	for _, p := range h.plugins {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b *proc) int { return cmp.Compare(a.man.Name, b.man.Name) })
	return out
}

func (h *Host) settings(ctx context.Context, p *proc) (Settings, error) {
	if h.opts.Settings == nil {
		return Settings{Enabled: true}, nil
	}
	var secretKeys []string
	for _, f := range p.info().Described.GetConfig() {
		if f.GetSecret() {
			secretKeys = append(secretKeys, f.GetKey())
		}
	}
	return h.opts.Settings(ctx, p.man.Name, secretKeys)
}

func (h *Host) changed() {
	if h.opts.OnChange != nil {
		h.opts.OnChange()
	}
}

// changedLater calls OnChange in a goroutine Close waits for, so a caller
// holding a plugin's lock never waits on OnChange.
func (h *Host) changedLater() { h.notices.Go(h.changed) }

// serving returns the enabled plugins that list point, with their settings.
func (h *Host) serving(ctx context.Context, point string) []served {
	var out []served
	for _, p := range h.all() {
		if !slices.Contains(p.man.ExtensionPoints, point) {
			continue
		}
		st, err := h.settings(ctx, p)
		if err != nil {
			h.opts.Log.Warn("read a plugin's settings", "plugin", p.man.Name, "err", err)
			continue
		}
		if st.Enabled {
			out = append(out, served{p, st})
		}
	}
	return out
}

type served struct {
	p  *proc
	st Settings
}
