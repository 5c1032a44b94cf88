package sdk

import (
	"context"
	"encoding/json"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/callboard/callboard/plugins/pluginv1"
)

// Facts is the facts extension point: typed values about an entity that
// scorecards check, such as "git-insights.lastCommitAt". Callboard keeps
// the last answer for each entity, so scorecards evaluate offline.
type Facts struct {
	// Provides names every fact Report may return (without the plugin's
	// name), so a scorecard can tell a fact nothing provides from one not
	// reported yet.
	Provides []*pluginv1.FactSpec
	// Report returns the facts it knows of the entity, leaving out the
	// ones it does not (never an empty value for "unknown"). At most 100
	// facts, values at most 4 KB.
	Report func(ctx context.Context, req EntityRequest) ([]*pluginv1.Fact, error)
}

// FactNumber is a numeric fact.
func FactNumber(name string, v float64) *pluginv1.Fact {
	return &pluginv1.Fact{Name: name, Value: &pluginv1.Fact_Number{Number: v}}
}

// FactText is a text fact.
func FactText(name, v string) *pluginv1.Fact {
	return &pluginv1.Fact{Name: name, Value: &pluginv1.Fact_Text{Text: v}}
}

// FactFlag is a true-or-false fact.
func FactFlag(name string, v bool) *pluginv1.Fact {
	return &pluginv1.Fact{Name: name, Value: &pluginv1.Fact_Flag{Flag: v}}
}

// FactTime is a time fact, such as the time of the last commit.
func FactTime(name string, t time.Time) *pluginv1.Fact {
	return &pluginv1.Fact{Name: name, Value: &pluginv1.Fact_Time{Time: t.UTC().Format(time.RFC3339)}}
}

// AsOf says when a fact's value was true, when that is not now (a value
// read from a cache); it returns f.
func AsOf(f *pluginv1.Fact, t time.Time) *pluginv1.Fact {
	f.AsOf = t.UTC().Format(time.RFC3339)
	return f
}

func (s *server) Facts(ctx context.Context, req *pluginv1.FactsRequest) (*pluginv1.FactsResponse, error) {
	if s.p.Facts == nil {
		return nil, status.Error(codes.Unimplemented, "this plugin reports no facts")
	}
	in := EntityRequest{Request: Request{Config: req.GetConfig(), Secrets: req.GetSecrets()}, ClonePath: req.GetClonePath(), Commit: req.GetCommit(), EntityFile: req.GetEntityFile()}
	if err := json.Unmarshal([]byte(req.GetEntityJson()), &in.Entity); err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "entity_json: %v", err)
	}
	in.Entity.JSON = json.RawMessage(req.GetEntityJson())
	facts, err := s.p.Facts.Report(ctx, in)
	if err != nil {
		return nil, err
	}
	return &pluginv1.FactsResponse{Facts: facts}, nil
}
