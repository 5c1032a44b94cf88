package buildinfo

import (
	"runtime/debug"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/store"
)

func TestFromBuild(t *testing.T) {
	t.Parallel()
	bi := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Deps:      []*debug.Module{{Path: "golang.org/x/net", Version: "v0.1.0"}, {Path: wailsModule, Version: "v2.13.0"}},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "e08ce80aa"},
			{Key: "vcs.time", Value: "2026-05-01T10:00:00+02:00"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	tests := []struct {
		name                  string
		bi                    *debug.BuildInfo
		version, commit, date string
		want                  Info
	}{
		{"stamped wins", bi, "1.2.0", "abc", "2026-01-02T03:04:05Z",
			Info{Version: "1.2.0", Commit: "abc", Date: "2026-01-02T03:04:05Z", Go: "go1.26.8", Wails: "v2.13.0", StoreFormat: store.Format}},
		{"vcs settings fill blanks", bi, "", "", "",
			Info{Version: "dev", Commit: "e08ce80aa-dirty", Date: "2026-05-01T08:00:00Z", Go: "go1.26.8", Wails: "v2.13.0", StoreFormat: store.Format}},
		{"no build information", nil, "1.0.0", "", "",
			Info{Version: "1.0.0", StoreFormat: store.Format}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, fromBuild(tt.bi, tt.version, tt.commit, tt.date)); diff != "" {
				t.Errorf("fromBuild (-want +got):\n%s", diff)
			}
		})
	}
}
