package portal

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/syncer"
)

// BenchmarkDecisionsReread: reading a location's 2,000 decision records
// again after a commit that changed one of them — every file read, as
// when nothing is kept from the last read, against only the file whose
// blob moved.
func BenchmarkDecisionsReread(b *testing.B) {
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(ctx, b.TempDir(), quiet)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	const dir, records = "docs/adr/", 2_000
	files := map[string][]byte{"catalog-info.yaml": []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: fares\n  annotations:\n" +
		"    backstage.io/adr-location: docs/adr\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n")}
	for i := 1; i <= records; i++ {
		files[fmt.Sprintf("%s%04d-decision-%d.md", dir, i, i)] = fmt.Appendf(nil,
			"---\nstatus: accepted\ndate: 2026-01-02\ndeciders: [jane, ravi]\n---\n# Decision %d\n\n## Context\n\nA paragraph of Markdown about decision %d.\n", i, i)
	}
	repo := gittest.New(b)
	repo.Commit("Decide", files)
	if err := db.PutLocation(ctx, store.Location{ID: "adr", URL: repo.Dir, Path: "catalog-info.yaml"}); err != nil {
		b.Fatal(err)
	}
	sy := syncer.New(db, b.TempDir(), gitfetch.Credentials{}, &events.Bus{}, quiet, nil)
	if err := sy.Sync(ctx, "adr"); err != nil {
		b.Fatal(err)
	}
	a := &decisionsArea{db: db, files: sy, log: quiet}
	if err := a.refresh(ctx, "adr"); err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, tc := range []struct {
		name string
		keep bool
	}{{"every-file", false}, {"changed-only", true}} {
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				n++
				repo.Commit(fmt.Sprintf("Change %d", n), map[string][]byte{dir + "0001-decision-1.md": fmt.Appendf(nil, "# Decision 1, take %d\n", n)})
				if err := sy.Sync(ctx, "adr"); err != nil {
					b.Fatal(err)
				}
				if !tc.keep {
					// Nothing kept from the last read: every file is read.
					if err := db.PutDecisions(ctx, "adr", "", nil, nil); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				if err := a.refresh(ctx, "adr"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
