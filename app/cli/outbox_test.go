package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/buildinfo"
	"github.com/callboard/callboard/sync/discover/forgetest"
	"github.com/callboard/callboard/sync/gitfetch"
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

// A discovered organisation's repository whose main branch refuses
// pushes: an edit becomes a pull request, listed by `outbox`; once
// closed, `outbox resolve --keep discard` takes it back.
func TestOutboxPullRequests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	org := &forgetest.Org{Login: "acme", Repos: []*forgetest.Repo{{ID: 1, Name: "payments", DefaultBranch: "main", Git: true,
		Files: map[string]string{"catalog-info.yaml": validComponent}, Protected: []string{"main"}}}}
	srv := forgetest.NewGitHub(t, org)
	env := Env{Build: buildinfo.Info{Version: "test"}, Getenv: func(string) string { return "" },
		Tokens: gitfetch.Tokens{ByHost: map[string]string{"CALLBOARD_GIT_TOKEN_127_0_0_1": srv.Token}}}
	cli := func(args ...string) result {
		var out, errb syncBuffer
		e := env
		e.Stdout, e.Stderr = &out, &errb
		code := Main(ctx, append(args, "--data-dir", dir), e)
		return result{code, out.String(), errb.String()}
	}
	if r := cli("location", "add", srv.URL+"/acme", "--discover", "--forge", "github"); r.code != 0 {
		t.Fatalf("location add --discover = %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := cli("location", "review", "acme", "--mode", "pr"); r.code != 0 || !strings.Contains(r.stdout, "by pull request") {
		t.Fatalf("location review = %d %s %s", r.code, r.stdout, r.stderr)
	}
	edited := filepath.Join(t.TempDir(), "edited.yaml")
	if err := os.WriteFile(edited, []byte(strings.Replace(validComponent, "name: payments", "name: payments\n  title: Payments (reviewed)", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := cli("catalog", "write", "payments", "catalog-info.yaml", "--file", edited, "--message", "Title payments"); r.code != 0 {
		t.Fatalf("catalog write = %d %s", r.code, r.stderr)
	}
	if r := cli("sync"); r.code != 0 {
		t.Fatalf("sync = %d %s", r.code, r.stderr)
	}
	r := cli("outbox")
	if r.code != 0 || !strings.Contains(r.stdout, "pull request #1 open: "+srv.URL+"/acme/payments/pull/1") {
		t.Errorf("outbox with a pull request open = %d %s %s", r.code, r.stdout, r.stderr)
	}
	srv.SetPullRequest(1, func(p *forgetest.PullRequest) { p.State = "closed" })
	if r := cli("sync"); r.code != 0 {
		t.Fatalf("sync = %d %s", r.code, r.stderr)
	}
	r = cli("outbox")
	id, _, _ := strings.Cut(r.stdout, " ")
	if !strings.Contains(r.stdout, "pull request #1 closed") || !strings.Contains(r.stdout, "callboard outbox resolve "+id+" --keep discard|reopen") {
		t.Fatalf("outbox with the pull request closed = %s", r.stdout)
	}
	if r := cli("outbox", "resolve", id, "--keep", "discard"); r.code != 0 || !strings.Contains(r.stdout, "discarded "+id) {
		t.Errorf("outbox resolve --keep discard = %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := cli("outbox", "--json"); !strings.Contains(r.stdout, `"entries": []`) {
		t.Errorf("outbox after discarding = %s", r.stdout)
	}
	for _, args := range [][]string{
		{"location", "review", "acme"},
		{"location", "review", "acme", "--mode", "sometimes"},
		{"location", "review", "nope", "--mode", "pr"},
		{"outbox", "resolve", id, "--keep", "reopen"},
	} {
		if r := cli(args...); r.code != 2 {
			t.Errorf("%v = %d %s, want exit 2", args, r.code, r.stderr)
		}
	}
}
