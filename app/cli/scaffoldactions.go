package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/callboard/callboard/app/portal"
)

// scaffoldActions lists the actions templates can use here, as the
// installed actions page does; --json adds their schemas and examples.
func (r *runner) scaffoldActions(ctx context.Context, args []string) error {
	fs := r.flags("scaffold actions")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	conn, err := r.open(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	actions, err := conn.api.ScaffoldActions(ctx)
	if err != nil {
		return err
	}
	if r.json {
		return r.printJSON(map[string]any{"actions": actions})
	}
	w := tabwriter.NewWriter(r.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ACTION\tFROM\tDESCRIPTION")
	for _, a := range actions {
		from := string(a.Source)
		if a.Source == portal.ActionPlugin {
			from = "plugin " + a.Plugin
		}
		about := a.Description
		if a.Source == portal.ActionUnavailable {
			about = a.Why
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", a.ID, from, firstLine(about))
	}
	return w.Flush()
}
