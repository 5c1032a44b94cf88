package portal_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/gittest"
	"github.com/callboard/callboard/sync/syncer"
)

// Decision records measured: benchADREntities entities with
// benchADRsEach records each.
const (
	benchADREntities = 10
	benchADRsEach    = 1_000
)

// decisionsRepo writes a repository of entities, each with an ADR folder
// of perEntity records in turn MADR 3 (front matter), MADR 2 (a list)
// and Nygard, every fifth superseded by the next.
func decisionsRepo(b *testing.B, entities, perEntity int) string {
	b.Helper()
	dir := b.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	catalog := "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: services\nspec:\n  targets:\n"
	for e := range entities {
		svc := fmt.Sprintf("svc-%02d", e)
		catalog += "    - ./" + svc + "/catalog-info.yaml\n"
		write(svc+"/catalog-info.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: "+svc+
			"\n  annotations:\n    backstage.io/adr-location: docs/adr\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n")
		for i := 1; i <= perEntity; i++ {
			status := "accepted"
			if i%5 == 0 {
				status = fmt.Sprintf("superseded by [ADR-%04d](%04d-decision-%d.md)", i+1, i+1, i+1)
			}
			date := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format("2006-01-02")
			body := fmt.Sprintf("## Context and Problem Statement\n\nDecision %d of %s, about a part of the service, in a paragraph of Markdown.\n\n## Decision Outcome\n\nChosen option: option %d.\n", i, svc, i%3)
			var text string
			switch i % 3 {
			case 0:
				text = fmt.Sprintf("---\nstatus: %s\ndate: %s\ndeciders: [jane, ravi]\n---\n# Decision %d\n\n%s", status, date, i, body)
			case 1:
				text = fmt.Sprintf("# Decision %d\n\n* Status: %s\n* Date: %s\n\n%s", i, status, date, body)
			default:
				text = fmt.Sprintf("# %d. Decision %d\n\nDate: %s\n\n## Status\n\n%s\n\n%s", i, i, date, status, body)
			}
			write(fmt.Sprintf("%s/docs/adr/%04d-decision-%d.md", svc, i, i), text)
		}
	}
	write("catalog-info.yaml", catalog)
	gittest.Git(b, dir, "init", "-q", "-b", "main")
	gittest.Git(b, dir, "add", "-A")
	gittest.Git(b, dir, "-c", "gc.auto=0", "commit", "-q", "-m", "Decisions")
	return dir
}

// BenchmarkDecisionsTab: the Decisions tab's server time with 10,000
// decision records in the store, 1,000 in the entity's folder (budget:
// 50 ms) — the list, and one record rendered — once they are read.
func BenchmarkDecisionsTab(b *testing.B) {
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	repo := decisionsRepo(b, benchADREntities, benchADRsEach)
	dir := b.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "store"), quiet)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.PutLocation(ctx, store.Location{ID: "adr", URL: repo, Path: "catalog-info.yaml"}); err != nil {
		b.Fatal(err)
	}
	sy := syncer.New(db, filepath.Join(dir, "clones"), gitfetch.Credentials{}, &events.Bus{}, quiet, nil)
	if err := sy.Sync(ctx, "adr"); err != nil {
		b.Fatal(err)
	}
	const ref = "component:default/svc-04"
	read := time.Now()
	svc := portal.New(portal.Config{DB: db, Syncer: sy, DataDir: dir, Log: quiet})
	first, err := svc.EntityDecisions(ctx, ref)
	if err != nil {
		b.Fatal(err)
	}
	if len(first.Items) != benchADRsEach || len(first.Problems) != 0 {
		b.Fatalf("read %d records, %d refused; want %d", len(first.Items), len(first.Problems), benchADRsEach)
	}
	b.Logf("%d decision records read from the clone into the store in %v", benchADREntities*benchADRsEach, time.Since(read))
	b.Run("list", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.EntityDecisions(ctx, ref); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("list-after-restart", func(b *testing.B) {
		// A new service reads the summaries from the store, not git.
		for b.Loop() {
			fresh := portal.New(portal.Config{DB: db, Syncer: sy, DataDir: dir, Log: quiet})
			if _, err := fresh.EntityDecisions(ctx, ref); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("record", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.Decision(ctx, ref, "0500-decision-500.md"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
