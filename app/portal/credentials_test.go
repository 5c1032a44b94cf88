package portal

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
)

// fakeStatus answers from a map by host; a host it lacks fails.
type fakeStatus map[string]gitfetch.Status

func (f fakeStatus) Status(_ context.Context, host string) (gitfetch.Status, error) {
	st, ok := f[host]
	if !ok {
		return gitfetch.Status{}, errors.New("read the token for " + host + " from the OS keyring: locked")
	}
	return st, nil
}

func TestCredentialSources(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, quiet := memStore(t)
	s := New(Config{DB: db, Log: quiet, Workers: testWorkers(t), Credentials: fakeStatus{
		"github.com":       {Kind: gitfetch.FromGitHub, Source: "GitHub CLI token for github.com"},
		"git.example:8443": {Kind: gitfetch.FromNone, Source: gitfetch.FromNone, Problems: []string{"git credential helper: no answer within 5s"}},
		"specs.example":    {Kind: gitfetch.FromNone, Source: gitfetch.FromNone},
	}})
	for _, l := range []store.Location{
		{ID: "a", URL: "https://github.com/acme/catalog.git"},
		{ID: "b", URL: "https://github.com/acme/payments.git", Links: store.Links{Derived: true}},
		{ID: "c", URL: "git@ssh.example:acme/catalog.git"},
		{ID: "d", URL: "/srv/git/local"},
	} {
		if err := db.PutLocation(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	trusted, reads := []string{"git.example:8443", "locked.example"}, []string{"specs.example", "github.com"}
	if _, err := s.PatchSettings(ctx, SettingsPatch{TrustedGitHosts: &trusted, RemoteReadHosts: &reads}); err != nil {
		t.Fatal(err)
	}
	got, err := s.CredentialSources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if got[i].Hint != "" && !strings.Contains(got[i].Hint, "callboard token set "+got[i].Host) {
			t.Errorf("%s: hint %q", got[i].Host, got[i].Hint)
		}
		if got[i].Hint != "" {
			got[i].Hint = "…"
		}
	}
	want := []CredentialSource{
		{Host: "git.example:8443", Uses: []string{"trusted"}, Kind: "none", Source: "none", Hint: "…", Problems: []string{"git credential helper: no answer within 5s"}},
		{Host: "github.com", Uses: []string{"derived location", "location", "remote read"}, Kind: "gh", Source: "GitHub CLI token for github.com", Problems: []string{}},
		{Host: "locked.example", Uses: []string{"trusted"}, Kind: "none", Source: "none", Hint: "…", Problems: []string{"read the token for locked.example from the OS keyring: locked"}},
		{Host: "specs.example", Uses: []string{"remote read"}, Kind: "none", Source: "none", Hint: "…", Problems: []string{}},
		{Host: "ssh.example", Uses: []string{"location"}, Kind: "ssh", Source: "ssh agent or ~/.ssh keys", Problems: []string{}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CredentialSources (-want +got):\n%s", diff)
	}
}
