package gitinsights

import (
	"cmp"
	"context"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
)

const (
	recentCommits   = 10
	activityWeeks   = 26
	topContributors = 8
)

// insights is what the cards show about one folder at one commit.
type insights struct {
	// Folder is the entity's folder, "" for the whole repository.
	Folder string
	Tip    tip
	// Recent are the latest commits changing the folder, newest first.
	Recent []commit
	Total  int
	// First is the author date of the oldest commit changing the folder.
	First time.Time
	// Weeks are the commits of each of the last activityWeeks weeks up to
	// the tip's date, oldest first.
	Weeks        []week
	Contributors int
	// Top are the contributors with the most commits, most first.
	Top []contributor
	// Languages are the lines by language, most first; Lines their sum.
	Languages []language
	Lines     int
	// Owners is what CODEOWNERS says; nil when there is no CODEOWNERS.
	Owners *ownership
	// Activity is what the facts count of the last days' commits.
	Activity activity
}

type week struct {
	// Monday is the week's first day, a date at UTC midnight.
	Monday  time.Time
	Commits int
}

type contributor struct {
	Name    string
	Commits int
}

type language struct {
	Name  string
	Lines int
}

// entityFolder is the folder of the entity's catalog file: "" when the
// file is at the root.
func entityFolder(entityFile string) string {
	dir := path.Dir(path.Clean("/" + strings.ReplaceAll(entityFile, `\`, "/")))
	return strings.TrimPrefix(dir, "/")
}

// collect reads everything the cards need from h, the git commands side by
// side.
func collect(ctx context.Context, h history, rev, folder string) (*insights, error) {
	var (
		t       tip
		commits []commit
		lines   map[string]int
		owners  *ownership
	)
	tipErr, errs := parallel(
		func() (err error) { t, err = h.Tip(ctx, rev); return err },
		func() (err error) { commits, err = h.Log(ctx, rev, folder); return err },
		func() (err error) { lines, err = h.Lines(ctx, rev, folder); return err },
		func() error {
			name, data, err := h.Read(ctx, rev, codeownersPaths)
			if err != nil || name == "" {
				return err
			}
			paths, err := h.Paths(ctx, rev, folder)
			if err != nil {
				return err
			}
			owners = ownershipOf(name, data, folder, paths)
			return nil
		},
	)
	if tipErr != nil {
		return nil, tipErr // says best why the others failed
	}
	if errs != nil {
		return nil, errs
	}
	in := &insights{Folder: folder, Tip: t, Owners: owners}
	in.summarize(commits)
	in.countLanguages(lines)
	return in, nil
}

// parallel runs fns at the same time and returns the first's error and the
// first error of the others.
func parallel(fns ...func() error) (first, others error) {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = fn() })
	}
	wg.Wait()
	for _, err := range errs[1:] {
		if err != nil {
			return errs[0], err
		}
	}
	return errs[0], nil
}

// summarize fills in the commit cards from the folder's log, newest first.
func (in *insights) summarize(commits []commit) {
	in.Total = len(commits)
	in.Activity = activityOf(commits, in.Tip.Committed)
	in.Recent = slices.Clone(commits[:min(len(commits), recentCommits)]) // not the whole log, which the cache would keep

	last := monday(civil(in.Tip.Committed))
	firstWeek := last.AddDate(0, 0, -7*(activityWeeks-1))
	in.Weeks = make([]week, activityWeeks)
	for i := range in.Weeks {
		in.Weeks[i].Monday = firstWeek.AddDate(0, 0, 7*i)
	}

	type tally struct {
		name    string
		commits int
	}
	byAuthor := map[string]*tally{}
	for _, c := range commits {
		if in.First.IsZero() || c.When.Before(in.First) {
			in.First = c.When
		}
		if i := int(monday(civil(c.When)).Sub(firstWeek).Hours()/24) / 7; i >= 0 && i < activityWeeks {
			in.Weeks[i].Commits++
		}
		key := strings.ToLower(c.Email)
		if key == "" {
			key = c.Author
		}
		a := byAuthor[key]
		if a == nil {
			a = &tally{name: c.Author} // the newest name they used
			byAuthor[key] = a
		}
		a.commits++
	}
	in.Contributors = len(byAuthor)
	all := make([]contributor, 0, len(byAuthor))
	for _, a := range byAuthor {
		all = append(all, contributor{Name: a.name, Commits: a.commits})
	}
	slices.SortFunc(all, func(a, b contributor) int {
		return cmp.Or(cmp.Compare(b.Commits, a.Commits), strings.Compare(a.Name, b.Name))
	})
	in.Top = slices.Clone(all[:min(len(all), topContributors)])
}

// countLanguages adds up lines by language.
func (in *insights) countLanguages(lines map[string]int) {
	by := map[string]int{}
	for p, n := range lines {
		rel := p
		if in.Folder != "" {
			rel = strings.TrimPrefix(p, in.Folder+"/")
		}
		if lang := languageOf(rel); lang != "" && n > 0 {
			by[lang] += n
			in.Lines += n
		}
	}
	for name, n := range by {
		in.Languages = append(in.Languages, language{Name: name, Lines: n})
	}
	slices.SortFunc(in.Languages, func(a, b language) int {
		return cmp.Or(cmp.Compare(b.Lines, a.Lines), strings.Compare(a.Name, b.Name))
	})
}

// civil is t's calendar date where it happened, as UTC midnight.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// monday is the Monday of the week of date d.
func monday(d time.Time) time.Time {
	return d.AddDate(0, 0, -(int(d.Weekday())+6)%7)
}
