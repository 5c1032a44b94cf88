package backstage

import (
	"context"
	"fmt"
	"slices"
)

// State is what a read leaves for the next one to compare against: the
// etag of each entity the caller kept, by ref.
type State struct {
	Version int               `json:"version"`
	BaseURL string            `json:"baseUrl"`
	ETags   map[string]string `json:"etags"`
}

// stateVersion changes whenever State's meaning does; a state of another
// version reads the catalog whole.
const stateVersion = 1

// NewState is the state of a read that kept entities, with their etags.
func (c *Client) NewState(kept []Entity) State {
	st := State{Version: stateVersion, BaseURL: c.base.String(), ETags: make(map[string]string, len(kept))}
	for _, e := range kept {
		st.ETags[e.Ref] = e.ETag
	}
	return st
}

// Changes is what a read found.
type Changes struct {
	// Whole is true when the catalog was read whole: Changed is then
	// every entity, and Unchanged and Removed are empty.
	Whole bool
	// Changed are the entities new or changed since the state, whole.
	Changed []Entity
	// Unchanged are the entities whose etag is the state's: the caller
	// has them (JSON nil). With Changed they are the whole catalog.
	Unchanged []Entity
	// Removed are the refs of the state the backend no longer lists.
	Removed []string
}

// Idle says whether nothing changed since the state.
func (ch Changes) Idle() bool { return !ch.Whole && len(ch.Changed) == 0 && len(ch.Removed) == 0 }

// Read reads the catalog as it changed since prev: without a usable prev,
// every entity, page by page; with one, every entity's etag (a page of
// 10,000 by default), then the entities whose etag changed or that are
// new, by ref. An entity changed between the two steps is read as it is
// then; one deleted in between is left out (Removed).
func (c *Client) Read(ctx context.Context, prev *State) (Changes, error) {
	var whole []Entity
	ch, err := c.ReadEach(ctx, prev, func(es []Entity) error {
		whole = append(whole, es...)
		return nil
	})
	if ch.Whole {
		ch.Changed = whole
	}
	return ch, err
}

// ReadEach is Read, but a whole read gives each page's entities to fn as
// they come and keeps none (Changes.Changed is empty): a caller storing
// them holds a page, not the catalog. An error of fn ends the read.
func (c *Client) ReadEach(ctx context.Context, prev *State, fn func([]Entity) error) (Changes, error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.ReadTimeout)
	defer cancel()
	if prev == nil || prev.Version != stateVersion || prev.BaseURL != c.base.String() {
		return c.readWhole(ctx, fn)
	}
	var ch Changes
	listed := map[string]bool{}
	var changed []string
	err := c.pages(ctx, true, func(items []Entity) error {
		for _, e := range items {
			if listed[e.Ref] {
				continue // the backend listed it twice (entities moved between pages)
			}
			listed[e.Ref] = true
			if etag, ok := prev.ETags[e.Ref]; ok && etag == e.ETag && e.ETag != "" {
				ch.Unchanged = append(ch.Unchanged, e)
			} else {
				changed = append(changed, e.Ref)
			}
		}
		return nil
	})
	if err != nil {
		return Changes{}, fmt.Errorf("read the etags of %s: %w", c.base, err)
	}
	for ref := range prev.ETags {
		if !listed[ref] {
			ch.Removed = append(ch.Removed, ref)
		}
	}
	for batch := range slices.Chunk(changed, c.opts.BatchSize) {
		got, err := c.byRefs(ctx, batch)
		if err != nil {
			return Changes{}, fmt.Errorf("read %d changed entities of %s: %w", len(batch), c.base, err)
		}
		found := make(map[string]bool, len(got))
		for _, e := range got {
			found[e.Ref] = true
		}
		ch.Changed = append(ch.Changed, got...)
		for _, ref := range batch {
			if !found[ref] {
				if _, ok := prev.ETags[ref]; ok {
					ch.Removed = append(ch.Removed, ref)
				}
			}
		}
	}
	slices.Sort(ch.Removed)
	ch.Removed = slices.Compact(ch.Removed)
	return ch, nil
}

// readWhole reads every entity, page by page, giving each page's entities
// not given before to fn.
func (c *Client) readWhole(ctx context.Context, fn func([]Entity) error) (Changes, error) {
	seen := map[string]bool{}
	err := c.pages(ctx, false, func(items []Entity) error {
		fresh := items[:0:0]
		for _, e := range items {
			if !seen[e.Ref] {
				seen[e.Ref] = true
				fresh = append(fresh, e)
			}
		}
		if len(fresh) == 0 {
			return nil
		}
		return fn(fresh)
	})
	if err != nil {
		return Changes{}, fmt.Errorf("read the catalog of %s: %w", c.base, err)
	}
	return Changes{Whole: true}, nil
}
