package portal

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/plugins/host"
	"github.com/callboard/callboard/plugins/pluginv1"
)

// PluginActionCall is a press of a button or link a plugin's view
// offered: the plugin, the action's id and its parameters, as the view
// gave them.
type PluginActionCall struct {
	Plugin     string            `json:"plugin"`
	Action     string            `json:"action"`
	Parameters map[string]string `json:"parameters"`
}

// PluginActionResult is what a view action answered: blocks (the
// protocol's Block messages as protojson) to show in its place, or why
// the plugin could not answer.
type PluginActionResult struct {
	Blocks     []json.RawMessage `json:"blocks"`
	Error      string            `json:"error,omitempty"`
	DurationMS int64             `json:"durationMs"`
}

// viewActioner is a plugin host that runs view actions.
type viewActioner interface {
	ViewAction(ctx context.Context, e host.Entity, call host.ViewActionCall) ([]*pluginv1.Block, error)
}

// RunViewAction implements API.
func (s *Service) RunViewAction(ctx context.Context, ref string, call PluginActionCall) (PluginActionResult, error) {
	return s.plugins.RunViewAction(ctx, ref, call)
}

// RunViewAction answers API.RunViewAction.
func (s *pluginsView) RunViewAction(ctx context.Context, ref string, call PluginActionCall) (PluginActionResult, error) {
	r, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return PluginActionResult{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err := requireID("plugin", call.Plugin); err != nil {
		return PluginActionResult{}, err
	}
	hc := host.ViewActionCall{Plugin: call.Plugin, ID: call.Action, Parameters: call.Parameters}
	if err := host.CheckViewActionCall(hc); err != nil {
		return PluginActionResult{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	e, ok, err := s.db.Entity(ctx, r.String())
	if err != nil {
		return PluginActionResult{}, err
	}
	if !ok {
		return PluginActionResult{}, fmt.Errorf("entity %s: %w", r, ErrNotFound)
	}
	va, ok := s.host.(viewActioner)
	if s.host == nil || !ok {
		return PluginActionResult{}, fmt.Errorf("plugin %q: %w", call.Plugin, ErrNotFound)
	}
	doc, err := json.Marshal(e.Entity)
	if err != nil {
		return PluginActionResult{}, err
	}
	req := host.Entity{JSON: doc, Kind: e.Entity.Kind, Type: summarize(&e.Entity).Type, Annotations: e.Entity.Metadata.Annotations, File: e.Source.File, Commit: e.Commit}
	if loc, ok, err := s.db.Location(ctx, e.LocationID); err == nil && ok && loc.HeadCommit != "" && !isPluginLocation(loc.URL) {
		req.Clone = s.clones.Clone(e.LocationID)
		req.Commit = cmp.Or(req.Commit, loc.HeadCommit)
	}
	start := time.Now()
	blocks, err := va.ViewAction(ctx, req, hc)
	out := PluginActionResult{Blocks: []json.RawMessage{}, DurationMS: time.Since(start).Milliseconds()}
	var u *host.Unavailable
	switch {
	case errors.Is(err, host.ErrUnknown):
		return PluginActionResult{}, fmt.Errorf("%w: %v", ErrNotFound, err)
	case errors.Is(err, host.ErrNotOffered), errors.Is(err, host.ErrNoViewActions):
		s.log.Warn("a view action was refused", "plugin", call.Plugin, "action", call.Action, "entity", r.String(), "err", err)
		return PluginActionResult{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	case ctx.Err() != nil:
		return PluginActionResult{}, ctx.Err()
	case errors.As(err, &u):
		out.Error = u.Reason
		return out, nil
	case err != nil:
		out.Error = err.Error()
		return out, nil
	}
	for _, b := range blocks {
		j, err := viewJSON.Marshal(b)
		if err != nil {
			return PluginActionResult{}, fmt.Errorf("plugin %s: %w", call.Plugin, err)
		}
		out.Blocks = append(out.Blocks, j)
	}
	return out, nil
}
