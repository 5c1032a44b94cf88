package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/wire"
)

// filterFlag collects repeated --filter key=value flags.
type filterFlag map[string]string

func (f filterFlag) String() string { return fmt.Sprint(map[string]string(f)) }

func (f filterFlag) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("%q is not of the form key=value", v)
	}
	f[k] = val
	return nil
}

// open connects for a one-shot command; a store this process opened itself
// gets its never-synced locations synced first, so a fresh data dir lists
// the demo organisation.
func (r *runner) open(ctx context.Context) (*connection, error) {
	conn, err := r.connect(ctx, "cli", r.logger(slog.LevelWarn))
	if err != nil {
		return nil, err
	}
	if conn.local != nil {
		if err := conn.local.SyncPending(ctx); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return conn, nil
}

// defaultListLimit is how many rows catalog list shows unless told.
const defaultListLimit = 100

func (r *runner) catalogList(ctx context.Context, args []string) error {
	fs := r.flags("catalog list")
	q := portal.EntityQuery{Filters: filterFlag{}}
	fs.StringVar(&q.Kind, "kind", "", "only entities of this kind")
	fs.Var(filterFlag(q.Filters), "filter", "key=value on a dotted field path as Backstage filters match it, e.g. spec.type=service or metadata.tags=java (repeatable, all must match)")
	limit := fs.Int("limit", defaultListLimit, "show at most this many entities")
	offset := fs.Int("offset", 0, "skip this many entities first")
	all := fs.Bool("all", false, "show every entity (no --limit)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	switch {
	case *limit < 1:
		return usagef("catalog list: --limit %d: want 1 or more (or --all)", *limit)
	case *offset < 0:
		return usagef("catalog list: --offset %d: want 0 or more", *offset)
	case *all && flagSet(fs, "limit"):
		return usagef("catalog list: --all and --limit: choose one")
	}
	if *all {
		*limit = math.MaxInt32
	}
	// The table has no Level column: only --json pays for levels.
	q.WithoutLevels = !r.json
	conn, err := r.read(ctx, false)
	if err != nil {
		return err
	}
	defer conn.Close()
	list, err := listPage(ctx, conn.api, q, *offset, *limit)
	if err != nil {
		return err
	}
	if r.json {
		return r.printJSON(list)
	}
	tw := tabwriter.NewWriter(r.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REF\tTYPE\tOWNER\tDESCRIPTION")
	for _, e := range list.Items {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Ref, e.Type, e.Owner, oneLine(e.Description, 60))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// Said on stderr, so stdout stays the table alone.
	if shown := len(list.Items); shown < list.Total {
		fmt.Fprintln(r.env.Stderr, pageNote(*offset, shown, list.Total))
	}
	return nil
}

// listPage asks for one page of entities; Filters are answered from the
// instance's field index, so they page as the rest does.
func listPage(ctx context.Context, api portal.API, q portal.EntityQuery, offset, limit int) (portal.EntityList, error) {
	q.Offset, q.Limit = offset, limit
	return api.ListEntities(ctx, q)
}

// pageNote says which rows of how many a page shows and how to see more.
func pageNote(offset, shown, total int) string {
	switch {
	case shown == 0:
		return fmt.Sprintf("showing none of %s: --offset %d is past the last", thousands(total), offset)
	case offset == 0:
		return fmt.Sprintf("showing %s of %s; --offset %d for the next, --all for every one", thousands(shown), thousands(total), shown)
	case offset+shown >= total:
		return fmt.Sprintf("showing %s–%s of %s", thousands(offset+1), thousands(offset+shown), thousands(total))
	}
	return fmt.Sprintf("showing %s–%s of %s; --offset %d for the next, --all for every one", thousands(offset+1), thousands(offset+shown), thousands(total), offset+shown)
}

// thousands writes n with commas between groups of three digits: 10,078.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// flagSet says whether the command line set the flag named name.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func (r *runner) catalogGet(ctx context.Context, args []string) error {
	fs := r.flags("catalog get")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("catalog get takes one entity ref, e.g. component:default/payments")
	}
	conn, err := r.read(ctx, false)
	if err != nil {
		return err
	}
	defer conn.Close()
	e, err := conn.api.GetEntity(ctx, pos[0])
	if err != nil {
		return err
	}
	if r.json {
		return r.printJSON(e)
	}
	fmt.Fprintf(r.env.Stdout, "# %s (%s:%d, location %s)\n", e.Ref, e.Source.File, e.Source.Line, e.Source.LocationID)
	if len(e.Errors) > 0 {
		fmt.Fprintln(r.env.Stdout, "# The newest version was refused; this is the last good one:")
		for _, pe := range e.Errors {
			fmt.Fprintf(r.env.Stdout, "#   %s\n", validateError{File: pe.File, Field: pe.Field, Line: pe.Line, Column: pe.Column, Message: pe.Message}.String(""))
		}
	}
	fmt.Fprint(r.env.Stdout, e.YAML)
	return nil
}

func (r *runner) locationList(ctx context.Context, args []string) error {
	fs := r.flags("location list")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	conn, err := r.read(ctx, false)
	if err != nil {
		return err
	}
	defer conn.Close()
	locs, err := conn.api.ListLocations(ctx)
	if err != nil {
		return err
	}
	return r.printLocations(locs)
}

// listFlag collects a repeated flag, each value possibly a
// comma-separated list.
type listFlag struct{ to *[]string }

func (f listFlag) String() string {
	if f.to == nil {
		return ""
	}
	return strings.Join(*f.to, ",")
}

func (f listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*f.to = append(*f.to, s)
		}
	}
	return nil
}

func (r *runner) locationAdd(ctx context.Context, args []string) error {
	fs := r.flags("location add")
	var in portal.NewLocation
	var d portal.Discovery
	fs.StringVar(&in.Branch, "branch", "", "branch to follow (default: the remote's default branch); with --discover, the branch looked at in every repository")
	fs.StringVar(&in.Path, "path", "", "catalog file or glob in the repository (default: catalog-info.yaml)")
	discover := fs.Bool("discover", false, "URL is an organisation (https://github.com/ORG, https://gitlab.com/GROUP): list its repositories through the forge's API and add those with catalog files")
	fs.StringVar(&d.Forge, "forge", "", "with --discover: github or gitlab, for a host Callboard does not know (GitHub Enterprise, self-managed GitLab)")
	fs.StringVar(&d.CatalogPath, "catalog-path", "", "with --discover: the catalog file, or a glob like .backstage/*.yaml (default: catalog-info.yaml)")
	fs.StringVar(&d.Repository, "repo-regex", "", "with --discover: a regular expression repository names must match whole")
	fs.Var(listFlag{&d.TopicsInclude}, "topic", "with --discover: keep only repositories with this topic (repeatable)")
	fs.Var(listFlag{&d.TopicsExclude}, "exclude-topic", "with --discover: leave out repositories with this topic (repeatable)")
	fs.Var(listFlag{&d.Visibility}, "visibility", "with --discover: keep only public, private or internal repositories (repeatable)")
	forks := fs.Bool("forks", true, "with --discover: keep forks (--forks=false leaves them out)")
	fs.BoolVar(&d.IncludeArchived, "archived", false, "with --discover: keep archived repositories")
	fs.BoolVar(&d.Teams, "teams", false, "with --discover: import the organisation's teams and members as Groups and Users")
	fs.BoolVar(&in.Backstage, "backstage", false, "URL is an organisation's Backstage (https://backstage.acme.example): read its catalog from the backend's API, with the token stored by callboard token set HOST")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("location add takes one repository URL or path, e.g. https://github.com/org/catalog.git (or an organisation's URL with --discover)")
	}
	in.URL = pos[0]
	if in.Backstage && (*discover || in.Path != "" || in.Branch != "") {
		return usagef("location add --backstage takes the Backstage's URL alone, without --discover, --path or --branch")
	}
	if *discover {
		if in.Path != "" {
			return usagef("location add --discover: use --catalog-path, not --path")
		}
		d.Branch, in.Branch, d.ExcludeForks = in.Branch, "", !*forks
		in.Discover = &d
	}
	// A location's first sync, as in sync below.
	r.longRunningGC()
	r.syncMemoryLimit()
	conn, err := r.connect(ctx, "cli", r.logger(slog.LevelWarn))
	if err != nil {
		return err
	}
	defer conn.Close()
	loc, err := conn.api.AddLocation(ctx, in)
	if errors.Is(err, portal.ErrInvalid) || errors.Is(err, portal.ErrConflict) {
		return usagef("location add: %v", err)
	}
	if err != nil {
		return err
	}
	if !r.json {
		fmt.Fprintf(r.env.Stdout, "added location %s; syncing it\n", loc.ID)
	}
	return r.syncAndReport(ctx, conn, loc.ID)
}

func (r *runner) locationRemove(ctx context.Context, args []string) error {
	fs := r.flags("location remove")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("location remove takes one location id (see callboard location list)")
	}
	conn, err := r.connect(ctx, "cli", r.logger(slog.LevelWarn))
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.api.RemoveLocation(ctx, pos[0]); err != nil {
		if errors.Is(err, portal.ErrNotFound) {
			return usagef("location remove: no location %q (see callboard location list)", pos[0])
		}
		return err
	}
	if r.json {
		return r.printJSON(map[string]string{"removed": pos[0]})
	}
	fmt.Fprintf(r.env.Stdout, "removed location %s and its entities\n", pos[0])
	return nil
}

func (r *runner) sync(ctx context.Context, args []string) error {
	fs := r.flags("sync")
	id := fs.String("location", "", "sync only this location")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	// A first sync's peak is mostly the heap's headroom over what is live
	// (Badger's compaction buffers, the processor): serve's collector
	// setting takes 9-18% off it at 100,000 entities (BENCHMARKS.md, issue 20).
	r.longRunningGC()
	r.syncMemoryLimit()
	conn, err := r.connect(ctx, "cli", r.logger(slog.LevelWarn))
	if err != nil {
		return err
	}
	defer conn.Close()
	return r.syncAndReport(ctx, conn, *id)
}

// syncAndReport syncs one location (or all with id ""), prints the
// locations, and fails with exit 1 naming each location that did not sync.
func (r *runner) syncAndReport(ctx context.Context, conn *connection, id string) error {
	stop := r.showProgress(ctx, conn)
	locs, err := conn.api.Sync(ctx, id)
	stop()
	if errors.Is(err, portal.ErrNotFound) {
		return usagef("sync: %v", err)
	}
	if err != nil {
		return err
	}
	if err := r.printLocations(locs); err != nil {
		return err
	}
	var failed []string
	for _, l := range locs {
		if l.LastError != "" && (id == "" || l.ID == id) {
			failed = append(failed, fmt.Sprintf("location %s did not sync: %s", l.ID, l.LastError))
		}
	}
	if len(failed) > 0 {
		return invalidError{strings.Join(failed, "; ")}
	}
	return nil
}

func (r *runner) printLocations(locs []portal.Location) error {
	if r.json {
		return r.printJSON(locs)
	}
	tw := tabwriter.NewWriter(r.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tENTITIES\tERRORS\tCOMMIT\tLAST SYNC\tURL")
	for _, l := range locs {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.12s\t%s\t%s\n", l.ID, l.Status, l.Entities, l.ProcessErrs, l.HeadCommit, l.LastSyncAt, l.URL)
		if l.LastError != "" {
			fmt.Fprintf(tw, "\terror: %s\t\t\t\t\t\n", l.LastError)
		}
		if len(l.ListedBy) > 0 {
			fmt.Fprintf(tw, "\tlisted by %s: %s\t\t\t\t\t\n", strings.Join(l.ListedBy, ", "), strings.Join(l.Roots, ", "))
		}
		for _, e := range l.Refused {
			fmt.Fprintf(tw, "\tnot followed: %s:%d: %s\t\t\t\t\t\n", e.File, e.Line, e.Message)
		}
	}
	return tw.Flush()
}

// printJSON writes v for --json, with empty lists and maps as [] and {}
// as every transport sends them.
func (r *runner) printJSON(v any) error {
	enc := json.NewEncoder(r.env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(wire.Normalize(v))
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}
