package portal

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/callboard/callboard/app/catalog"
)

// graphLimit keeps a graph readable and its answer quick.
const graphLimit = 400

// reverse names each relation type's other direction, so a graph walked
// both ways shows each relation once, as its source states it.
var reverse = map[string]string{
	"ownedBy": "ownerOf", "ownerOf": "ownedBy", "providesApi": "apiProvidedBy", "apiProvidedBy": "providesApi",
	"consumesApi": "apiConsumedBy", "apiConsumedBy": "consumesApi", "dependsOn": "dependencyOf", "dependencyOf": "dependsOn",
	"parentOf": "childOf", "childOf": "parentOf", "memberOf": "hasMember", "hasMember": "memberOf",
	"partOf": "hasPart", "hasPart": "partOf",
}

// Graph answers API.Graph: a breadth-first walk from the entity.
func (c *catalogView) Graph(ctx context.Context, q GraphQuery) (Graph, error) {
	root, err := catalog.ParseRef(q.Ref, "", catalog.DefaultNamespace)
	if err != nil {
		return Graph{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	depth := q.Depth
	if depth == 0 {
		depth = 2
	}
	if depth < 1 || depth > 4 {
		return Graph{}, fmt.Errorf("depth %d: want 1 to 4: %w", q.Depth, ErrInvalid)
	}
	dir := q.Direction
	switch dir {
	case "":
		dir = "both"
	case "out", "in", "both":
	default:
		return Graph{}, fmt.Errorf("direction %q: want out, in or both: %w", q.Direction, ErrInvalid)
	}
	if depth > 2 {
		leave, err := c.graphGate.enter(ctx)
		if err != nil {
			return Graph{}, err
		}
		defer leave()
	}
	if err := c.rows.refresh(ctx); err != nil {
		return Graph{}, err
	}
	start := root.String()
	if _, ok := c.rows.listing.Get(start); !ok {
		return Graph{}, fmt.Errorf("entity %s: %w", start, ErrNotFound)
	}
	wanted := func(t string) bool {
		return len(q.Types) == 0 || slices.Contains(q.Types, t) || slices.Contains(q.Types, reverse[t])
	}
	g := Graph{Nodes: []GraphNode{}, Edges: []GraphEdge{}}
	seen := map[string]int{start: 0}
	edges := map[GraphEdge]bool{}
	add := func(ref string, d int) bool {
		if _, ok := seen[ref]; ok {
			return true
		}
		if len(seen) >= graphLimit {
			g.Truncated = true
			return false
		}
		seen[ref] = d
		return true
	}
	frontier := []string{start}
	for d := 1; d <= depth && len(frontier) > 0; d++ {
		var next []string
		for _, ref := range frontier {
			if err := ctx.Err(); err != nil {
				return Graph{}, err
			}
			rels, err := c.db.Relations(ctx, ref)
			if err != nil {
				return Graph{}, err
			}
			for _, r := range rels {
				// A relation and its reverse are both stored: the walk keeps
				// the outward one, or the inward one read the other way.
				_, paired := reverse[r.Type]
				inward := paired && !slices.Contains([]string{"ownedBy", "providesApi", "consumesApi", "dependsOn", "childOf", "memberOf", "partOf"}, r.Type)
				if !wanted(r.Type) || dir == "out" && inward || dir == "in" && !inward {
					continue
				}
				e := GraphEdge{Source: ref, Type: r.Type, Target: r.Target}
				if inward {
					e = GraphEdge{Source: r.Target, Type: reverse[r.Type], Target: ref}
				}
				if !add(r.Target, d) {
					continue
				}
				if !edges[e] {
					edges[e] = true
					g.Edges = append(g.Edges, e)
				}
				if seen[r.Target] == d {
					next = append(next, r.Target)
				}
			}
		}
		slices.Sort(next)
		next = slices.Compact(next)
		frontier = next
	}
	for ref, d := range seen {
		n := GraphNode{Ref: ref, Depth: d}
		if row, ok := c.rows.listing.Get(ref); ok {
			n.Kind, n.Name, n.Title, n.Type = row.Kind, row.Name, row.Title, row.Type
		} else {
			n.Missing = true
			if r, err := catalog.ParseRef(ref, "", ""); err == nil {
				n.Kind, n.Name = r.Kind, r.Name
			}
		}
		g.Nodes = append(g.Nodes, n)
	}
	slices.SortFunc(g.Nodes, func(a, b GraphNode) int { return strings.Compare(a.Ref, b.Ref) })
	slices.SortFunc(g.Edges, func(a, b GraphEdge) int {
		return strings.Compare(a.Source+a.Type+a.Target, b.Source+b.Type+b.Target)
	})
	return g, nil
}

// History answers API.History.
func (c *catalogView) History(ctx context.Context, ref string, limit int) (EntityHistory, error) {
	r, err := catalog.ParseRef(ref, "", catalog.DefaultNamespace)
	if err != nil {
		return EntityHistory{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	e, ok, err := c.db.Entity(ctx, r.String())
	if err != nil {
		return EntityHistory{}, err
	}
	if !ok {
		return EntityHistory{}, fmt.Errorf("entity %s: %w", r, ErrNotFound)
	}
	// Before the gate: a Backstage's entity may wait for its clone.
	locationID, file, err := c.historySource(ctx, e)
	if err != nil {
		return EntityHistory{}, err
	}
	leave, err := c.historyGate.enter(ctx)
	if err != nil {
		return EntityHistory{}, err
	}
	defer leave()
	h, err := c.history.History(ctx, locationID, file, r.String(), limit)
	if err != nil {
		return EntityHistory{}, syncError(err)
	}
	out := EntityHistory{LocationID: locationID, Shallow: h.Shallow, Versions: make([]EntityVersion, 0, len(h.Versions))}
	for _, v := range h.Versions {
		ev := EntityVersion{Commit: v.Commit, Author: v.Author, Email: v.Email, When: v.When.UTC().Format(time.RFC3339),
			Message: v.Message, Removed: v.Removed, Boundary: v.Boundary, Changes: make([]FieldChange, 0, len(v.Changes))}
		for _, c := range v.Changes {
			ev.Changes = append(ev.Changes, FieldChange{Path: c.Path, Old: c.Old, New: c.New})
		}
		out.Versions = append(out.Versions, ev)
	}
	return out, nil
}

// DeepenHistory answers API.DeepenHistory. It takes no slot of the
// history gate: a fetch of a long history would hold it for minutes, and
// the syncer runs one fetch per location at a time.
func (c *catalogView) DeepenHistory(ctx context.Context, id string) error {
	if _, ok, err := c.db.Location(ctx, id); err != nil {
		return err
	} else if !ok {
		return fmt.Errorf("location %q: %w", id, ErrNotFound)
	}
	if err := c.history.Deepen(ctx, id); err != nil {
		return syncError(err)
	}
	// The fetch may have moved the branch past the commit the catalog
	// shows: sync as Sync does. A failure is on the location's record.
	_ = c.tree.SyncTree(ctx, id)
	return nil
}
