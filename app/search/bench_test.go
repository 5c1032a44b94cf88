package search

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// The search benchmarks index the shared workload (the gencat repository in
// CALLBOARD_BENCH_CATALOG, set by `make bench`) plus 5,000 synthetic docs
// sections, then run a fixed mix of 1,000 queries drawn from it.

func workload(b *testing.B) []Doc {
	b.Helper()
	dir := os.Getenv("CALLBOARD_BENCH_CATALOG")
	if dir == "" {
		b.Skip("CALLBOARD_BENCH_CATALOG is not set; `make bench` generates the workload and sets it")
	}
	var docs []Doc
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() && d.Name() == ".git" {
			if err == nil {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		for {
			var e struct {
				Kind     string
				Metadata struct {
					Name, Title, Description string
					Tags                     []string
				}
				Spec struct{ Type, Lifecycle, Owner, System string }
			}
			if dec.Decode(&e) != nil {
				break
			}
			if e.Kind == "" || e.Kind == "Location" {
				continue
			}
			ref := strings.ToLower(e.Kind) + ":default/" + e.Metadata.Name
			docs = append(docs, Doc{ID: "entity:" + ref, Type: TypeEntity, Ref: ref, Location: "bench", Kind: e.Kind, Name: e.Metadata.Name,
				Title: e.Metadata.Title, Description: e.Metadata.Description, Tags: e.Metadata.Tags, Owner: e.Spec.Owner,
				System: e.Spec.System, EntityType: e.Spec.Type, Lifecycle: e.Spec.Lifecycle})
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"deploy", "rollback", "alerting", "runbook", "database", "migration", "latency", "incident", "queue", "cache", "payments", "oncall"}
	for i := range 5000 {
		e := docs[r.IntN(len(docs))]
		w := func() string { return words[r.IntN(len(words))] }
		docs = append(docs, Doc{ID: fmt.Sprintf("docs:%s#%d", e.Ref, i), Type: TypeDocs, Ref: e.Ref, Location: "bench", Kind: e.Kind, Name: e.Name,
			Title: fmt.Sprintf("%s %s guide", e.Name, w()), Headings: w() + " " + w(),
			Body: fmt.Sprintf("How to %s the %s service: check %s, then %s. See the %s runbook before any %s.", w(), e.Name, w(), w(), w(), w()), Path: fmt.Sprintf("guide-%d", i)})
	}
	return docs
}

// queries is a fixed mix: exact names, name prefixes as typed, one-typo
// names, title words, tags and docs words.
func queries(docs []Doc) []string {
	r := rand.New(rand.NewPCG(3, 4))
	var out []string
	for len(out) < 1000 {
		d := docs[r.IntN(len(docs))]
		switch len(out) % 6 {
		case 0:
			out = append(out, d.Name)
		case 1:
			out = append(out, d.Name[:min(len(d.Name), 3+r.IntN(4))])
		case 2:
			if n := []rune(d.Name); len(n) > 5 {
				i := 1 + r.IntN(len(n)-2)
				out = append(out, string(n[:i])+string(n[i+1:]))
			}
		case 3:
			if f := strings.Fields(d.Title); len(f) > 0 {
				out = append(out, strings.ToLower(f[0]))
			}
		case 4:
			if len(d.Tags) > 0 {
				out = append(out, d.Tags[0])
			}
		case 5:
			out = append(out, []string{"rollback runbook", "database migration", "incident", "payments latency", "deploy"}[r.IntN(5)])
		}
	}
	return out
}

func BenchmarkSearch(b *testing.B) {
	docs := workload(b)
	dir := b.TempDir()
	x, _, err := Open(filepath.Join(dir, "search"))
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	ctx := context.Background()
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			for i := 0; i < len(docs); i += 2000 {
				if err := x.Apply(ctx, docs[i:min(i+2000, len(docs))], nil); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(len(docs)), "docs")
	})
	qs := queries(docs)
	for _, facets := range []bool{false, true} {
		name := "query-mix"
		if facets {
			name += "-with-facets"
		}
		b.Run(name, func(b *testing.B) {
			var lat []time.Duration
			for b.Loop() {
				for _, q := range qs {
					t := time.Now()
					if _, err := x.Search(ctx, Query{Text: q, Limit: 10, Facets: facets}); err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(t))
				}
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-p50")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "ms-p99")
		})
	}
	b.Run("update-10", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			batch := make([]Doc, 10)
			for j := range batch {
				batch[j] = docs[(i*10+j)%len(docs)]
				batch[j].Description += fmt.Sprintf(" (edit %d)", i)
			}
			if err := x.Apply(ctx, batch, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	var size int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				size += fi.Size()
			}
		}
		return nil
	})
	b.Run("size", func(b *testing.B) {
		for b.Loop() {
		}
		b.ReportMetric(float64(size)/(1<<20), "MiB-index")
	})
}
