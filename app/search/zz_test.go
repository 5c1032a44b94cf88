package search

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

func BenchmarkZZSlow(b *testing.B) {
	docs := workload(b)
	x, _, _ := Open(filepath.Join(b.TempDir(), "s"))
	defer x.Close()
	ctx := context.Background()
	for i := 0; i < len(docs); i += 2000 {
		x.Apply(ctx, docs[i:min(i+2000, len(docs))], nil)
	}
	type r struct {
		q string
		d time.Duration
		n int
	}
	var rs []r
	for _, q := range queries(docs) {
		t := time.Now()
		res, _ := x.Search(ctx, Query{Text: q, Limit: 10})
		rs = append(rs, r{q, time.Since(t), res.Total})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].d > rs[j].d })
	for _, x := range rs[:25] {
		fmt.Printf("%8s %6d %q\n", x.d.Round(time.Microsecond), x.n, x.q)
	}
}
