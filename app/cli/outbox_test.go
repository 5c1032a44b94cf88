package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/sync/gittest"
)

func TestCatalogWriteAndOutbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	repo := gittest.New(t)
	repo.Commit("catalog", map[string][]byte{"catalog-info.yaml": []byte(validComponent)})
	remote := repo.Bare()
	if r := run(ctx, nil, nil, "location", "add", remote, "--data-dir", dir); r.code != 0 {
		t.Fatalf("location add = %d %s", r.code, r.stderr)
	}
	id := "remote"
	edited := filepath.Join(t.TempDir(), "edited.yaml")
	if err := os.WriteFile(edited, []byte(strings.Replace(validComponent, "name: payments", "name: payments\n  title: Payments (edited)", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(ctx, nil, nil, "catalog", "write", id, "catalog-info.yaml", "--file", edited, "--message", "Title payments", "--data-dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "committed catalog-info.yaml locally") {
		t.Fatalf("catalog write = %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = run(ctx, nil, nil, "outbox", "--data-dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "pending") || !strings.Contains(r.stdout, `"Title payments"`) {
		t.Errorf("outbox = %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = run(ctx, nil, nil, "catalog", "get", "component:payments", "--data-dir", dir, "--json")
	if !strings.Contains(r.stdout, `"title": "Payments (edited)"`) || !strings.Contains(r.stdout, `"pending": true`) {
		t.Errorf("catalog get after the write = %s", r.stdout)
	}
	if r = run(ctx, nil, nil, "sync", "--data-dir", dir); r.code != 0 {
		t.Fatalf("sync = %d %s", r.code, r.stderr)
	}
	r = run(ctx, nil, nil, "outbox", "--data-dir", dir, "--json")
	if r.code != 0 || !strings.Contains(r.stdout, `"entries": []`) {
		t.Errorf("outbox after the push = %s %s", r.stdout, r.stderr)
	}
	if got := gittest.Git(t, remote, "show", "main:catalog-info.yaml"); !strings.Contains(got, "Payments (edited)") {
		t.Errorf("remote after the push:\n%s", got)
	}

	broken := filepath.Join(t.TempDir(), "broken.yaml")
	os.WriteFile(broken, []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments\n"), 0o644)
	r = run(ctx, nil, nil, "catalog", "write", id, "catalog-info.yaml", "--file", broken, "--message", "Break it", "--data-dir", dir)
	if r.code != 1 || !strings.Contains(r.stderr, "catalog-info.yaml:") || !strings.Contains(r.stderr, "spec") {
		t.Errorf("writing an invalid entity = %d %s", r.code, r.stderr)
	}
	for _, args := range [][]string{
		{"catalog", "write", id, "catalog-info.yaml", "--file", broken},
		{"catalog", "write", "nope", "catalog-info.yaml", "--file", edited, "--message", "x"},
		{"outbox", "resolve", "remote/1", "--keep", "both"},
		{"outbox", "resolve", "remote/1", "--keep", "mine"},
	} {
		if r := run(ctx, nil, nil, append(args, "--data-dir", dir)...); r.code != 2 {
			t.Errorf("%v = %d %s, want exit 2", args, r.code, r.stderr)
		}
	}
}
