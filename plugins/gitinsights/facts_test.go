package gitinsights

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// The facts count the folder's commits and authors of the 90 days before
// the time they are asked at, with either backend.
func TestFacts(t *testing.T) {
	t.Parallel()
	r, touched := folderRepo(t)
	head := touched[""][0]
	last := time.Date(2026, 1, 19, 7, 0, 0, 0, time.UTC) // svc-a's last commit
	tests := []struct {
		name             string
		now              time.Time
		commits, authors float64
	}{
		{"every commit within 90 days", time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), 11, 3},
		{"part of them", time.Date(2026, 4, 10, 0, 0, 0, 0, time.UTC), 7, 2},
		{"none any more", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), 0, 0},
	}
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			p := newPlugin(b.git, "", discard())
			in, _, err := p.load(context.Background(), sdk.EntityRequest{ClonePath: r.dir, Commit: head, EntityFile: "svc-a/catalog-info.yaml"})
			if err != nil {
				t.Fatal(err)
			}
			for _, tt := range tests {
				want := []*pluginv1.Fact{sdk.FactTime("lastCommitAt", last), sdk.FactNumber("contributors", tt.authors), sdk.FactNumber("commits90d", tt.commits)}
				if d := cmp.Diff(want, factsOf(in, tt.now), protocmp.Transform()); d != "" {
					t.Errorf("%s (-want +got):\n%s", tt.name, d)
				}
			}
		})
	}
}

// An entity without a repository, or whose commit the clone does not
// have yet, has no facts rather than an error.
func TestNoFacts(t *testing.T) {
	t.Parallel()
	r, _ := folderRepo(t)
	p := newPlugin("", "", discard())
	for name, req := range map[string]sdk.EntityRequest{
		"no clone":       {EntityFile: "catalog-info.yaml"},
		"unknown commit": {ClonePath: r.dir, Commit: "0123456789012345678901234567890123456789", EntityFile: "catalog-info.yaml"},
	} {
		facts, err := p.facts(context.Background(), req)
		if err != nil || len(facts) != 0 {
			t.Errorf("%s: %v, %v; want no facts and no error", name, facts, err)
		}
	}
}
