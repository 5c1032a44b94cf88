package ci

import (
	"context"
	"slices"
	"strings"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// defaultBranches are the branches a run counts as the default branch's:
// the runs GitHub lists do not say which branch is the default.
var defaultBranches = []string{"main", "master"}

func factSpecs() []*pluginv1.FactSpec {
	return []*pluginv1.FactSpec{{Name: "defaultBranchLastRunPassed",
		Description: "Whether the latest finished run on main (or master) succeeded, from the runs last fetched."}}
}

// facts reports from the runs the card last fetched and cached, as of
// when they were fetched: facts are asked for many entities after a sync,
// and must not spend the token's rate limit. An entity without a
// repository annotation, or whose runs were never fetched, has none.
func (p *ciPlugin) facts(ctx context.Context, req sdk.EntityRequest) ([]*pluginv1.Fact, error) {
	s, err := settingsOf(req.Request)
	if err != nil || s.cacheDir == "" {
		return nil, nil
	}
	owner, repo, ok := parseSlug(strings.TrimSpace(req.Entity.Metadata.Annotations[slugAnnotation]))
	if !ok {
		return nil, nil
	}
	c, ok, err := runCache{dir: s.cacheDir}.load(s.apiURL, owner, repo)
	if err != nil || !ok {
		if err != nil {
			p.log.Warn("runs cache unreadable", "repo", owner+"/"+repo, "err", err)
		}
		return nil, nil
	}
	sortRuns(c.Runs)
	for _, r := range c.Runs {
		if r.Status != "completed" || !isDefaultBranch(r.Branch) {
			continue
		}
		return []*pluginv1.Fact{sdk.AsOf(sdk.FactFlag("defaultBranchLastRunPassed", r.Conclusion == "success"), c.FetchedAt)}, nil
	}
	return nil, nil
}

func isDefaultBranch(b string) bool { return slices.Contains(defaultBranches, b) }
