package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/callboard/callboard/plugins/pluginv1"
)

// Entity is what an entity-content call is about.
type Entity struct {
	// JSON is the entity as Backstage's JSON.
	JSON        []byte
	Kind, Type  string
	Annotations map[string]string
	// Clone is the git repository of its location ("" when none), Commit
	// the synced commit, File the entity's file in it.
	Clone, Commit, File string
}

// Content is what one plugin shows for an entity, or why it cannot.
type Content struct {
	Plugin   string
	Version  string
	Views    []*pluginv1.View
	Err      error
	Duration time.Duration
}

// Limits on what a plugin may hand back for one entity.
const (
	maxViews  = 20
	maxBlocks = 200
	maxRows   = 1000
)

// EntityContent asks every enabled plugin that shows content for e, in
// parallel, and returns their answers in plugin order. A plugin that
// fails gives a Content with Err (an *Unavailable) and does not hold up
// the others beyond the call deadline.
func (h *Host) EntityContent(ctx context.Context, e Entity) []Content {
	plugins := h.serving(ctx, PointEntityContent)
	out := make([]Content, len(plugins))
	var wg sync.WaitGroup
	for i, s := range plugins {
		wg.Go(func() {
			start := time.Now()
			c := Content{Plugin: s.p.man.Name, Version: s.p.man.Version}
			c.Views, c.Err = h.entityContent(ctx, s, e)
			c.Duration = time.Since(start)
			if d := s.p.info().Described; d != nil {
				c.Version = d.GetVersion()
			}
			out[i] = c
		})
	}
	wg.Wait()
	kept := out[:0]
	for _, c := range out {
		if c.Err != nil || c.Views != nil {
			kept = append(kept, c)
		}
	}
	return kept
}

// entityContent returns nil views and no error when the plugin does not
// apply to e.
func (h *Host) entityContent(ctx context.Context, s served, e Entity) ([]*pluginv1.View, error) {
	if _, err := s.p.ready(ctx); err != nil {
		return nil, err
	}
	if !applies(s.p.info().Described.GetEntityContent(), e) {
		return nil, nil
	}
	var views []*pluginv1.View
	err := s.p.call(ctx, func(ctx context.Context, c pluginv1.PluginClient) error {
		resp, err := c.EntityContent(ctx, &pluginv1.EntityContentRequest{
			EntityJson: string(e.JSON), ClonePath: e.Clone, Commit: e.Commit, EntityFile: e.File,
			Config: s.st.Config, Secrets: s.st.Secrets,
		})
		if err != nil {
			return err
		}
		views = resp.GetViews()
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := checkViews(views); err != nil {
		return nil, &Unavailable{s.p.man.Name, "it returned content Callboard cannot show: " + err.Error()}
	}
	h.offers.set(offerKey(s.p.man.Name, e.JSON), nil, views, true)
	if views == nil {
		views = []*pluginv1.View{}
	}
	return views, nil
}

// applies reports whether any selector matches e.
func applies(selectors []*pluginv1.Selector, e Entity) bool {
	for _, s := range selectors {
		if s.GetKind() != "" && !strings.EqualFold(s.GetKind(), e.Kind) {
			continue
		}
		if s.GetType() != "" && !strings.EqualFold(s.GetType(), e.Type) {
			continue
		}
		if s.GetAnnotation() != "" {
			if _, ok := e.Annotations[s.GetAnnotation()]; !ok {
				continue
			}
		}
		return true
	}
	return false
}

func checkViews(views []*pluginv1.View) error {
	if len(views) > maxViews {
		return fmt.Errorf("%d views, at most %d", len(views), maxViews)
	}
	// A card and a tab may share an id: they are shown apart.
	seen := map[string]bool{}
	for i, v := range views {
		if v.GetId() == "" || v.GetTitle() == "" {
			return fmt.Errorf("view %d has no id or no title", i+1)
		}
		key := v.GetPlacement().String() + "/" + v.GetId()
		if seen[key] {
			return fmt.Errorf("two views have the id %q", v.GetId())
		}
		seen[key] = true
		if len(v.GetBlocks()) > maxBlocks {
			return fmt.Errorf("view %q: %d blocks, at most %d", v.GetId(), len(v.GetBlocks()), maxBlocks)
		}
		for _, b := range v.GetBlocks() {
			if b.GetKind() == nil {
				return fmt.Errorf("view %q: a block of a kind this Callboard does not know", v.GetId())
			}
			if t := b.GetTable(); t != nil && len(t.GetRows()) > maxRows {
				return fmt.Errorf("view %q: a table of %d rows, at most %d", v.GetId(), len(t.GetRows()), maxRows)
			}
			if err := checkBlockActions(b); err != nil {
				return fmt.Errorf("view %q: %w", v.GetId(), err)
			}
		}
		if err := checkBlockActions(&pluginv1.Block{Kind: &pluginv1.Block_Actions{Actions: &pluginv1.ViewActions{Items: v.GetActions()}}}); err != nil {
			return fmt.Errorf("view %q: %w", v.GetId(), err)
		}
	}
	return nil
}

// ActionTimeout bounds one run of a plugin's scaffolder action.
const ActionTimeout = 30 * time.Minute

// Action is a scaffolder action a plugin adds.
type Action struct {
	Plugin string
	Spec   *pluginv1.ActionSpec
}

// Actions lists the actions of the enabled plugins that add actions. A
// plugin that cannot start is skipped, with its error in Settings.
func (h *Host) Actions(ctx context.Context) []Action {
	var out []Action
	for _, s := range h.serving(ctx, PointActions) {
		if _, err := s.p.ready(ctx); err != nil {
			continue
		}
		for _, a := range s.p.info().Described.GetActions() {
			out = append(out, Action{Plugin: s.p.man.Name, Spec: a})
		}
	}
	return out
}

// RunAction runs a plugin's action; log receives its lines and the
// outputs are returned as JSON values.
func (h *Host) RunAction(ctx context.Context, plugin string, req *pluginv1.RunActionRequest, log func(string)) (map[string]json.RawMessage, error) {
	p, err := h.get(plugin)
	if err != nil {
		return nil, err
	}
	st, err := h.settings(ctx, p)
	if err != nil {
		return nil, err
	}
	req.Config, req.Secrets = st.Config, st.Secrets
	outputs := map[string]json.RawMessage{}
	// An action may take as long as the run lets it (cancelling the run
	// cancels it), up to ActionTimeout.
	err = p.callWithin(ctx, ActionTimeout, func(ctx context.Context, c pluginv1.PluginClient) error {
		stream, err := c.RunAction(ctx, req)
		if err != nil {
			return err
		}
		for {
			ev, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			switch k := ev.GetKind().(type) {
			case *pluginv1.ActionEvent_Log:
				log(k.Log)
			case *pluginv1.ActionEvent_Output:
				if !json.Valid([]byte(k.Output.GetValueJson())) {
					return fmt.Errorf("output %q is not JSON", k.Output.GetName())
				}
				outputs[k.Output.GetName()] = json.RawMessage(k.Output.GetValueJson())
			}
		}
	})
	return outputs, err
}

// File is a catalog file a plugin provided.
type File struct {
	Plugin  string
	Path    string
	Content []byte
}

// ProvideEntities asks one plugin, enabled and serving entities, for its
// catalog files.
func (h *Host) ProvideEntities(ctx context.Context, plugin string) ([]File, error) {
	for _, s := range h.serving(ctx, PointEntities) {
		if s.p.man.Name != plugin {
			continue
		}
		var files []File
		err := s.p.call(ctx, func(ctx context.Context, c pluginv1.PluginClient) error {
			resp, err := c.ProvideEntities(ctx, &pluginv1.ProvideEntitiesRequest{Config: s.st.Config, Secrets: s.st.Secrets})
			if err != nil {
				return err
			}
			for _, f := range resp.GetFiles() {
				files = append(files, File{Plugin: plugin, Path: f.GetPath(), Content: f.GetContent()})
			}
			return nil
		})
		return files, err
	}
	return nil, fmt.Errorf("plugin %q is not enabled or provides no entities: %w", plugin, ErrUnknown)
}

// EntityFiles is what the sync of a plugin's location reads instead of a
// repository (it is the syncer's Provider): the catalog files plugin
// provides now, by path. It fails, saying why, when the plugin is not
// installed, is turned off, does not list the entities extension point,
// or cannot answer.
func (h *Host) EntityFiles(ctx context.Context, plugin string) (map[string][]byte, error) {
	info, err := h.Info(ctx, plugin)
	switch {
	case err != nil:
		return nil, errors.New("it is not installed")
	case info.State == Disabled:
		return nil, errors.New("it is turned off in Settings")
	case !slices.Contains(info.ExtensionPoints, PointEntities):
		return nil, errors.New("its manifest does not list the entities extension point")
	}
	files, err := h.ProvideEntities(ctx, plugin)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(files))
	for _, f := range files {
		out[f.Path] = f.Content
	}
	return out, nil
}

// SearchDocuments collects the search documents of the plugins that add
// them.
func (h *Host) SearchDocuments(ctx context.Context) (docs map[string][]*pluginv1.SearchDocument, errs []error) {
	docs = map[string][]*pluginv1.SearchDocument{}
	for _, s := range h.serving(ctx, PointSearch) {
		err := s.p.call(ctx, func(ctx context.Context, c pluginv1.PluginClient) error {
			resp, err := c.SearchDocuments(ctx, &pluginv1.SearchDocumentsRequest{Config: s.st.Config, Secrets: s.st.Secrets})
			if err != nil {
				return err
			}
			docs[s.p.man.Name] = resp.GetDocuments()
			return nil
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("plugin %s: %w", s.p.man.Name, err))
		}
	}
	return docs, errs
}
