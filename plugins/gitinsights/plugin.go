package gitinsights

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// insightsPlugin renders the git-insights cards.
type insightsPlugin struct {
	// git is the git executable; "" reads repositories with go-git.
	git    string
	cache  *cache
	graphs *graphs
	log    *slog.Logger
}

// newPlugin reads repositories with the git executable at git, or with
// go-git when git is "", and keeps commit-graphs under cacheDir (none when
// it is "").
func newPlugin(git, cacheDir string, log *slog.Logger) *insightsPlugin {
	log = log.With("component", "gitinsights")
	return &insightsPlugin{git: git, cache: newCache(64, 2*time.Minute), graphs: newGraphs(git, cacheDir, log), log: log}
}

// sdkPlugin describes the plugin to the SDK.
func (p *insightsPlugin) sdkPlugin() sdk.Plugin {
	return sdk.Plugin{
		Name:        "git-insights",
		Version:     "1.0.0",
		Description: "Recent commits, commit activity, top contributors, languages and code owners of an entity's folder, from its local clone.",
		EntityContent: &sdk.EntityContent{
			Applies: []*pluginv1.Selector{{Kind: "Component"}, {Kind: "Resource"}},
			Render:  p.render,
		},
		Facts: &sdk.Facts{Provides: factSpecs(), Report: p.facts},
	}
}

// render returns the cards for the entity's folder at the synced commit.
func (p *insightsPlugin) render(ctx context.Context, req sdk.EntityRequest) ([]*pluginv1.View, error) {
	if req.ClonePath == "" {
		return []*pluginv1.View{sdk.Card("git-insights", "Git insights",
			sdk.Notice("There is no local repository for this entity, so there is no git history to show.", pluginv1.Status_STATUS_INFO))}, nil
	}
	in, rev, err := p.load(ctx, req)
	if errors.Is(err, errStillReading) {
		return []*pluginv1.View{sdk.Card("git-insights", "Git insights",
			sdk.Notice("Still reading the history of this repository: the cards appear when the page is opened again.", pluginv1.Status_STATUS_PENDING))}, nil
	}
	if errors.Is(err, errNoCommit) {
		return []*pluginv1.View{sdk.Card("git-insights", "Git insights",
			sdk.Notice(fmt.Sprintf("Commit %s is not in the local repository; it will be after the next sync.", short(rev)), pluginv1.Status_STATUS_WARNING))}, nil
	}
	if err != nil {
		return nil, err
	}
	return views(in), nil
}

// errStillReading is returned by load when the history was not read
// within the call's deadline; the reading goes on for the next call.
var errStillReading = errors.New("still reading the history")

// load returns the insights of the entity's folder at the synced commit
// (or HEAD when none is given), and that commit.
func (p *insightsPlugin) load(ctx context.Context, req sdk.EntityRequest) (*insights, string, error) {
	rev := req.Commit
	if rev == "" {
		rev = "HEAD"
	}
	if rev != "HEAD" && !isHash(rev) {
		return nil, rev, fmt.Errorf("commit %q is not a commit hash", rev)
	}
	folder := entityFolder(req.EntityFile)
	compute := func(ctx context.Context) (*insights, error) { return p.collect(ctx, req.ClonePath, rev, folder) }
	// The host stops a plugin that overruns its deadline: answer a little
	// before it, and let the reading go on for the next call.
	wctx, cancel := keepBack(ctx)
	defer cancel()
	var (
		in  *insights
		err error
	)
	if len(rev) == 40 || len(rev) == 64 {
		in, err = p.cache.get(wctx, cacheKey{Clone: req.ClonePath, Commit: rev, Folder: folder}, compute)
	} else {
		in, err = compute(wctx) // HEAD or an abbreviation moves: not kept
	}
	if errors.Is(err, context.DeadlineExceeded) && wctx.Err() != nil {
		return nil, rev, errStillReading
	}
	return in, rev, err
}

// collect reads the insights with git (through the clone's commit-graph
// when there is one), or with go-git when there is no git or git fails.
func (p *insightsPlugin) collect(ctx context.Context, clone, rev, folder string) (*insights, error) {
	if p.git != "" {
		graph := p.graphs.graph(clone)
		in, err := collect(ctx, newGitCLI(p.git, clone, graph), rev, folder)
		if err != nil && graph != "" && !errors.Is(err, errNoCommit) && ctx.Err() == nil {
			p.log.Warn("git failed reading through the commit-graph, reading without it", "clone", clone, "commit", rev, "err", err)
			p.graphs.drop(clone)
			in, err = collect(ctx, newGitCLI(p.git, clone, ""), rev, folder)
		}
		if err == nil {
			p.graphs.update(clone, in.Tip.Hash)
		}
		if err == nil || errors.Is(err, errNoCommit) || ctx.Err() != nil {
			return in, err
		}
		p.log.Warn("git failed, reading with go-git", "clone", clone, "commit", rev, "err", err)
	}
	return collect(ctx, newGoGit(clone), rev, folder)
}

// maxDeadlineMargin is the most keepBack keeps back of a deadline.
const maxDeadlineMargin = 500 * time.Millisecond

// keepBack returns ctx with a deadline a fifth (at most
// maxDeadlineMargin) earlier than ctx's.
func keepBack(ctx context.Context) (context.Context, context.CancelFunc) {
	dl, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	return context.WithDeadline(ctx, dl.Add(-min(time.Until(dl)/5, maxDeadlineMargin)))
}

// isHash reports whether s is a (possibly abbreviated) hexadecimal commit
// hash.
func isHash(s string) bool {
	if len(s) < 4 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// short abbreviates a commit hash.
func short(h string) string { return h[:min(len(h), 7)] }
