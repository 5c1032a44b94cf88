package portal

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/plugins/host"
	"github.com/callboard/callboard/plugins/pluginv1"
)

func TestPluginFacts(t *testing.T) {
	t.Parallel()
	read := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	described := &pluginv1.Manifest{Facts: []*pluginv1.FactSpec{
		{Name: "lastCommitAt", Description: "when the default branch last moved"},
		{Name: "contributors", Description: "people who committed in 90 days"},
	}}
	for _, tc := range []struct {
		name      string
		info      host.Info
		stats     store.FactStats
		facts     []PluginFact
		factsRead PluginFactsRead
	}{
		{name: "not started", facts: []PluginFact{}},
		{name: "described, nothing kept", info: host.Info{Described: described},
			facts: []PluginFact{{Name: "lastCommitAt", Description: "when the default branch last moved"}, {Name: "contributors", Description: "people who committed in 90 days"}}},
		{name: "reported", info: host.Info{Described: described},
			stats:     store.FactStats{Entities: 12, Oldest: read.Add(-3 * time.Hour), Newest: read, Types: map[string]string{"lastCommitAt": "time"}},
			facts:     []PluginFact{{Name: "lastCommitAt", Type: "time", Description: "when the default branch last moved"}, {Name: "contributors", Description: "people who committed in 90 days"}},
			factsRead: PluginFactsRead{Entities: 12, Oldest: "2026-03-01T09:00:00Z", Newest: "2026-03-01T12:00:00Z"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := withFacts(PluginInfo{}, tc.info, tc.stats)
			if d := cmp.Diff(tc.facts, got.Facts); d != "" {
				t.Errorf("facts (-want +got):\n%s", d)
			}
			if got.FactsRead != tc.factsRead {
				t.Errorf("factsRead = %+v, want %+v", got.FactsRead, tc.factsRead)
			}
		})
	}
}
