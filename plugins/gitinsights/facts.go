package gitinsights

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// factWindow is how far back the counted facts look.
const factWindow = 90 * 24 * time.Hour

func factSpecs() []*pluginv1.FactSpec {
	return []*pluginv1.FactSpec{
		{Name: "lastCommitAt", Description: "When the last commit changing the entity's folder was authored."},
		{Name: "contributors", Description: "How many people authored commits changing the folder in the last 90 days."},
		{Name: "commits90d", Description: "How many commits changed the folder in the last 90 days."},
	}
}

// activity is what the facts need of a folder's log: the author dates
// (Unix seconds, newest first) of the commits within factWindow of the
// tip, and each of their authors' latest. Commits are never later than
// the tip, so this covers the window before any later time too.
type activity struct {
	Times   []int64
	Authors map[string]int64
}

func activityOf(commits []commit, tip time.Time) activity {
	a := activity{Authors: map[string]int64{}}
	from := tip.Add(-factWindow).Unix()
	for _, c := range commits {
		t := c.When.Unix()
		if t < from {
			continue
		}
		a.Times = append(a.Times, t)
		key := strings.ToLower(c.Email)
		if key == "" {
			key = c.Author
		}
		a.Authors[key] = max(a.Authors[key], t)
	}
	slices.SortFunc(a.Times, func(x, y int64) int { return cmp.Compare(y, x) })
	return a
}

// counts are the commits and authors since from.
func (a activity) counts(from time.Time) (commits, authors int) {
	f := from.Unix()
	for _, t := range a.Times {
		if t >= f {
			commits++
		}
	}
	for _, t := range a.Authors {
		if t >= f {
			authors++
		}
	}
	return commits, authors
}

// facts reports the folder's last commit and the last 90 days' activity,
// counted up to now; nothing for an entity without a repository or whose
// commit is not in it yet.
func (p *insightsPlugin) facts(ctx context.Context, req sdk.EntityRequest) ([]*pluginv1.Fact, error) {
	if req.ClonePath == "" {
		return nil, nil
	}
	in, _, err := p.load(ctx, req)
	if errors.Is(err, errNoCommit) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return factsOf(in, time.Now()), nil
}

func factsOf(in *insights, now time.Time) []*pluginv1.Fact {
	if len(in.Recent) == 0 {
		return nil
	}
	commits, authors := in.Activity.counts(now.Add(-factWindow))
	return []*pluginv1.Fact{
		sdk.FactTime("lastCommitAt", in.Recent[0].When),
		sdk.FactNumber("contributors", float64(authors)),
		sdk.FactNumber("commits90d", float64(commits)),
	}
}
