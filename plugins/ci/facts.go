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
	key, ok := cacheKeyFor(req.Entity, s)
	if !ok {
		return nil, nil
	}
	c, ok, err := runCache{dir: s.cacheDir}.load(key.base, key.owner, key.repo)
	if err != nil || !ok {
		if err != nil {
			p.log.Warn("runs cache unreadable", "repo", key.owner+"/"+key.repo, "err", err)
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

// cacheKeyFor is where the runs of ent's GitHub repository or GitLab
// project are cached; ok is false for an entity on neither.
func cacheKeyFor(ent sdk.Entity, s settings) (cacheKey, bool) {
	if raw := strings.TrimSpace(ent.Metadata.Annotations[slugAnnotation]); raw != "" {
		owner, repo, ok := parseSlug(raw)
		return cacheKey{s.apiURL, owner, repo}, ok
	}
	if g, ok, err := gitlabProjectOf(ent.Metadata.Annotations, s); ok && err == nil {
		return gitlabCacheKey(g), true
	}
	return cacheKey{}, false
}

func isDefaultBranch(b string) bool { return slices.Contains(defaultBranches, b) }
