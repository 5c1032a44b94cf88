package portal

import (
	"context"
	"time"

	"github.com/callboard/callboard/app/buildinfo"
)

// about says what the instance is.
type about struct {
	db       locationLister
	version  string
	build    buildinfo.Info
	dataDir  string
	mode     string
	language string
	started  time.Time
	reports  reportCounter
}

// reportCounter counts the errors the UI reported.
type reportCounter interface {
	reported() int64
}

// Info answers API.Info.
func (s *about) Info(ctx context.Context) (Info, error) {
	locs, err := s.db.Locations(ctx)
	if err != nil {
		return Info{}, err
	}
	n := 0
	for _, l := range locs {
		n += l.Entities
	}
	return Info{Version: s.version, DataDir: s.dataDir, Mode: s.mode, Entities: n,
		Locations: len(locs), StartedAt: s.started.UTC().Format(time.RFC3339), Language: s.language,
		FrontendErrors: s.reports.reported(), Commit: s.build.Commit, BuildDate: s.build.Date, Go: s.build.Go,
		Wails: s.build.Wails, StoreFormat: s.build.StoreFormat}, nil
}
