package discover

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/callboard/callboard/sync/discover/forgetest"
	"github.com/callboard/callboard/sync/remote"
)

// A renamed repository's old REST URL answers 301 to its new one on the
// same host, which is followed with the token; a redirect elsewhere is
// not, and the token never leaves the API host.
func TestRedirects(t *testing.T) {
	t.Parallel()
	org := &forgetest.Org{Login: "acme", Repos: forgetest.Generate(1, nil)}
	org.Repos[0].OldNames = []string{"old-name"}
	srv := forgetest.NewGitHub(t, org)
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("the token reached another host: %s", r.URL)
		}
	}))
	t.Cleanup(elsewhere.Close)
	away := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/x", http.StatusMovedPermanently)
	}))
	t.Cleanup(away.Close)
	token := func(context.Context, string) (string, error) { return srv.Token, nil }
	clock := forgetest.NewClock(forgetest.Epoch)

	src, err := ParseSource(srv.URL+"/acme", remote.GitHub)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(src, Options{Token: token, Clock: clock})
	var repo struct {
		Name   string `json:"name"`
		NodeID string `json:"node_id"`
	}
	if _, err := c.getJSON(context.Background(), src.restBase()+"/repos/acme/old-name", nil, &repo); err != nil {
		t.Fatal(err)
	}
	if repo.Name != "repo-0000" || repo.NodeID == "" {
		t.Errorf("renamed repository read as %+v", repo)
	}

	src2, err := ParseSource(away.URL+"/acme", remote.GitHub)
	if err != nil {
		t.Fatal(err)
	}
	c2 := newClient(src2, Options{Token: token, Clock: clock})
	if _, err := c2.getJSON(context.Background(), src2.restBase()+"/user", nil, nil); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("redirect to another host: %v", err)
	}
	if _, err := c2.getJSON(context.Background(), elsewhere.URL+"/api/v3/user", nil, nil); err == nil {
		t.Error("a request outside the source's API was sent")
	}
	if slept, _ := clock.Slept(); slept != 0 {
		t.Errorf("waited %v to retry what no retry mends", slept)
	}
}
