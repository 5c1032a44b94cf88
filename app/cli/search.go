package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/callboard/callboard/app/portal"
)

func (r *runner) search(ctx context.Context, args []string) error {
	fs := r.flags("search")
	var q portal.SearchQuery
	var kind, typ, in string
	fs.StringVar(&kind, "kind", "", "only entities of this kind")
	fs.StringVar(&typ, "type", "", "only entities of this spec.type")
	fs.StringVar(&in, "in", "", "only entities, docs or templates")
	fs.IntVar(&q.Limit, "limit", 10, "at most this many results")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("search takes the words to look for, e.g. callboard search payments gateway")
	}
	if q.Limit < 1 || q.Limit > 100 {
		return usagef("search: --limit %d: want 1 to 100", q.Limit)
	}
	q.Text = strings.Join(pos, " ")
	// Facet counts are most of a query's work at 100,000 entities, and
	// only --json shows them.
	q.NoFacets = !r.json
	for _, f := range []struct {
		v    string
		into *[]string
	}{{kind, &q.Kinds}, {typ, &q.EntityType}, {in, &q.Types}} {
		if f.v != "" {
			*f.into = []string{f.v}
		}
	}
	conn, err := r.read(ctx, true)
	if err != nil {
		return err
	}
	defer conn.Close()
	if conn.local != nil {
		// A one-shot process: let the index catch up with the store first.
		if err := conn.local.Service.RefreshListing(ctx); err != nil {
			return err
		}
		conn.local.Service.WaitForSearch()
	}
	res, err := conn.api.Search(ctx, q)
	if err != nil {
		return err
	}
	if r.json {
		return r.printJSON(res)
	}
	if len(res.Hits) == 0 {
		fmt.Fprintf(r.env.Stdout, "nothing found for %q\n", q.Text)
		return nil
	}
	for _, h := range res.Hits {
		title := h.Title
		if title == "" {
			title = h.Name
		}
		where := h.Ref
		if h.Path != "" {
			where += " " + h.Path
		}
		fmt.Fprintf(r.env.Stdout, "%-8s %-40s %s\n", h.Type, where, title)
		if h.Snippet != "" {
			fmt.Fprintf(r.env.Stdout, "         %s\n", h.Snippet)
		}
	}
	if res.Total > len(res.Hits) {
		fmt.Fprintf(r.env.Stdout, "%d of %d results; --limit shows more\n", len(res.Hits), res.Total)
	}
	return nil
}
