package host

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/callboard/callboard/plugins/pluginv1"
)

// Extension points of the pages a plugin adds, its Home cards and its
// entity actions (protocol 1.1: an older plugin lists none of them and is
// never asked).
const (
	PointPages         = "pages"
	PointHomeCards     = "homeCards"
	PointEntityActions = "entityActions"
)

// Limits on what a plugin announces and what a page or an action returns.
const (
	maxPages         = 10
	maxEntityActions = 10
	maxRadarEntries  = 500
	maxRadarRings    = 8
)

// Caller is what the UI calls of a plugin get beyond its settings: the
// synced locations' clones (passed only to a plugin that asks for them)
// and who is looking.
type Caller struct {
	Clones []*pluginv1.PageClone
	User   *pluginv1.PageUser
}

func (c Caller) clonesFor(d *pluginv1.Manifest) []*pluginv1.PageClone {
	if d.GetReadsClones() {
		return c.Clones
	}
	return nil
}

// Page is a page a plugin announced.
type Page struct {
	Plugin string
	Spec   *pluginv1.PageSpec
}

// Pages lists the pages of the enabled plugins that list the pages
// extension point, by navigation order then title. A plugin that cannot
// start, or announces pages wrongly, adds none (its error is in Settings).
func (h *Host) Pages(ctx context.Context) []Page {
	var out []Page
	for _, s := range h.serving(ctx, PointPages) {
		if _, err := s.p.ready(ctx); err != nil {
			continue
		}
		pages := s.p.info().Described.GetPages()
		if err := checkPageSpecs(pages); err != nil {
			h.opts.Log.Warn("a plugin announced pages Callboard cannot show", "plugin", s.p.man.Name, "err", err)
			continue
		}
		for _, pg := range pages {
			out = append(out, Page{Plugin: s.p.man.Name, Spec: pg})
		}
	}
	slices.SortStableFunc(out, func(a, b Page) int {
		return cmp.Or(cmp.Compare(a.Spec.GetNavOrder(), b.Spec.GetNavOrder()), cmp.Compare(a.Spec.GetTitle(), b.Spec.GetTitle()))
	})
	return out
}

func checkPageSpecs(pages []*pluginv1.PageSpec) error {
	if len(pages) > maxPages {
		return fmt.Errorf("%d pages, at most %d", len(pages), maxPages)
	}
	seen := map[string]bool{}
	for i, p := range pages {
		if !validName().MatchString(p.GetId()) || p.GetTitle() == "" {
			return fmt.Errorf("page %d: want an id of lower-case letters, digits and dashes, and a title", i+1)
		}
		if seen[p.GetId()] {
			return fmt.Errorf("two pages have the id %q", p.GetId())
		}
		seen[p.GetId()] = true
	}
	return nil
}

// servedPoint returns the enabled plugin name serving point, started.
func (h *Host) servedPoint(ctx context.Context, plugin, point string) (served, error) {
	for _, s := range h.serving(ctx, point) {
		if s.p.man.Name != plugin {
			continue
		}
		if _, err := s.p.ready(ctx); err != nil {
			return served{}, err
		}
		return s, nil
	}
	return served{}, fmt.Errorf("plugin %q is not enabled or lists no %s: %w", plugin, point, ErrUnknown)
}

// PageContent calls a plugin's page. Only pages the plugin announced are
// called: another id is ErrUnknown, as is a plugin that answers
// Unimplemented. Content it cannot show is an *Unavailable.
func (h *Host) PageContent(ctx context.Context, plugin, page string, params map[string]string, in Caller) (*pluginv1.PageResponse, *pluginv1.PageSpec, error) {
	s, err := h.servedPoint(ctx, plugin, PointPages)
	if err != nil {
		return nil, nil, err
	}
	d := s.p.info().Described
	i := slices.IndexFunc(d.GetPages(), func(p *pluginv1.PageSpec) bool { return p.GetId() == page })
	if i < 0 || checkPageSpecs(d.GetPages()) != nil {
		return nil, nil, fmt.Errorf("plugin %q has no page %q: %w", plugin, page, ErrUnknown)
	}
	spec := d.GetPages()[i]
	var resp *pluginv1.PageResponse
	unimplemented := false
	err = s.p.call(ctx, func(ctx context.Context, c pluginv1.PluginClient) error {
		r, err := c.Page(ctx, &pluginv1.PageRequest{PageId: page, Params: params, Config: s.st.Config, Secrets: s.st.Secrets,
			Clones: in.clonesFor(d), User: in.User})
		if status.Code(err) == codes.Unimplemented {
			unimplemented = true
			return nil
		}
		resp = r
		return err
	})
	switch {
	case err != nil:
		return nil, nil, err
	case unimplemented:
		return nil, nil, fmt.Errorf("plugin %q does not serve pages: %w", plugin, ErrUnknown)
	}
	if err := checkBlocks(page, resp.GetBlocks(), maxBlocks); err != nil {
		return nil, nil, &Unavailable{plugin, "it returned content Callboard cannot show: " + err.Error()}
	}
	return resp, spec, nil
}

// HomeCards asks every enabled plugin serving Home cards, in parallel,
// and returns their answers in plugin order; one that fails gives a
// Content with Err and holds up the others no longer than the deadline.
// A plugin that does not say it serves them, or answers Unimplemented,
// is left out.
func (h *Host) HomeCards(ctx context.Context, in Caller) []Content {
	plugins := h.serving(ctx, PointHomeCards)
	out := make([]Content, len(plugins))
	var wg sync.WaitGroup
	for i, s := range plugins {
		wg.Go(func() {
			start := time.Now()
			c := Content{Plugin: s.p.man.Name, Version: s.p.man.Version}
			c.Views, c.Err = h.homeCards(ctx, s, in)
			c.Duration = time.Since(start)
			out[i] = c
		})
	}
	wg.Wait()
	return slices.DeleteFunc(out, func(c Content) bool { return c.Err == nil && c.Views == nil })
}

func (h *Host) homeCards(ctx context.Context, s served, in Caller) ([]*pluginv1.View, error) {
	if _, err := s.p.ready(ctx); err != nil {
		return nil, err
	}
	d := s.p.info().Described
	if !d.GetHomeCards() {
		return nil, nil
	}
	var views []*pluginv1.View
	err := s.p.call(ctx, func(ctx context.Context, c pluginv1.PluginClient) error {
		r, err := c.HomeCards(ctx, &pluginv1.HomeCardsRequest{Config: s.st.Config, Secrets: s.st.Secrets, Clones: in.clonesFor(d), User: in.User})
		if status.Code(err) == codes.Unimplemented {
			return nil
		}
		views = r.GetViews()
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, v := range views {
		v.Placement = pluginv1.Placement_PLACEMENT_CARD
	}
	if err := checkViews(views); err != nil {
		return nil, &Unavailable{s.p.man.Name, "it returned content Callboard cannot show: " + err.Error()}
	}
	for _, v := range views {
		if err := checkBlocks(v.GetId(), v.GetBlocks(), maxBlocks); err != nil {
			return nil, &Unavailable{s.p.man.Name, "it returned content Callboard cannot show: " + err.Error()}
		}
	}
	return views, nil
}

func checkRadar(r *pluginv1.Radar) error {
	if len(r.GetQuadrants()) != 4 {
		return fmt.Errorf("%d quadrants, want 4", len(r.GetQuadrants()))
	}
	if n := len(r.GetRings()); n < 1 || n > maxRadarRings {
		return fmt.Errorf("%d rings, want 1 to %d", n, maxRadarRings)
	}
	if n := len(r.GetEntries()); n > maxRadarEntries {
		return fmt.Errorf("%d entries, at most %d", n, maxRadarEntries)
	}
	quadrants, rings := map[string]bool{}, map[string]bool{}
	for _, q := range r.GetQuadrants() {
		quadrants[q.GetId()] = true
	}
	for _, g := range r.GetRings() {
		rings[g.GetId()] = true
	}
	for _, e := range r.GetEntries() {
		if !quadrants[e.GetQuadrantId()] || !rings[e.GetRingId()] {
			return fmt.Errorf("entry %q is in no quadrant or ring of the radar", e.GetId())
		}
	}
	return nil
}

// EntityAction is an entity action a plugin offers for one entity.
type EntityAction struct {
	Plugin string
	Spec   *pluginv1.EntityActionSpec
}

// EntityActions lists the actions the enabled plugins offer for e: those
// whose selector matches, and, of those that ask, the ones the plugin says
// apply. A plugin that fails or answers Unimplemented offers none.
func (h *Host) EntityActions(ctx context.Context, e Entity, in Caller) []EntityAction {
	var out []EntityAction
	for _, s := range h.serving(ctx, PointEntityActions) {
		if _, err := s.p.ready(ctx); err != nil {
			continue
		}
		d := s.p.info().Described
		var matched []*pluginv1.EntityActionSpec
		asks := false
		for _, a := range head(d.GetEntityActions(), maxEntityActions) {
			if a.GetId() == "" || a.GetTitle() == "" {
				continue
			}
			if len(a.GetEntities()) == 0 || applies(a.GetEntities(), e) {
				matched = append(matched, a)
				asks = asks || a.GetAsk()
			}
		}
		var yes []string
		if asks {
			err := s.p.call(ctx, func(ctx context.Context, c pluginv1.PluginClient) error {
				r, err := c.EntityActions(ctx, &pluginv1.EntityActionsRequest{EntityJson: string(e.JSON), Config: s.st.Config, Secrets: s.st.Secrets,
					Clones: in.clonesFor(d)})
				if status.Code(err) == codes.Unimplemented {
					return nil
				}
				yes = r.GetActionIds()
				return err
			})
			if err != nil {
				h.opts.Log.Warn("a plugin could not say which actions apply", "plugin", s.p.man.Name, "err", err)
			}
		}
		for _, a := range matched {
			if !a.GetAsk() || slices.Contains(yes, a.GetId()) {
				out = append(out, EntityAction{Plugin: s.p.man.Name, Spec: a})
			}
		}
	}
	return out
}

func head[T any](s []T, n int) []T { return s[:min(len(s), n)] }

// RunEntityAction runs a plugin's entity action on e. Only an action the
// plugin announced, whose selector matches e, is run; another is
// ErrUnknown, as is a plugin that answers Unimplemented.
func (h *Host) RunEntityAction(ctx context.Context, plugin, action string, e Entity, in Caller) (*pluginv1.RunEntityActionResponse, error) {
	s, err := h.servedPoint(ctx, plugin, PointEntityActions)
	if err != nil {
		return nil, err
	}
	d := s.p.info().Described
	i := slices.IndexFunc(head(d.GetEntityActions(), maxEntityActions), func(a *pluginv1.EntityActionSpec) bool { return a.GetId() == action })
	if i < 0 || (len(d.GetEntityActions()[i].GetEntities()) > 0 && !applies(d.GetEntityActions()[i].GetEntities(), e)) {
		return nil, fmt.Errorf("plugin %q has no action %q for this entity: %w", plugin, action, ErrUnknown)
	}
	var resp *pluginv1.RunEntityActionResponse
	unimplemented := false
	err = s.p.call(ctx, func(ctx context.Context, c pluginv1.PluginClient) error {
		r, err := c.RunEntityAction(ctx, &pluginv1.RunEntityActionRequest{ActionId: action, EntityJson: string(e.JSON), Config: s.st.Config,
			Secrets: s.st.Secrets, Clones: in.clonesFor(d), User: in.User})
		if status.Code(err) == codes.Unimplemented {
			unimplemented = true
			return nil
		}
		resp = r
		return err
	})
	switch {
	case err != nil:
		return nil, err
	case unimplemented:
		return nil, fmt.Errorf("plugin %q does not run entity actions: %w", plugin, ErrUnknown)
	}
	if err := checkBlocks(action, resp.GetBlocks(), maxBlocks); err != nil {
		return nil, &Unavailable{plugin, "it returned content Callboard cannot show: " + err.Error()}
	}
	return resp, nil
}
