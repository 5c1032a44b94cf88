package ci

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// Bounds on the Home card's reading of the cache: it runs on every Home
// page, on files any earlier answer wrote.
const (
	maxCacheFiles    = 2000
	maxCacheFileSize = 4 << 20
	maxRedRows       = 50
)

// ciTab is the route's tab id of the plugin's CI/CD tab: the plugin's
// name and the view's id, as the entity page names plugin tabs.
const ciTab = "ci-ci-cd"

// red is an entity whose default branch's latest finished run failed.
type red struct {
	entity cachedEntity
	slug   string
	run    run
}

// homeCards is "Red CI on something I own": the entities owned by the
// user or their groups whose default branch's latest finished run failed,
// read from the runs cached when their pages were last shown — no forge is
// asked. Each links to the entity's CI/CD tab.
func (p *ciPlugin) homeCards(ctx context.Context, req sdk.UIRequest) ([]*pluginv1.View, error) {
	s, err := settingsOf(req.Request)
	if err != nil || s.cacheDir == "" {
		return nil, nil
	}
	owners := map[string]bool{}
	if u := req.User; u != nil {
		for _, r := range append([]string{u.GetEntityRef()}, u.GetGroups()...) {
			if r != "" {
				owners[strings.ToLower(r)] = true
			}
		}
	}
	if len(owners) == 0 {
		return []*pluginv1.View{sdk.HomeCard("red-ci", "Red CI on what you own",
			sdk.Notice("Callboard does not know which User entity you are, so it cannot tell what you own.", pluginv1.Status_STATUS_INFO))}, nil
	}
	reds, err := p.redRuns(ctx, s.cacheDir, owners)
	if err != nil {
		return nil, err
	}
	if len(reds) == 0 {
		return []*pluginv1.View{sdk.HomeCard("red-ci", "Red CI on what you own",
			sdk.Notice("No failed default-branch run on what you own, among the runs last fetched.", pluginv1.Status_STATUS_OK))}, nil
	}
	t := sdk.Table([]string{"Entity", "Repository", "Run", "When"})
	for _, r := range reds[:min(len(reds), maxRedRows)] {
		e := r.entity
		text, st := runStatus(r.run)
		route := fmt.Sprintf("/catalog/%s/%s/%s?tab=%s", strings.ToLower(e.Kind), e.Namespace, e.Name, ciTab)
		t.GetTable().Rows = append(t.GetTable().Rows, cells(cell(e.Name, route), cell(r.slug, ""),
			&pluginv1.Cell{Text: fmt.Sprintf("%s #%d %s", r.run.Name, r.run.Number, text), Status: st, Url: r.run.URL}, cell(when(r.run), "")))
	}
	return []*pluginv1.View{sdk.HomeCard("red-ci", "Red CI on what you own", t)}, nil
}

// redRuns reads the cache for the red runs of entities owned by owners
// (lower-cased refs), newest first.
func (p *ciPlugin) redRuns(ctx context.Context, dir string, owners map[string]bool) ([]red, error) {
	var out []red
	seen := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // a folder that cannot be read is passed over
		}
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".json") || !d.Type().IsRegular() {
			return nil
		}
		if seen++; seen > maxCacheFiles {
			return fs.SkipAll
		}
		c, ok := readCached(path)
		if !ok || !owners[ownerRef(c.Entity.Owner)] {
			return nil
		}
		sortRuns(c.Runs)
		for _, r := range c.Runs {
			if r.Status != "completed" || !isDefaultBranch(r.Branch) {
				continue
			}
			if _, st := runStatus(r); st == pluginv1.Status_STATUS_ERROR {
				out = append(out, red{entity: c.Entity, slug: c.Repo, run: r})
			}
			break
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the runs cache: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].run.CreatedAt.After(out[j].run.CreatedAt) })
	return out, nil
}

// readCached reads one cache file, at most maxCacheFileSize; ok is false
// for one that cannot be read or decoded.
func readCached(path string) (c cachedRuns, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return c, false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCacheFileSize+1))
	if err != nil || len(data) > maxCacheFileSize || json.Unmarshal(data, &c) != nil {
		return c, false
	}
	return c, c.Entity.Name != ""
}

// ownerRef is spec.owner as a full, lower-cased ref: a group unless it
// names its kind, in the default namespace unless it names one.
func ownerRef(owner string) string {
	owner = strings.ToLower(strings.TrimSpace(owner))
	if owner == "" {
		return ""
	}
	if !strings.Contains(owner, ":") {
		owner = "group:" + owner
	}
	if !strings.Contains(owner, "/") {
		kind, name, _ := strings.Cut(owner, ":")
		owner = kind + ":default/" + name
	}
	return owner
}
