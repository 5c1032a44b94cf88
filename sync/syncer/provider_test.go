package syncer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
)

// fakePlugin stands in for a plugin: the files it provides, or why it
// cannot answer.
type fakePlugin struct {
	mu    sync.Mutex
	files map[string][]byte
	err   error
	asked []string
}

func (f *fakePlugin) provide(_ context.Context, plugin string) (map[string][]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, plugin)
	return f.files, f.err
}

func (f *fakePlugin) set(files map[string][]byte, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files, f.err = files, err
}

// A plugin location syncs without git: the plugin's files go through the
// same processing, last-good handling and store as a repository's.
func TestSyncProvidedByAPlugin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, rec := setup(t, "plugin:discovery")

	if err := s.Sync(ctx, "loc"); !errors.Is(err, ErrNoProvider) {
		t.Fatalf("sync with no provider: %v", err)
	}

	plugin := &fakePlugin{}
	s = New(db, s.clones, s.creds, rec, slog.New(slog.DiscardHandler), plugin.provide)
	bad := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: gamma\nspec:\n  type: service\n  lifecycle: production\n  owner: [not, a, string]\n"
	plugin.set(map[string][]byte{"services/alpha.yaml": comp("alpha"), "services/beta.yaml": comp("beta"), "gamma.yaml": []byte(bad), "../escape.yaml": comp("delta")}, nil)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"component:default/alpha", "component:default/beta"}, names(t, db)); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
	loc, _, _ := db.Location(ctx, "loc")
	if len(loc.HeadCommit) != 64 || loc.LastError != "" || loc.LastSuccess.IsZero() || loc.Entities != 2 {
		t.Errorf("location after the first sync = %+v", loc)
	}
	var gamma, escape *catalog.Error
	for i, e := range loc.Errors {
		switch e.File {
		case "gamma.yaml":
			gamma = &loc.Errors[i]
		case "../escape.yaml":
			escape = &loc.Errors[i]
		}
	}
	if gamma == nil || gamma.Line != 8 || gamma.Field != "spec.owner" {
		t.Errorf("the invalid file's error = %+v (all: %+v)", gamma, loc.Errors)
	}
	if escape == nil || !strings.Contains(escape.Message, "not a plain relative path") {
		t.Errorf("the escaping path's error = %+v", escape)
	}
	alpha, _, _ := db.Entity(ctx, "component:default/alpha")
	if got := alpha.Entity.Metadata.Annotations; got[AnnotationPlugin] != "discovery" || got[catalog.AnnotationLocation] != "plugin:discovery/services/alpha.yaml" {
		t.Errorf("alpha's annotations = %v", got)
	}
	if ann := alpha.Entity.Raw["metadata"].(map[string]any)["annotations"].(map[string]any); ann[AnnotationPlugin] != "discovery" {
		t.Errorf("alpha's document lacks the plugin annotation: %v", ann)
	}
	if alpha.LocationID != "loc" || alpha.Source.File != "services/alpha.yaml" {
		t.Errorf("alpha came from %s %+v", alpha.LocationID, alpha.Source)
	}
	if _, err := os.Stat(s.Clone("loc")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a plugin location got a clone: %v", err)
	}
	first := loc.HeadCommit

	// The same files again: the same pseudo commit, nothing rewritten.
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	if again, _, _ := db.Location(ctx, "loc"); again.HeadCommit != first || again.Version != loc.Version {
		t.Errorf("an unchanged sync moved the location: %+v", again)
	}

	// beta broken keeps its last good version; alpha gone is gone.
	plugin.set(map[string][]byte{"services/beta.yaml": []byte(strings.Replace(string(comp("beta")), "owner: team", "owner: 7", 1)), "gamma.yaml": comp("gamma")}, nil)
	if err := s.Sync(ctx, "loc"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"component:default/beta", "component:default/gamma"}, names(t, db)); diff != "" {
		t.Errorf("entities after the change (-want +got):\n%s", diff)
	}
	beta, _, _ := db.Entity(ctx, "component:default/beta")
	if len(beta.Errors) == 0 || beta.Commit != first || beta.Entity.SpecString("owner") != "team" {
		t.Errorf("beta was not kept at its last good version: %+v", beta)
	}

	// A plugin that cannot answer: stale, the entities stay.
	plugin.set(nil, errors.New("plugin unavailable: it exited: panic: lost my mind"))
	err := s.Sync(ctx, "loc")
	if err == nil || !strings.Contains(err.Error(), "lost my mind") {
		t.Fatalf("sync of a crashed plugin: %v", err)
	}
	loc, _, _ = db.Location(ctx, "loc")
	if loc.LastError != "plugin discovery: plugin unavailable: it exited: panic: lost my mind" || loc.StaleSince.IsZero() {
		t.Errorf("location after the plugin failed = %+v", loc)
	}
	if diff := cmp.Diff([]string{"component:default/beta", "component:default/gamma"}, names(t, db)); diff != "" {
		t.Errorf("entities after the plugin failed (-want +got):\n%s", diff)
	}
	if fmt.Sprint(plugin.asked) != "[discovery discovery discovery discovery]" {
		t.Errorf("the provider was asked for %v", plugin.asked)
	}
	if !strings.Contains(strings.Join(rec.names, " "), "sync:error") {
		t.Errorf("events: %v", rec.names)
	}

	// Nothing to read, write or push: refused, saying why.
	_, err = s.Write(ctx, "loc", edit("gamma.yaml", comp("gamma"), "edit"))
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "plugin discovery provides") {
		t.Errorf("write to a plugin location: %v", err)
	}
	if _, _, _, err := s.ReadFile(ctx, "loc", "gamma.yaml"); !errors.Is(err, ErrRefused) {
		t.Errorf("read from a plugin location: %v", err)
	}
	if entries := outboxOf(t, db); len(entries) != 0 {
		t.Errorf("outbox: %+v", entries)
	}
}

func TestPluginOf(t *testing.T) {
	t.Parallel()
	for url, want := range map[string]string{"plugin:discovery": "discovery", "plugin:": "", "https://host/plugin:x": "", "/srv/plugin:x": ""} {
		if got, ok := PluginOf(url); got != want || ok != (want != "") {
			t.Errorf("PluginOf(%q) = %q, %v", url, got, ok)
		}
	}
}
