package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
)

func (r *runner) pluginsList(ctx context.Context, args []string) error {
	fs := r.flags("plugins list")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	conn, err := r.open(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	plugins, err := conn.api.Plugins(ctx)
	if err != nil {
		return err
	}
	if r.json {
		return r.printJSON(map[string]any{"plugins": plugins})
	}
	if len(plugins) == 0 {
		fmt.Fprintf(r.env.Stdout, "no plugins: built-in ones are beside the callboard program, installed ones in %s\n", conn.root+"/plugins")
		return nil
	}
	w := tabwriter.NewWriter(r.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tVERSION\tSTATE\tSERVES\tLAST ERROR")
	for _, p := range plugins {
		state := p.State
		if p.BuiltIn {
			state += " (built-in)"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", p.Name, p.Version, state, strings.Join(p.ExtensionPoints, ","), firstLine(p.LastError))
	}
	return w.Flush()
}
