package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/scorecard"
)

// scorecardReport is the stable JSON shape of `callboard scorecard --json`.
type scorecardReport struct {
	Scorecards []scorecardEntry `json:"scorecards"`
	// Below counts the entities under --min-level, 0 without it.
	Below int `json:"below"`
}

type scorecardEntry struct {
	scorecard.Summary
	Entities []scorecard.EntityScore `json:"entities"`
}

// scorecardRun evaluates the scorecards of a plain checkout, as CI runs
// it: no data dir, no instance, no network. Facts come from plugins, which
// it does not run (their answers would depend on the machine's clusters,
// tokens and caches, and CI's checkout is often shallow): fact checks are
// reported as not evaluated, and hold the level as a failure does.
func (r *runner) scorecardRun(ctx context.Context, args []string) error {
	fs := r.flags("scorecard")
	only := fs.String("scorecard", "", "only this scorecard (its name or ref)")
	owner := fs.String("owner", "", "only entities this group or user owns (a ref; the kind defaults to group)")
	minLevel := fs.String("min-level", "", "exit 1 when an entity is below this level of a scorecard that has it")
	paths, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	groups, err := validationRoots(paths)
	if err != nil {
		return err
	}
	var cat scorecard.Catalog
	var exists []scorecard.Exists
	problems := 0
	for _, g := range groups {
		c, files, n, err := scorecardCatalog(ctx, g)
		if err != nil {
			return err
		}
		defer files.Close()
		problems += n
		cat.Cards = append(cat.Cards, c.Cards...)
		cat.Subjects = append(cat.Subjects, c.Subjects...)
		exists = append(exists, c.Exists)
	}
	cat.Exists = func(ref string) bool {
		return slices.ContainsFunc(exists, func(e scorecard.Exists) bool { return e(ref) })
	}
	if problems > 0 {
		fmt.Fprintf(r.env.Stderr, "callboard: %d catalog errors left some entities or scorecards out; `callboard catalog validate` shows them\n", problems)
	}
	results, _, err := scorecard.NewEngine().Run(ctx, cat.Cards, cat.Subjects, cat.Exists)
	if err != nil {
		return err
	}
	book := scorecard.NewBook(cat.Cards, results, scorecard.Owners(cat.Subjects))
	cards := cat.Cards
	if *only != "" {
		c, ok := book.Card(*only)
		if !ok {
			return usagef("scorecard: no scorecard %q (or more than one of that name); the checkout has %s", *only, cardNames(cat.Cards))
		}
		cards = []*scorecard.Card{c}
	}
	if len(cards) == 0 {
		return usagef("scorecard: no Scorecard entities in %s", strings.Join(paths, ", "))
	}
	ownerRef := ""
	if *owner != "" {
		ref, err := catalog.ParseRef(*owner, "Group", catalog.DefaultNamespace)
		if err != nil {
			return usagef("scorecard: --owner: %v", err)
		}
		ownerRef = ref.String()
	}
	if *minLevel != "" && !slices.ContainsFunc(cards, func(c *scorecard.Card) bool { return slices.Contains(c.Spec.Levels, *minLevel) }) {
		return usagef("scorecard: no scorecard has the level %q", *minLevel)
	}
	rep := scorecardReport{Scorecards: []scorecardEntry{}}
	for _, c := range cards {
		d := book.Detail(c, func(_, o string) bool { return ownerRef == "" || o == ownerRef })
		e := scorecardEntry{Summary: d.Summary, Entities: []scorecard.EntityScore{}}
		for _, el := range d.Entities {
			for _, s := range book.Entity(el.Entity) {
				if s.Scorecard == c.Ref {
					e.Entities = append(e.Entities, s)
				}
			}
			if *minLevel != "" && slices.Contains(c.Spec.Levels, *minLevel) && !c.AtLeast(el.Level, *minLevel) {
				rep.Below++
			}
		}
		rep.Scorecards = append(rep.Scorecards, e)
	}
	if r.json {
		if err := r.printJSON(rep); err != nil {
			return err
		}
	} else {
		printScorecards(r, rep)
	}
	if rep.Below > 0 {
		return invalidError{fmt.Sprintf("scorecard: %d entities are below %s", rep.Below, *minLevel)}
	}
	return nil
}

// scorecardCatalog processes one repository's catalog files offline and
// says how many errors it met. Its subjects read files from the folder
// returned, which the caller closes when done.
func scorecardCatalog(ctx context.Context, g repoRoots) (scorecard.Catalog, *catalog.DirFiles, int, error) {
	files, err := catalog.OpenDir(g.dir)
	if err != nil {
		return scorecard.Catalog{}, nil, 0, usagef("scorecard: %v", err)
	}
	opts := catalog.Options{LocationRef: func(file string) string { return "file:" + filepath.Join(g.dir, file) }}
	if g.fromDirs {
		opts.Candidate = isCatalogFile
	}
	res := catalog.Process(ctx, files, opts, g.files...)
	c, errs := scorecard.FromProcessed(&res, files)
	return c, files, len(res.Errors) + len(errs), nil
}

func cardNames(cards []*scorecard.Card) string {
	if len(cards) == 0 {
		return "none"
	}
	names := make([]string, len(cards))
	for i, c := range cards {
		names[i] = c.Ref
	}
	return strings.Join(names, ", ")
}

func printScorecards(r *runner, rep scorecardReport) {
	w := r.env.Stdout
	for i, sc := range rep.Scorecards {
		if i > 0 {
			fmt.Fprintln(w)
		}
		// Best level first, then the entities below the first level.
		var counts []string
		for j := len(sc.Counts) - 2; j >= 0; j-- {
			counts = append(counts, fmt.Sprintf("%s %d", sc.Counts[j].Level, sc.Counts[j].Count))
		}
		counts = append(counts, fmt.Sprintf("none %d", sc.Counts[len(sc.Counts)-1].Count))
		fmt.Fprintf(w, "%s (%s): %s\n", sc.Title, sc.Ref, strings.Join(counts, ", "))
		width := len("none")
		for _, l := range sc.Levels {
			width = max(width, len(l))
		}
		for _, e := range sc.Entities {
			level := e.Level
			if level == "" {
				level = "none"
			}
			fmt.Fprintf(w, "  %-*s  %3d/%-3d  %s\n", width, level, e.Passed, e.Total, e.Entity)
			for _, ck := range e.Checks {
				if ck.Passed {
					continue
				}
				if ck.Pending {
					fmt.Fprintf(w, "  %*s  NOT EVALUATED %s [%s]: needs facts: %s\n", width, "", ck.Title, ck.Level, strings.Join(ck.Facts, ", "))
					continue
				}
				fmt.Fprintf(w, "  %*s  FAIL %s [%s]: %s\n", width, "", ck.Title, ck.Level, ck.Message)
				if ck.HowToFix != "" {
					fmt.Fprintf(w, "  %*s       how to fix: %s\n", width, "", ck.HowToFix)
				}
			}
			if e.FactsAt != "" {
				fmt.Fprintf(w, "  %*s  facts as of %s\n", width, "", e.FactsAt)
			}
		}
	}
}
