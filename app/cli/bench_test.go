package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sync"
	"testing"

	"github.com/callboard/callboard/app/portal"
)

// The CLI benchmarks run the command line in process, as `callboard
// catalog get REF`, `callboard search Q` and `callboard catalog list`
// would (process start aside: scripts/bench.sh times the binary), on a
// data dir holding the shared workload (the gencat repository in
// CALLBOARD_BENCH_CATALOG, set by `make bench`), synced and indexed once.
var cliBench struct {
	once sync.Once
	dir  string
	ref  string // a component of the workload, the first by name
	err  error
}

func benchDataDir(b *testing.B) (dir, ref string) {
	b.Helper()
	repo := os.Getenv("CALLBOARD_BENCH_CATALOG")
	if repo == "" {
		b.Skip("CALLBOARD_BENCH_CATALOG is not set; `make bench` generates the workload and sets it")
	}
	cliBench.once.Do(func() {
		ctx := context.Background()
		if cliBench.dir, cliBench.err = os.MkdirTemp("", "callboard-cli-bench-"); cliBench.err != nil {
			return
		}
		// A writer once: the workload synced, the index built.
		for _, args := range [][]string{{"location", "add", repo}, {"search", "anything"}} {
			if r := run(ctx, nil, nil, append(args, "--data-dir", cliBench.dir)...); r.code != 0 {
				cliBench.err = fmt.Errorf("%s: exit %d: %s", args, r.code, r.stderr)
				return
			}
		}
		r := run(ctx, nil, nil, "catalog", "list", "--kind", "component", "--limit", "1", "--json", "--data-dir", cliBench.dir)
		var list portal.EntityList
		if cliBench.err = json.Unmarshal([]byte(r.stdout), &list); cliBench.err == nil && len(list.Items) == 0 {
			cliBench.err = fmt.Errorf("no component in the workload: %s", r.stderr)
		}
		if cliBench.err == nil {
			cliBench.ref = list.Items[0].Ref
		}
	})
	if cliBench.err != nil {
		b.Fatal(cliBench.err)
	}
	return cliBench.dir, cliBench.ref
}

// BenchmarkCLI: catalog get, search and a page of catalog list alone
// (the data dir read as it is), then through a running serve's socket.
func BenchmarkCLI(b *testing.B) {
	dir, ref := benchDataDir(b)
	ctx := context.Background()
	commands := []struct {
		name string
		args []string
		want *regexp.Regexp
	}{
		{"get", []string{"catalog", "get", ref}, regexp.MustCompile(`(?m)^kind: Component$`)},
		{"search", []string{"search", "payment", "service"}, regexp.MustCompile(`entity `)},
		{"list", []string{"catalog", "list", "--kind", "component", "--limit", "20"}, regexp.MustCompile(`(?m)^component:`)},
	}
	each := func(how string) {
		for _, c := range commands {
			b.Run(c.name+"/"+how, func(b *testing.B) {
				args := append(c.args, "--data-dir", dir)
				for b.Loop() {
					if r := run(ctx, nil, nil, args...); r.code != 0 || !c.want.MatchString(r.stdout) {
						b.Fatalf("%s: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
					}
				}
			})
		}
	}
	each("alone")
	ctx, cancel := context.WithCancel(ctx)
	var out, errb syncBuffer
	done := make(chan result, 1)
	go func() { done <- runTo(ctx, &out, &errb, nil, nil, "serve", "--addr", "127.0.0.1:0", "--data-dir", dir) }()
	defer func() { cancel(); <-done }()
	if out.await(regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)) == nil {
		b.Fatalf("serve printed no address; stderr: %s", errb.String())
	}
	// Timed once serve has its catalog table loaded, as a window the user
	// has had open a while has.
	if r := run(ctx, nil, nil, "catalog", "list", "--limit", "1", "--data-dir", dir); r.code != 0 {
		b.Fatalf("catalog list through serve: exit %d: %s", r.code, r.stderr)
	}
	each("serve")
}
