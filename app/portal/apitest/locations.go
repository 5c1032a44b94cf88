package apitest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/sync/gittest"
)

// notFoundIDs are ids of no location, outbox entry, run or plugin, each
// odd in its own way for a transport that puts ids in URLs.
var notFoundIDs = []string{"nope", "a/b", "..", "%2F", "x?y#z", "sp ace", strings.Repeat("x", 2000)}

// locationOf finds location id in locs.
func locationOf(t *testing.T, locs []portal.Location, id string) portal.Location {
	t.Helper()
	for _, l := range locs {
		if l.ID == id {
			return l
		}
	}
	t.Fatalf("no location %s among %+v", id, locs)
	return portal.Location{}
}

func testListLocations(t *testing.T, s *suite) {
	o := s.shared
	locs, err := o.API.ListLocations(t.Context())
	must(t, "ListLocations", err)
	if len(locs) != 2 || !slices.IsSortedFunc(locs, func(a, b portal.Location) int { return strings.Compare(a.ID, b.ID) }) {
		t.Errorf("locations = %+v, want the organisation's and the demo's, by id", locs)
	}
	got := locationOf(t, locs, o.loc.ID)
	if got.URL != o.repo.Dir || got.Path != "catalog-info.yaml" || got.Status != "ok" || got.Entities != entities ||
		got.ProcessErrs != 0 || got.LastError != "" || got.Unpushed != 0 || got.Conflicts != 0 {
		t.Errorf("the organisation's location = %+v", got)
	}
	if _, err := time.Parse(time.RFC3339, got.LastSyncAt); err != nil {
		t.Errorf("LastSyncAt %q: %v", got.LastSyncAt, err)
	}
	if demo := locationOf(t, locs, portal.DemoLocationID); demo.Status != "pending" || demo.Entities != 0 {
		t.Errorf("the demo's location, never synced = %+v", demo)
	}
	lists(t, o.Fixture, "ListLocations", locs)
}

func testAddLocation(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "My Catalog.repo")
	must(t, "make the repository folder", os.Mkdir(dir, 0o755))
	loc, err := f.API.AddLocation(ctx, portal.NewLocation{URL: dir})
	must(t, "AddLocation", err)
	want := portal.Location{ID: "my-catalog-repo", URL: dir, Path: "catalog-info.yaml", Status: "pending"}
	if diff := gocmp.Diff(want, loc); diff != "" {
		t.Errorf("a local location (-want +got):\n%s", diff)
	}
	other, err := f.API.AddLocation(ctx, portal.NewLocation{URL: " " + dir + " ", Path: "./teams/*.yaml", Branch: "release/2.x"})
	must(t, "AddLocation", err)
	if other.ID != "my-catalog-repo-2" || other.Path != "teams/*.yaml" || other.Branch != "release/2.x" {
		t.Errorf("the same repository's other file = %+v", other)
	}
	remote, err := f.API.AddLocation(ctx, portal.NewLocation{URL: "https://git.example/org/Payments.Service.git"})
	must(t, "AddLocation", err)
	if remote.ID != "payments-service" || remote.URL != "https://git.example/org/Payments.Service.git" {
		t.Errorf("a remote location = %+v", remote)
	}
	bs, err := f.API.AddLocation(ctx, portal.NewLocation{URL: "https://Backstage.Acme.Example/", Backstage: true})
	must(t, "AddLocation", err)
	wantBS := portal.Location{ID: "backstage-acme-example", URL: "https://backstage.acme.example", Status: "pending",
		Backstage: &portal.BackstageSummary{BaseURL: "https://backstage.acme.example"}}
	if diff := gocmp.Diff(wantBS, bs); diff != "" {
		t.Errorf("a Backstage location (-want +got):\n%s", diff)
	}
	_, err = f.API.AddLocation(ctx, portal.NewLocation{URL: "https://backstage.acme.example", Backstage: true})
	wantErr(t, "AddLocation of a Backstage already registered", err, portal.ErrConflict)
	locs, err := f.API.ListLocations(ctx)
	must(t, "ListLocations", err)
	for _, id := range []string{loc.ID, other.ID, remote.ID, bs.ID} {
		if l := locationOf(t, locs, id); l.Status != "pending" {
			t.Errorf("location %s, never synced = %+v", id, l)
		}
	}
	lists(t, f, "AddLocation", loc)

	_, err = f.API.AddLocation(ctx, portal.NewLocation{URL: dir})
	wantErr(t, "AddLocation of a location already registered", err, portal.ErrConflict)
	for _, in := range []portal.NewLocation{
		{URL: ""},
		{URL: "   "},
		{URL: filepath.Join(dir, "missing")},
		{URL: "https://git.example/org/r.git", Path: "../outside.yaml"},
		{URL: "https://git.example/org/r.git", Path: "/etc/passwd"},
		{URL: "https://git.example/org/r.git", Branch: "has space"},
		{URL: "https://user:hunter2@git.example/org/r.git"},
		{URL: "https://git.example/org/r.git?access_token=hunter2"},
		{URL: "http://backstage.acme.example", Backstage: true},
		{URL: "https://user:hunter2@backstage.acme.example", Backstage: true},
		{URL: "https://backstage.acme.example", Backstage: true, Discover: &portal.Discovery{}},
	} {
		_, err := f.API.AddLocation(ctx, in)
		wantErr(t, fmt.Sprintf("AddLocation(%+v)", in), err, portal.ErrInvalid)
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("AddLocation(%+v) repeats the secret: %v", in, err)
		}
	}
	after, err := f.API.ListLocations(ctx)
	must(t, "ListLocations", err)
	if len(after) != len(locs) {
		t.Errorf("refused locations were added: %+v", after)
	}
}

func testRemoveLocation(t *testing.T, s *suite) {
	o := s.org(t)
	ctx := t.Context()
	must(t, "RemoveLocation", o.API.RemoveLocation(ctx, o.loc.ID))
	locs, err := o.API.ListLocations(ctx)
	must(t, "ListLocations", err)
	if len(locs) != 1 || locs[0].ID != portal.DemoLocationID {
		t.Errorf("locations after the removal = %+v", locs)
	}
	_, err = o.API.GetEntity(ctx, paymentsRef)
	wantErr(t, "GetEntity of a removed location's entity", err, portal.ErrNotFound)
	list, err := o.API.ListEntities(ctx, portal.EntityQuery{})
	must(t, "ListEntities", err)
	if list.Total != 0 || len(list.Items) != 0 {
		t.Errorf("entities after the removal: %d", list.Total)
	}
	lists(t, o.Fixture, "ListEntities", list)
	wantErr(t, "RemoveLocation again", o.API.RemoveLocation(ctx, o.loc.ID), portal.ErrNotFound)
	for _, id := range notFoundIDs {
		wantErr(t, fmt.Sprintf("RemoveLocation(%.40q)", id), o.API.RemoveLocation(ctx, id), portal.ErrNotFound)
	}

	// A location with changes made in the app that its remote lacks stays.
	other := seed(t, s.fresh(t), o.repo)
	_, err = other.API.WriteFile(ctx, portal.FileWrite{LocationID: other.loc.ID, Path: "services.yaml", Content: retitled("Edge gateway v2"), Message: "Retitle"})
	must(t, "WriteFile", err)
	wantErr(t, "RemoveLocation with an unpushed change", other.API.RemoveLocation(ctx, other.loc.ID), portal.ErrConflict)
	if _, err := other.API.GetEntity(ctx, gatewayRef); err != nil {
		t.Errorf("the refused removal took entities away: %v", err)
	}
}

func testSync(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	repo := gittest.New(t)
	head := repo.Commit("Add the organisation", orgFiles())
	loc, err := f.API.AddLocation(ctx, portal.NewLocation{URL: repo.Dir})
	must(t, "AddLocation", err)
	evs := f.Events(t)
	locs, err := f.API.Sync(ctx, loc.ID)
	must(t, "Sync", err)
	got := locationOf(t, locs, loc.ID)
	if got.Status != "ok" || got.HeadCommit != head || got.Entities != entities || got.LastError != "" {
		t.Errorf("the location after its sync = %+v, want ok at %s with %d entities", got, head, entities)
	}
	lists(t, f, "Sync", locs)
	type result struct{ LocationID, Commit, Error string }
	of := func(data json.RawMessage) bool { return strings.Contains(string(data), `"locationId":"`+loc.ID+`"`) }
	progress := payload[struct {
		LocationID, Phase string
		Done, Total       int
	}](t, await(t, evs, "sync:progress", of))
	if progress.Phase == "" {
		t.Errorf("sync:progress without a phase: %+v", progress)
	}
	if done := payload[result](t, await(t, evs, "sync:done", of)); done.Commit != head {
		t.Errorf("sync:done = %+v, want commit %s", done, head)
	}
	await(t, evs, "catalog:changed", of)

	// A refused version keeps the last good one, marked with its errors.
	broken := strings.Replace(servicesYAML("Takes card payments."), "  lifecycle: production\n  owner: team-a\n  system: checkout\n  providesApis",
		"  lifecycle: [production]\n  owner: team-a\n  system: checkout\n  providesApis", 1)
	repo.Commit("Break payments", map[string][]byte{"services.yaml": []byte(broken)})
	_, err = f.API.Sync(ctx, loc.ID)
	must(t, "Sync", err)
	d, err := f.API.GetEntity(ctx, paymentsRef)
	must(t, "GetEntity", err)
	if !d.HasErrors || len(d.Errors) == 0 || d.Lifecycle != "production" {
		t.Errorf("payments after a refused version: errors %+v, lifecycle %q; want its errors and its last good version", d.Errors, d.Lifecycle)
	}
	withErrors, err := f.API.ListEntities(ctx, portal.EntityQuery{HasErrors: true})
	must(t, "ListEntities", err)
	if diff := gocmp.Diff([]string{paymentsRef}, refs(withErrors.Items)); diff != "" {
		t.Errorf("entities with errors (-want +got):\n%s", diff)
	}

	// A location that cannot be fetched fails on its record, not the call.
	gone := filepath.Join(t.TempDir(), "gone")
	must(t, "make the repository folder", os.Mkdir(gone, 0o755))
	lost, err := f.API.AddLocation(ctx, portal.NewLocation{URL: gone})
	must(t, "AddLocation", err)
	must(t, "remove the repository folder", os.Remove(gone))
	locs, err = f.API.Sync(ctx, lost.ID)
	must(t, "Sync of an unreachable location", err)
	if l := locationOf(t, locs, lost.ID); l.Status != "error" || l.LastError == "" {
		t.Errorf("an unreachable location after its sync = %+v", l)
	}
	await(t, evs, "sync:error", func(data json.RawMessage) bool { return strings.Contains(string(data), `"locationId":"`+lost.ID+`"`) })

	// Every location at once: the demo's too.
	locs, err = f.API.Sync(ctx, "")
	must(t, "Sync everything", err)
	if len(locs) != 3 || locationOf(t, locs, portal.DemoLocationID).Status != "ok" || locationOf(t, locs, loc.ID).Status != "ok" {
		t.Errorf("locations after syncing all = %+v", locs)
	}

	for _, id := range notFoundIDs {
		_, err := f.API.Sync(ctx, id)
		wantErr(t, fmt.Sprintf("Sync(%.40q)", id), err, portal.ErrNotFound)
	}
}

// retitled is services.yaml with the gateway's title changed.
func retitled(title string) string {
	return strings.Replace(servicesYAML("Takes card payments and refunds."), "  title: Edge gateway\n", "  title: "+title+"\n", 1)
}

func testReadFile(t *testing.T, s *suite) {
	o := s.shared
	ctx := t.Context()
	for _, tt := range []struct{ path, content string }{
		{"services.yaml", servicesYAML("Takes card payments and refunds.")},
		{"many.yaml", manyYAML()},
		{"docs/" + firstSteps, "# First steps\n\nInstall the tools.\n"},
	} {
		f, err := o.API.ReadFile(ctx, o.loc.ID, tt.path)
		must(t, "ReadFile "+tt.path, err)
		want := portal.CatalogFile{LocationID: o.loc.ID, Path: tt.path, Content: tt.content, Exists: true, Commit: o.loc.HeadCommit}
		if diff := gocmp.Diff(want, f); diff != "" {
			t.Errorf("ReadFile(%q) (-want +got):\n%s", tt.path, diff)
		}
	}
	f, err := o.API.ReadFile(ctx, o.loc.ID, "teams/new team.yaml")
	must(t, "ReadFile of a missing file", err)
	if f.Exists || f.Content != "" || f.Commit != o.loc.HeadCommit {
		t.Errorf("a missing file = %+v", f)
	}
	for _, p := range []string{"", "/etc/passwd", "../outside.yaml", "a/../b.yaml", ".git/config"} {
		_, err := o.API.ReadFile(ctx, o.loc.ID, p)
		wantErr(t, fmt.Sprintf("ReadFile(%q)", p), err, portal.ErrInvalid)
	}
	for _, id := range notFoundIDs {
		_, err := o.API.ReadFile(ctx, id, "services.yaml")
		wantErr(t, fmt.Sprintf("ReadFile(%.40q, …)", id), err, portal.ErrNotFound)
	}
}

func testWriteFile(t *testing.T, s *suite) {
	o := s.org(t)
	ctx := t.Context()
	evs := o.Events(t)
	e, err := o.API.WriteFile(ctx, portal.FileWrite{LocationID: o.loc.ID, Path: "services.yaml", Content: retitled("Edge gateway v2"), Message: "Retitle the gateway"})
	must(t, "WriteFile", err)
	if e.ID == "" || e.Commit == "" || e.LocationID != o.loc.ID || e.State != "pending" || e.Message != "Retitle the gateway" ||
		!slices.Equal(e.Paths, []string{"services.yaml"}) {
		t.Errorf("the outbox entry = %+v", e)
	}
	lists(t, o.Fixture, "WriteFile", e)
	of := func(data json.RawMessage) bool { return strings.Contains(string(data), `"locationId":"`+o.loc.ID+`"`) }
	await(t, evs, "outbox:changed", of)
	await(t, evs, "catalog:changed", of)

	d, err := o.API.GetEntity(ctx, gatewayRef)
	must(t, "GetEntity", err)
	if d.Title != "Edge gateway v2" || !d.Pending {
		t.Errorf("the gateway after the write: title %q, pending %v", d.Title, d.Pending)
	}
	f, err := o.API.ReadFile(ctx, o.loc.ID, "services.yaml")
	must(t, "ReadFile", err)
	if f.Content != retitled("Edge gateway v2") || f.Commit != e.Commit {
		t.Errorf("the file after the write: commit %s, want %s", f.Commit, e.Commit)
	}

	// A large file: a description of 256 KiB.
	big := strings.Replace(retitled("Edge gateway v2"), "Takes card payments and refunds.", strings.Repeat("Long. ", 256<<10/6), 1)
	_, err = o.API.WriteFile(ctx, portal.FileWrite{LocationID: o.loc.ID, Path: "services.yaml", Content: big, Message: "Describe at length"})
	must(t, "WriteFile of a large file", err)
	if d, err := o.API.GetEntity(ctx, paymentsRef); err != nil || len(d.Description) < 256<<10-10 {
		t.Errorf("payments after a large write: description of %d bytes, %v", len(d.Description), err)
	}

	for _, w := range []portal.FileWrite{
		{LocationID: o.loc.ID, Path: "services.yaml", Content: "kind: [\n", Message: "Break it"},
		{LocationID: o.loc.ID, Path: "services.yaml", Content: retitled("No message")},
		{LocationID: o.loc.ID, Path: "teams/new team.yaml", Content: orgYAML, Message: "Unreachable"},
		{LocationID: o.loc.ID, Path: "/etc/passwd", Content: "x", Message: "Outside"},
		{LocationID: o.loc.ID, Path: "../outside.yaml", Content: "x", Message: "Outside"},
		{Path: "services.yaml", Content: "x", Message: "No location"},
	} {
		_, err := o.API.WriteFile(ctx, w)
		wantErr(t, fmt.Sprintf("WriteFile(%q, %q, %q)", w.LocationID, w.Path, w.Message), err, portal.ErrInvalid)
	}
	for _, id := range notFoundIDs {
		_, err := o.API.WriteFile(ctx, portal.FileWrite{LocationID: id, Path: "services.yaml", Content: retitled("x"), Message: "x"})
		wantErr(t, fmt.Sprintf("WriteFile to %.40q", id), err, portal.ErrNotFound)
	}
	out, err := o.API.Outbox(ctx)
	must(t, "Outbox", err)
	if len(out) != 2 {
		t.Errorf("the outbox after refused writes = %+v, want the two accepted", out)
	}
	t.Run("an entity of a Backstage", func(t *testing.T) { testBackstageWrite(t, s) })
}

func testOutbox(t *testing.T, s *suite) {
	o := s.org(t)
	ctx := t.Context()
	out, err := o.API.Outbox(ctx)
	must(t, "Outbox", err)
	if len(out) != 0 {
		t.Errorf("a new outbox = %+v", out)
	}
	lists(t, o.Fixture, "Outbox", out)
	for _, title := range []string{"First", "Second"} {
		_, err := o.API.WriteFile(ctx, portal.FileWrite{LocationID: o.loc.ID, Path: "services.yaml", Content: retitled(title), Message: title})
		must(t, "WriteFile", err)
	}
	out, err = o.API.Outbox(ctx)
	must(t, "Outbox", err)
	if len(out) != 2 || out[0].Message != "First" || out[1].Message != "Second" {
		t.Fatalf("the outbox = %+v, want both commits in order", out)
	}
	for _, e := range out {
		if e.State != "pending" || e.LocationID != o.loc.ID || e.Author == "" {
			t.Errorf("entry = %+v", e)
		}
		if _, err := time.Parse(time.RFC3339, e.CreatedAt); err != nil {
			t.Errorf("CreatedAt %q: %v", e.CreatedAt, err)
		}
	}
	lists(t, o.Fixture, "Outbox", out)
	locs, err := o.API.ListLocations(ctx)
	must(t, "ListLocations", err)
	if l := locationOf(t, locs, o.loc.ID); l.Unpushed != 2 {
		t.Errorf("the location counts %d unpushed, want 2", l.Unpushed)
	}
}

func testResolveConflict(t *testing.T, s *suite) {
	for _, keep := range []string{"mine", "theirs"} {
		t.Run(keep, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			f := s.fresh(t)
			repo := gittest.New(t)
			repo.Commit("Add the organisation", orgFiles())
			remote := repo.Bare()
			loc, err := f.API.AddLocation(ctx, portal.NewLocation{URL: remote})
			must(t, "AddLocation", err)
			_, err = f.API.Sync(ctx, loc.ID)
			must(t, "Sync", err)
			mine, err := f.API.WriteFile(ctx, portal.FileWrite{LocationID: loc.ID, Path: "services.yaml", Content: retitled("Mine"), Message: "Mine"})
			must(t, "WriteFile", err)
			repo.Commit("Theirs", map[string][]byte{"services.yaml": []byte(retitled("Theirs"))})
			gittest.Git(t, repo.Dir, "push", "-q", remote, "main")
			_, err = f.API.Sync(ctx, loc.ID)
			must(t, "Sync", err)

			out, err := f.API.Outbox(ctx)
			must(t, "Outbox", err)
			if len(out) != 1 || out[0].ID != mine.ID || out[0].State != "conflict" || out[0].Branch == "" || len(out[0].Conflict) != 1 {
				t.Fatalf("the outbox after the remote changed the same file = %+v", out)
			}
			if c := out[0].Conflict[0]; c.Path != "services.yaml" || c.Mine == nil || c.Theirs == nil || !strings.Contains(*c.Mine, "title: Mine") || !strings.Contains(*c.Theirs, "title: Theirs") {
				t.Errorf("the conflict = %+v", c)
			}
			lists(t, f, "Outbox", out)
			locs, err := f.API.ListLocations(ctx)
			must(t, "ListLocations", err)
			if l := locationOf(t, locs, loc.ID); l.Conflicts != 1 {
				t.Errorf("the location counts %d conflicts, want 1", l.Conflicts)
			}

			must(t, "ResolveConflict", f.API.ResolveConflict(ctx, mine.ID, keep))
			_, err = f.API.Sync(ctx, loc.ID)
			must(t, "Sync", err)
			out, err = f.API.Outbox(ctx)
			must(t, "Outbox", err)
			if len(out) != 0 {
				t.Errorf("the outbox once resolved and synced = %+v", out)
			}
			want := map[string]string{"mine": "Mine", "theirs": "Theirs"}[keep]
			if d, err := f.API.GetEntity(ctx, gatewayRef); err != nil || d.Title != want {
				t.Errorf("the gateway once resolved: title %q, %v; want %q", d.Title, err, want)
			}
			if got := gittest.Git(t, remote, "show", "main:services.yaml"); !strings.Contains(got, "title: "+want+"\n") {
				t.Errorf("the remote's file once resolved:\n%s", got)
			}

			wantErr(t, "ResolveConflict of a settled entry", f.API.ResolveConflict(ctx, mine.ID, keep), portal.ErrNotFound)
			wantErr(t, "ResolveConflict keeping both", f.API.ResolveConflict(ctx, mine.ID, "both"), portal.ErrInvalid)
			wantErr(t, "ResolveConflict(\"\")", f.API.ResolveConflict(ctx, "", keep), portal.ErrInvalid)
			for _, id := range append([]string{loc.ID + "/999"}, notFoundIDs...) {
				wantErr(t, fmt.Sprintf("ResolveConflict(%.40q)", id), f.API.ResolveConflict(ctx, id, keep), portal.ErrNotFound)
			}
			pending, err := f.API.WriteFile(ctx, portal.FileWrite{LocationID: loc.ID, Path: "services.yaml", Content: retitled("Later"), Message: "Later"})
			must(t, "WriteFile", err)
			wantErr(t, "ResolveConflict of an entry in no conflict", f.API.ResolveConflict(ctx, pending.ID, keep), portal.ErrInvalid)
		})
	}
}

func testSettings(t *testing.T, s *suite) {
	o := s.shared
	st, err := o.API.Settings(t.Context())
	must(t, "Settings", err)
	want := portal.Settings{SyncIntervalMinutes: 5, Toolkit: []portal.Link{}, TrustedGitHosts: []string{}, UpdateCheck: true}
	if diff := gocmp.Diff(want, st); diff != "" {
		t.Errorf("default settings (-want +got):\n%s", diff)
	}
	lists(t, o.Fixture, "Settings", st)
}

func testUpdateSettings(t *testing.T, s *suite) {
	f := s.fresh(t)
	ctx := t.Context()
	hosts := make([]string, 500)
	for i := range hosts {
		hosts[i] = fmt.Sprintf("img%03d.example.invalid", 499-i)
	}
	links := make([]portal.Link, 30)
	for i := range links {
		links[i] = portal.Link{Title: fmt.Sprintf("Link %d", i), URL: fmt.Sprintf("https://example.invalid/%d?q=a b&c=%%2F", i)}
	}
	links[0] = portal.Link{URL: " https://tools.example.invalid/a "}
	// 500 hosts, one twice in another case: 499 as stored.
	in := portal.Settings{SyncIntervalMinutes: 15, UserRef: "User:Jane.Doe", Toolkit: links, Editor: " code -g ", Terminal: "kitty",
		TrustedGitHosts: []string{" Git.Example.invalid:8443 ", "git.example.invalid:8443"}, DocsImageHosts: append(hosts[:499:499], "IMG001.example.invalid")}
	got, err := f.API.UpdateSettings(ctx, in)
	must(t, "UpdateSettings", err)
	if got.SyncIntervalMinutes != 15 || got.UserRef != "user:default/jane.doe" || got.Editor != "code -g" || got.Terminal != "kitty" ||
		!slices.Equal(got.TrustedGitHosts, []string{"git.example.invalid:8443"}) {
		t.Errorf("settings as stored = %+v", got)
	}
	if len(got.Toolkit) != 30 || got.Toolkit[0] != (portal.Link{Title: "tools.example.invalid", URL: "https://tools.example.invalid/a"}) || got.Toolkit[1].Title != "Link 1" {
		t.Errorf("toolkit as stored = %+v", got.Toolkit)
	}
	if len(got.DocsImageHosts) != 499 || got.DocsImageHosts[0] != "img001.example.invalid" || !slices.IsSorted(got.DocsImageHosts) {
		t.Errorf("docs image hosts as stored: %v; want 499, lower-cased, sorted, each once", got.DocsImageHosts)
	}
	lists(t, f, "UpdateSettings", got)
	read, err := f.API.Settings(ctx)
	must(t, "Settings", err)
	if diff := gocmp.Diff(got, read); diff != "" {
		t.Errorf("Settings after UpdateSettings (-returned +read):\n%s", diff)
	}

	for name, bad := range map[string]func(*portal.Settings){
		"no interval":         func(s *portal.Settings) { s.SyncIntervalMinutes = 0 },
		"over a day":          func(s *portal.Settings) { s.SyncIntervalMinutes = 24*60 + 1 },
		"a group as the user": func(s *portal.Settings) { s.UserRef = "group:team-a" },
		"31 links":            func(s *portal.Settings) { s.Toolkit = append(s.Toolkit, portal.Link{URL: "https://example.invalid"}) },
		"an ftp link":         func(s *portal.Settings) { s.Toolkit = []portal.Link{{URL: "ftp://example.invalid"}} },
		"a two-line editor":   func(s *portal.Settings) { s.Editor = "code\nrm -rf ~" },
		"a long terminal":     func(s *portal.Settings) { s.Terminal = strings.Repeat("x", 501) },
		"501 image hosts":     func(s *portal.Settings) { s.DocsImageHosts = append(hosts, "one.more.invalid") },
		"not a host":          func(s *portal.Settings) { s.DocsImageHosts = []string{"not a host!"} },
		"a trusted URL":       func(s *portal.Settings) { s.TrustedGitHosts = []string{"https://github.com/org"} },
	} {
		s := in
		bad(&s)
		_, err := f.API.UpdateSettings(ctx, s)
		wantErr(t, "UpdateSettings with "+name, err, portal.ErrInvalid)
	}
	after, err := f.API.Settings(ctx)
	must(t, "Settings", err)
	if diff := gocmp.Diff(got, after); diff != "" {
		t.Errorf("refused settings changed them (-before +after):\n%s", diff)
	}
}

func testOpen(t *testing.T, s *suite) {
	o := s.org(t)
	ctx := t.Context()
	// true stands in for the editor and terminal: it opens nothing.
	_, err := o.API.UpdateSettings(ctx, portal.Settings{SyncIntervalMinutes: 5, Editor: "true", Terminal: "true"})
	must(t, "UpdateSettings", err)
	for _, req := range []portal.OpenRequest{
		{Path: filepath.Join(o.repo.Dir, "services.yaml"), With: "editor"},
		{Path: filepath.Join(o.repo.Dir, "services.yaml"), With: "editor", Line: 12, Column: 3},
		{Path: filepath.Join(o.repo.Dir, "docs", filepath.FromSlash(firstSteps)), With: "editor"},
		{Path: o.repo.Dir, With: "terminal"},
	} {
		wantErr(t, fmt.Sprintf("Open(%+v)", req), o.API.Open(ctx, req), nil)
	}
	for _, req := range []portal.OpenRequest{
		{Path: filepath.Join(o.repo.Dir, "services.yaml"), With: "browser"},
		{Path: filepath.Join(o.repo.Dir, "services.yaml")},
		{Path: "services.yaml", With: "editor"},
		{Path: "", With: "editor"},
		{Path: "/etc/passwd", With: "editor"},
		{Path: filepath.Join(o.repo.Dir, "..", "elsewhere"), With: "editor"},
		{Path: filepath.Join(o.repo.Dir, "services.yaml"), With: "editor", Line: -1},
	} {
		wantErr(t, fmt.Sprintf("Open(%+v)", req), o.API.Open(ctx, req), portal.ErrInvalid)
	}
}
