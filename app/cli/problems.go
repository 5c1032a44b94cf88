package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/callboard/callboard/app/portal"
)

// problemsPage is how many problems one call asks for; the command reads
// every page.
const problemsPage = 1000

func (r *runner) problems(ctx context.Context, args []string) error {
	fs := r.flags("problems")
	var q portal.ProblemQuery
	fs.StringVar(&q.Owner, "owner", "", `only problems of entities owned by this group or user; "me" for you and your groups`)
	fs.StringVar(&q.Location, "location", "", "only the problems of this location (see callboard location list)")
	fs.StringVar(&q.Kind, "kind", "", "only problems of this kind: sync-failed, file-refused, entity-refused, entity-kept, target-refused, push-failed, push-conflict")
	fs.StringVar(&q.Text, "text", "", "only problems whose message, file, field or entity contains this")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	conn, err := r.read(ctx, false)
	if err != nil {
		return err
	}
	defer conn.Close()
	all := portal.ProblemList{Items: []portal.Problem{}}
	for q.Limit = problemsPage; ; q.Offset += problemsPage {
		page, err := conn.api.Problems(ctx, q)
		if errors.Is(err, portal.ErrNotFound) || errors.Is(err, portal.ErrInvalid) {
			return usagef("problems: %v", err)
		}
		if err != nil {
			return err
		}
		all.Items, all.Total = append(all.Items, page.Items...), page.Total
		if len(page.Items) == 0 || len(all.Items) >= page.Total {
			break
		}
	}
	if r.json {
		if err := r.printJSON(all); err != nil {
			return err
		}
	} else {
		r.printProblems(all.Items)
	}
	if all.Total > 0 {
		return invalidError{fmt.Sprintf("%d problem(s)", all.Total)}
	}
	if !r.json {
		fmt.Fprintln(r.env.Stdout, "no problems: every catalog file reads and every location syncs")
	}
	return nil
}

// printProblems writes a line per problem, as compilers do (location,
// file:line:column, what), and a second line with the rest when known.
func (r *runner) printProblems(items []portal.Problem) {
	for _, p := range items {
		fmt.Fprintf(r.env.Stdout, "%s  %s  %s: %s\n", p.LocationID, problemAt(p), p.Kind, oneLine(p.Message, 300))
		var more []string
		if p.Field != "" {
			more = append(more, "field "+p.Field)
		}
		if p.Entity != "" {
			more = append(more, p.Entity)
		}
		if p.Owner != "" {
			more = append(more, "owned by "+p.Owner)
		}
		if p.Commit != "" {
			more = append(more, fmt.Sprintf("last changed in %s by %s at %s", short(p.Commit), p.Author, p.CommittedAt))
		}
		if len(more) > 0 {
			fmt.Fprintf(r.env.Stdout, "    %s\n", strings.Join(more, "; "))
		}
	}
}

// problemAt is file:line:column, as far as known ("-" for a location's
// own problem).
func problemAt(p portal.Problem) string {
	if p.File == "" {
		return "-"
	}
	pos := p.File
	if p.Line > 0 {
		pos += ":" + strconv.Itoa(p.Line)
		if p.Column > 0 {
			pos += ":" + strconv.Itoa(p.Column)
		}
	}
	return pos
}
