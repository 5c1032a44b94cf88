// Command browse asks a running instance what the catalog and search pages
// ask while a user browses, then prints the instance's memory from /proc:
// BENCHMARKS.md's "A lean app" figures.
//
//	go run ./internal/cmd/browse -data-dir DIR -pid PID
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/callboard/callboard/app/apiclient"
	"github.com/callboard/callboard/app/instance"
	"github.com/callboard/callboard/app/portal"
)

func main() {
	dataDir := flag.String("data-dir", "", "the data dir the instance runs on")
	pid := flag.Int("pid", 0, "the instance's process id, whose memory is printed")
	settle := flag.Duration("settle", 8*time.Second, "how long to wait after the last request before reading the memory")
	flag.Parse()
	if err := run(context.Background(), *dataDir, *pid, *settle); err != nil {
		fmt.Fprintln(os.Stderr, "browse:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dataDir string, pid int, settle time.Duration) error {
	c := apiclient.New(instance.PathsOf(dataDir).Socket)
	queries := []portal.EntityQuery{
		{Limit: 50},
		{Kind: "component", Facets: map[string][]string{"type": {"service"}}, Sort: "owner", Limit: 50},
		{Text: "payment", Limit: 50},
	}
	for _, off := range []int{50, 1_000, 10_000, 50_000} {
		queries = append(queries, portal.EntityQuery{Offset: off, Limit: 50}, portal.EntityQuery{Kind: "component", Sort: "name", Desc: true, Offset: off, Limit: 50})
	}
	var refs []string
	for _, q := range queries {
		l, err := c.ListEntities(ctx, q)
		if err != nil {
			return fmt.Errorf("list %+v: %w", q, err)
		}
		for _, it := range l.Items {
			if len(refs) < 3 && strings.HasPrefix(it.Ref, "component:") {
				refs = append(refs, it.Ref)
			}
		}
	}
	for _, ref := range refs {
		if _, err := c.GetEntity(ctx, ref); err != nil {
			return fmt.Errorf("get %s: %w", ref, err)
		}
		if _, err := c.Graph(ctx, portal.GraphQuery{Ref: ref, Depth: 2}); err != nil {
			return fmt.Errorf("graph of %s: %w", ref, err)
		}
	}
	for _, q := range []portal.SearchQuery{
		{Text: "payment service", Limit: 20},
		{Text: "ads", Kinds: []string{"component"}, Limit: 20},
		{Text: "team", Kinds: []string{"group"}, Limit: 20},
	} {
		if _, err := c.Search(ctx, q); err != nil {
			return fmt.Errorf("search %q: %w", q.Text, err)
		}
	}
	if pid == 0 {
		return nil
	}
	time.Sleep(settle)
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return fmt.Errorf("read the instance's memory: %w", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		for _, k := range []string{"VmRSS:", "VmHWM:", "RssAnon:", "RssFile:"} {
			if strings.HasPrefix(line, k) {
				fmt.Println(strings.Join(strings.Fields(line), " "))
			}
		}
	}
	return nil
}
