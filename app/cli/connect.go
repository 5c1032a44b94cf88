package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/callboard/callboard/app/instance"
	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/store"
)

// connection is the portal a command talks to: the running instance's, or
// one this process opened because none runs.
type connection struct {
	api    portal.API
	local  *instance.Local  // nil when talking to a running instance
	reader *instance.Reader // set when reading the data dir as it is
	root   string
	// catalog serves Backstage's catalog API over local's store, made
	// once so serve's port and the socket share one index.
	catalog http.Handler
}

func (c *connection) Close() error {
	switch {
	case c.local != nil:
		return c.local.Close()
	case c.reader != nil:
		return c.reader.Close()
	}
	return nil
}

// read connects a command that only reads: to the running instance, else
// to the data dir opened read-only as it is (instance.OpenReader: no
// plugins, syncs, workers or catalog-sized tables), else as open does,
// when the data dir needs a writer first (a fresh one, a location never
// synced, a search index behind the store). withSearch opens the search
// index too.
func (r *runner) read(ctx context.Context, withSearch bool) (*connection, error) {
	root, err := instance.DataDir(r.dataDir)
	if err != nil {
		return nil, err
	}
	if client, err := instance.Dial(ctx, root); err == nil {
		return &connection{api: client, root: root}, nil
	}
	log := r.logger(slog.LevelWarn)
	rd, err := instance.OpenReader(ctx, instance.ReaderConfig{Root: root, Build: r.env.Build, Log: log, Credentials: r.credentials(), Search: withSearch})
	if err == nil {
		return &connection{api: rd.API, reader: rd, root: root}, nil
	}
	log.Debug("the data dir needs a writer first", "dataDir", root, "reason", err)
	return r.open(ctx)
}

// connect reaches the instance running on the data dir, or opens the store
// itself when none runs. Two processes starting at once race for the store;
// the loser finds the winner's socket a moment later.
func (r *runner) connect(ctx context.Context, mode string, log *slog.Logger) (*connection, error) {
	root, err := instance.DataDir(r.dataDir)
	if err != nil {
		return nil, err
	}
	if client, err := instance.Dial(ctx, root); err == nil {
		return &connection{api: client, root: root}, nil
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		local, err := instance.Open(ctx, instance.Config{Root: root, Mode: mode, Version: r.env.Build.Version, Build: r.env.Build, Log: log, Credentials: r.credentials(),
			BuiltInPlugins: r.builtInPlugins(), BundledPlugins: r.env.Plugins, Getenv: r.env.Getenv})
		if err == nil {
			return &connection{api: local.Service, local: local, root: root}, nil
		}
		if !errors.Is(err, store.ErrLocked) {
			return nil, err
		}
		if client, derr := instance.Dial(ctx, root); derr == nil {
			return &connection{api: client, root: root}, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("the data dir %s is locked by another Callboard process that does not answer on its socket; stop it or use another --data-dir", root)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// builtInPlugins is the folder of the plugins shipped with the app: the
// plugins folder beside the executable, or CALLBOARD_BUILTIN_PLUGINS.
func (r *runner) builtInPlugins() string {
	if dir := r.env.Getenv("CALLBOARD_BUILTIN_PLUGINS"); dir != "" {
		return dir
	}
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	return filepath.Join(filepath.Dir(exe), "plugins")
}
