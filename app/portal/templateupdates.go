package portal

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/app/store"
)

// maxUpdateProjects bounds the projects TemplateUpdates looks at.
const maxUpdateProjects = 500

// TemplateUpdates answers API.TemplateUpdates: the projects on this
// machine whose template moved on. The projects are the folders the
// template runs made and the locations that are folders of this machine,
// each holding a record.
func (s *templateRuns) TemplateUpdates(ctx context.Context) ([]TemplateUpdateSummary, error) {
	projects, err := s.projects(ctx)
	if err != nil {
		return nil, err
	}
	out := []TemplateUpdateSummary{}
	for _, p := range projects {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if fi, err := os.Stat(p.dir); err != nil || !fi.IsDir() {
			continue // moved or removed since
		}
		b, err := s.base(ctx, p.dir, "")
		if (errors.Is(err, ErrNotFound) && errors.Is(err, scaffold.ErrNoRecord)) || errors.Is(err, errNotSynced) {
			continue
		}
		if err != nil {
			out = append(out, TemplateUpdateSummary{Dir: p.dir, EntityRef: p.entity, Commits: []TemplateCommit{}, Problem: err.Error()})
			continue
		}
		sum := s.summary(b)
		sum.EntityRef = p.entity
		if err := s.withPush(ctx, &sum); err != nil {
			return nil, err
		}
		if sum.Available || sum.Problem != "" {
			out = append(out, sum)
		}
	}
	return out, nil
}

// EntityTemplateUpdate answers API.EntityTemplateUpdate: whether the
// template of the project an entity lives in (its location's folder on
// this machine) moved on. An entity of no such project answers with
// Available false.
func (s *templateRuns) EntityTemplateUpdate(ctx context.Context, ref string) (TemplateUpdateSummary, error) {
	r, err := catalog.ParseRef(ref, "component", catalog.DefaultNamespace)
	if err != nil {
		return TemplateUpdateSummary{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	e, ok, err := s.db.Entity(ctx, r.String())
	if err != nil {
		return TemplateUpdateSummary{}, err
	}
	if !ok {
		return TemplateUpdateSummary{}, fmt.Errorf("entity %s: %w", r, ErrNotFound)
	}
	none := TemplateUpdateSummary{EntityRef: r.String(), Commits: []TemplateCommit{}}
	loc, ok, err := s.db.Location(ctx, e.LocationID)
	if err != nil || !ok {
		return none, err
	}
	root, ok := localFolder(loc)
	if !ok {
		return none, nil
	}
	dir, ok := projectOf(root, e.Source.File)
	if !ok {
		return none, nil
	}
	b, err := s.base(ctx, dir, "")
	if errors.Is(err, scaffold.ErrNoRecord) {
		return none, nil
	}
	if err != nil {
		none.Dir, none.Problem = dir, err.Error()
		return none, nil
	}
	sum := s.summary(b)
	sum.EntityRef = r.String()
	if err := s.withPush(ctx, &sum); err != nil {
		return TemplateUpdateSummary{}, err
	}
	return sum, nil
}

// withPush adds the project's latest push to sum, and takes back an
// update whose pull request was merged at sum's template commit.
func (s *templateRuns) withPush(ctx context.Context, sum *TemplateUpdateSummary) error {
	if s.pushes == nil || sum.Dir == "" {
		return nil
	}
	all, err := s.pushes.db.BranchPushes(ctx)
	if err != nil {
		return err
	}
	var latest *store.BranchPush
	for i, b := range all {
		if b.Dir != sum.Dir {
			continue
		}
		if b.State == store.BranchMerged && b.TemplateCommit != "" && b.TemplateCommit == sum.To {
			sum.Available = false
		}
		if latest == nil || lastTouched(b).After(lastTouched(*latest)) {
			latest = &all[i]
		}
	}
	if latest != nil {
		dto := updatePushDTO(*latest)
		sum.Push = &dto
	}
	return nil
}

// lastTouched is when b was last tried, or made when never tried.
func lastTouched(b store.BranchPush) time.Time {
	if b.LastTry.IsZero() {
		return b.CreatedAt
	}
	return b.LastTry
}

// localFolder is the folder of this machine a location reads, if it is
// one.
func localFolder(loc store.Location) (string, bool) {
	if !filepath.IsAbs(loc.URL) {
		return "", false
	}
	fi, err := os.Stat(loc.URL)
	if err != nil || !fi.IsDir() {
		return "", false
	}
	return filepath.Clean(loc.URL), true
}

// projectOf is the project folder holding the catalog file at file (a
// path in the location's folder root): the nearest folder from the
// file's up to root that has a record.
func projectOf(root, file string) (string, bool) {
	dir := filepath.Join(root, filepath.FromSlash(path.Dir(path.Clean("/"+file))))
	for {
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(scaffold.RecordPath))); err == nil {
			return dir, true
		}
		if dir == root || !strings.HasPrefix(dir, root) {
			return "", false
		}
		dir = filepath.Dir(dir)
	}
}

type project struct {
	dir    string
	entity string
}

// projects are the folders template runs made (newest first) and the
// locations that are folders here, each once.
func (s *templateRuns) projects(ctx context.Context) ([]project, error) {
	var out []project
	seen := map[string]bool{}
	add := func(dir, entity string) {
		if dir == "" || seen[dir] || len(out) >= maxUpdateProjects {
			return
		}
		seen[dir] = true
		out = append(out, project{dir: dir, entity: entity})
	}
	var runs []store.Run
	err := s.db.Runs(ctx, func(r store.Run) error {
		if !r.DryRun && r.Status == string(scaffold.Completed) && r.Target != "" {
			runs = append(runs, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(runs, func(a, b store.Run) int { return b.Started.Compare(a.Started) })
	for _, r := range runs {
		entity := ""
		if len(r.Registered) > 0 {
			entity = r.Registered[0]
		}
		add(filepath.Clean(r.Target), entity)
	}
	locs, err := s.db.Locations(ctx)
	if err != nil {
		return nil, err
	}
	for _, l := range locs {
		if dir, ok := localFolder(l); ok {
			add(dir, "")
			for _, p := range recordsUnder(dir) {
				add(p, "")
			}
		}
	}
	return out, nil
}

// Bounds of the walk recordsUnder does in a location's folder.
const (
	maxRecordDepth = 4
	maxRecordDirs  = 2000
)

// recordsUnder finds the project folders below dir (a folder location:
// a checkout holding several projects, the demo's): those holding a
// record, within maxRecordDepth levels and maxRecordDirs folders, hidden
// and dependency folders left out.
func recordsUnder(dir string) []string {
	var out []string
	seen := 0
	var walk func(d string, depth int)
	walk = func(d string, depth int) {
		entries, err := os.ReadDir(d)
		if err != nil {
			return
		}
		for _, e := range entries {
			name := e.Name()
			if !e.IsDir() || strings.HasPrefix(name, ".") || name == "node_modules" || name == "vendor" || seen >= maxRecordDirs {
				continue
			}
			seen++
			sub := filepath.Join(d, name)
			if _, err := os.Lstat(filepath.Join(sub, filepath.FromSlash(scaffold.RecordPath))); err == nil {
				out = append(out, sub)
			}
			if depth < maxRecordDepth {
				walk(sub, depth+1)
			}
		}
	}
	walk(dir, 1)
	return out
}
