package buildinfo

import (
	"cmp"
	"runtime/debug"
	"time"

	"github.com/callboard/callboard/app/store"
)

// wailsModule is the module whose version the window was built with.
const wailsModule = "github.com/wailsapp/wails/v2"

// Info is one build of Callboard, as `callboard version --json` prints it.
type Info struct {
	Version string `json:"version"`
	// Commit is the git commit built, with "-dirty" when the tree had
	// changes; "" when unknown.
	Commit string `json:"commit"`
	// Date is when the build's sources date from (SOURCE_DATE_EPOCH, else
	// the commit's time), RFC 3339 in UTC; "" when unknown.
	Date string `json:"date"`
	Go   string `json:"go"`
	// Wails is the Wails version the window is built with; the CLI, which
	// does not link Wails, has it stamped by the build (app/launch).
	Wails string `json:"wails"`
	// StoreFormat is the data dir's store format this build reads and writes.
	StoreFormat int `json:"storeFormat"`
}

// New returns the running build's Info from what the build stamped with
// -ldflags -X (each may be empty), filling blanks from the binary's own
// build information: the module versions, and the vcs settings go build
// records in a git checkout.
func New(version, commit, date string) Info {
	bi, _ := debug.ReadBuildInfo()
	return fromBuild(bi, version, commit, date)
}

// fromBuild is New over bi, which may be nil.
func fromBuild(bi *debug.BuildInfo, version, commit, date string) Info {
	info := Info{Version: cmp.Or(version, "dev"), Commit: commit, Date: date, StoreFormat: store.Format}
	if bi == nil {
		return info
	}
	info.Go = bi.GoVersion
	for _, d := range bi.Deps {
		if d.Path == wailsModule {
			info.Wails = d.Version
		}
	}
	var revision, modified, vcsTime string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value
		case "vcs.time":
			vcsTime = s.Value
		}
	}
	if info.Commit == "" && revision != "" {
		info.Commit = revision
		if modified == "true" {
			info.Commit += "-dirty"
		}
	}
	if info.Date == "" {
		if t, err := time.Parse(time.RFC3339, vcsTime); err == nil {
			info.Date = t.UTC().Format(time.RFC3339)
		}
	}
	return info
}
