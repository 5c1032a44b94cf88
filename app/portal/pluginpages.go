package portal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/plugins/host"
	"github.com/callboard/callboard/plugins/pluginv1"
)

// pluginUI asks the plugins for their pages, Home cards and entity
// actions, giving them the synced clones and the user's identity.
type pluginUI struct {
	// host is nil when there are no plugins.
	host   pluginUIHost
	db     pluginUIStore
	clones pluginClones
	users  problemUsers
	log    *slog.Logger
}

// pluginUIHost calls the plugins' pages, Home cards and entity actions;
// *host.Host is the one in use. PageContent and RunEntityAction give
// host.ErrUnknown for what the plugin did not announce, and an
// *host.Unavailable when it cannot answer.
type pluginUIHost interface {
	Pages(ctx context.Context) []host.Page
	PageContent(ctx context.Context, plugin, page string, params map[string]string, in host.Caller) (*pluginv1.PageResponse, *pluginv1.PageSpec, error)
	HomeCards(ctx context.Context, in host.Caller) []host.Content
	EntityActions(ctx context.Context, e host.Entity, in host.Caller) []host.EntityAction
	RunEntityAction(ctx context.Context, plugin, action string, e host.Entity, in host.Caller) (*pluginv1.RunEntityActionResponse, error)
}

// pluginUIStore reads entities and locations.
type pluginUIStore interface {
	Entity(ctx context.Context, ref string) (store.Entity, bool, error)
	locationReader
	locationLister
}

// Limits on the query of a plugin page's address.
const (
	maxPageParams     = 20
	maxPageParamBytes = 1000
)

// PluginPages answers API.PluginPages.
func (s *pluginUI) PluginPages(ctx context.Context) ([]PluginPage, error) {
	out := []PluginPage{}
	if s.host == nil {
		return out, nil
	}
	for _, p := range s.host.Pages(ctx) {
		out = append(out, PluginPage{Plugin: p.Plugin, ID: p.Spec.GetId(), Title: p.Spec.GetTitle(), Icon: p.Spec.GetIcon(),
			NavOrder: int(p.Spec.GetNavOrder()), Path: "/plugins/" + p.Plugin + "/" + p.Spec.GetId()})
	}
	return out, nil
}

// PluginPage answers API.PluginPage.
func (s *pluginUI) PluginPage(ctx context.Context, plugin, page string, params map[string]string) (PluginPageContent, error) {
	if err := requireID("plugin", plugin); err != nil {
		return PluginPageContent{}, err
	}
	if err := requireID("page", page); err != nil {
		return PluginPageContent{}, err
	}
	if len(params) > maxPageParams {
		return PluginPageContent{}, fmt.Errorf("%d params, at most %d: %w", len(params), maxPageParams, ErrInvalid)
	}
	for k, v := range params {
		if len(k)+len(v) > maxPageParamBytes || strings.ContainsRune(k+v, 0) {
			return PluginPageContent{}, fmt.Errorf("param %.40q: too long or not text: %w", k, ErrInvalid)
		}
	}
	if s.host == nil {
		return PluginPageContent{}, fmt.Errorf("plugin page %s/%s: %w", plugin, page, ErrNotFound)
	}
	in, err := s.caller(ctx)
	if err != nil {
		return PluginPageContent{}, err
	}
	start := time.Now()
	resp, spec, err := s.host.PageContent(ctx, plugin, page, params, in)
	out := PluginPageContent{Plugin: plugin, ID: page, Title: spec.GetTitle(), Subtitle: resp.GetSubtitle(), Blocks: []json.RawMessage{},
		DurationMS: time.Since(start).Milliseconds()}
	if errors.Is(err, host.ErrUnknown) {
		return PluginPageContent{}, fmt.Errorf("plugin page %s/%s: %w", plugin, page, ErrNotFound)
	}
	if err != nil {
		out.Error = reason(err)
		return out, nil
	}
	if out.Blocks, err = blocksJSON(resp.GetBlocks()); err != nil {
		return PluginPageContent{}, fmt.Errorf("plugin %s page %s: %w", plugin, page, err)
	}
	return out, nil
}

// HomeCards answers API.HomeCards.
func (s *pluginUI) HomeCards(ctx context.Context) ([]PluginContent, error) {
	out := []PluginContent{}
	if s.host == nil {
		return out, nil
	}
	in, err := s.caller(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range s.host.HomeCards(ctx, in) {
		pc := PluginContent{Plugin: c.Plugin, Version: c.Version, Views: []json.RawMessage{}, DurationMS: c.Duration.Milliseconds()}
		if c.Err != nil {
			pc.Error = reason(c.Err)
		}
		for _, v := range c.Views {
			b, err := viewJSON.Marshal(v)
			if err != nil {
				return nil, fmt.Errorf("plugin %s: %w", c.Plugin, err)
			}
			pc.Views = append(pc.Views, b)
		}
		out = append(out, pc)
	}
	return out, nil
}

// EntityActions answers API.EntityActions.
func (s *pluginUI) EntityActions(ctx context.Context, ref string) ([]PluginEntityAction, error) {
	e, err := s.entity(ctx, ref)
	if err != nil {
		return nil, err
	}
	out := []PluginEntityAction{}
	if s.host == nil {
		return out, nil
	}
	in, err := s.caller(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range s.host.EntityActions(ctx, e, in) {
		out = append(out, PluginEntityAction{Plugin: a.Plugin, ID: a.Spec.GetId(), Title: a.Spec.GetTitle(), Confirmation: a.Spec.GetConfirmation()})
	}
	return out, nil
}

// RunEntityAction answers API.RunEntityAction.
func (s *pluginUI) RunEntityAction(ctx context.Context, ref string, call EntityActionCall) (EntityActionResult, error) {
	e, err := s.entity(ctx, ref)
	if err != nil {
		return EntityActionResult{}, err
	}
	if call.Plugin == "" || call.Action == "" {
		return EntityActionResult{}, fmt.Errorf("plugin and action: want both: %w", ErrInvalid)
	}
	if s.host == nil {
		return EntityActionResult{}, fmt.Errorf("plugin %q: %w", call.Plugin, ErrNotFound)
	}
	in, err := s.caller(ctx)
	if err != nil {
		return EntityActionResult{}, err
	}
	resp, err := s.host.RunEntityAction(ctx, call.Plugin, call.Action, e, in)
	var u *host.Unavailable
	switch {
	case errors.Is(err, host.ErrUnknown):
		return EntityActionResult{}, fmt.Errorf("action %s of plugin %s for %s: %w", call.Action, call.Plugin, ref, ErrNotFound)
	case errors.As(err, &u):
		return EntityActionResult{}, fmt.Errorf("%s: %w", u.Error(), ErrBusy)
	case err != nil:
		// The plugin answered with an error of its own: the action failed.
		return EntityActionResult{Notice: err.Error(), Status: "error", Blocks: []json.RawMessage{}}, nil
	}
	s.log.Info("plugin entity action ran", "plugin", call.Plugin, "action", call.Action, "entity", ref)
	out := EntityActionResult{Notice: resp.GetNotice(), Status: statusName(resp.GetStatus()), OpenURL: resp.GetOpenUrl()}
	if out.Blocks, err = blocksJSON(resp.GetBlocks()); err != nil {
		return EntityActionResult{}, fmt.Errorf("plugin %s action %s: %w", call.Plugin, call.Action, err)
	}
	return out, nil
}

// caller is what the plugins get: every synced repository's clone (the
// host passes them only to plugins that ask) and the user's identity.
func (s *pluginUI) caller(ctx context.Context) (host.Caller, error) {
	locs, err := s.db.Locations(ctx)
	if err != nil {
		return host.Caller{}, err
	}
	var in host.Caller
	for _, l := range locs {
		if l.HeadCommit == "" || isPluginLocation(l.URL) {
			continue
		}
		if dir := s.clones.Clone(l.ID); dir != "" {
			in.Clones = append(in.Clones, &pluginv1.PageClone{LocationId: l.ID, Path: dir, Commit: l.HeadCommit, Url: l.URL})
		}
	}
	id, err := s.users.identity(ctx)
	if err != nil {
		return host.Caller{}, err
	}
	in.User = &pluginv1.PageUser{EntityRef: id.UserRef, Groups: id.Groups}
	return in, nil
}

// entity is ref's entity as plugins get it, with its location's clone.
func (s *pluginUI) entity(ctx context.Context, ref string) (host.Entity, error) {
	r, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return host.Entity{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	e, ok, err := s.db.Entity(ctx, r.String())
	if err != nil {
		return host.Entity{}, err
	}
	if !ok {
		return host.Entity{}, fmt.Errorf("entity %s: %w", r, ErrNotFound)
	}
	doc, err := json.Marshal(e.Entity)
	if err != nil {
		return host.Entity{}, err
	}
	out := host.Entity{JSON: doc, Kind: e.Entity.Kind, Type: summarize(&e.Entity).Type, Annotations: e.Entity.Metadata.Annotations,
		File: e.Source.File, Commit: e.Commit}
	if loc, ok, err := s.db.Location(ctx, e.LocationID); err == nil && ok && loc.HeadCommit != "" && !isPluginLocation(loc.URL) {
		out.Clone = s.clones.Clone(e.LocationID)
		if out.Commit == "" {
			out.Commit = loc.HeadCommit
		}
	}
	return out, nil
}

// reason is why a plugin could not answer, as its card says it.
func reason(err error) string {
	var u *host.Unavailable
	if errors.As(err, &u) {
		return u.Reason
	}
	return err.Error()
}

// blocksJSON writes blocks as protojson, every field present.
func blocksJSON(blocks []*pluginv1.Block) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, 0, len(blocks))
	for _, b := range blocks {
		data, err := viewJSON.Marshal(b)
		if err != nil {
			return nil, err
		}
		out = append(out, data)
	}
	return out, nil
}

func statusName(s pluginv1.Status) string {
	switch s {
	case pluginv1.Status_STATUS_OK:
		return "ok"
	case pluginv1.Status_STATUS_WARNING:
		return "warning"
	case pluginv1.Status_STATUS_ERROR:
		return "error"
	case pluginv1.Status_STATUS_INFO, pluginv1.Status_STATUS_PENDING:
		return "info"
	}
	return ""
}
