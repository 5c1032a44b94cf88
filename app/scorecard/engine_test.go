package scorecard

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
)

// hashedFiles is a repository whose files' hashes are known, as a git
// tree's are.
type hashedFiles struct{ catalog.MapFiles }

func (h hashedFiles) Hash(name string) string {
	data, ok := h.MapFiles[name]
	if !ok {
		return ""
	}
	sum := sha256.Sum256([]byte(data))
	return hex.EncodeToString(sum[:])
}

// readArchive reads a txtar-like file: "-- name --" lines start files.
func readArchive(t *testing.T, name string) catalog.MapFiles {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	files := catalog.MapFiles{}
	var cur string
	for line := range strings.Lines(string(data)) {
		if n, ok := strings.CutPrefix(strings.TrimSpace(line), "-- "); ok && strings.HasSuffix(n, " --") {
			cur = strings.TrimSuffix(n, " --")
			files[cur] = ""
			continue
		}
		files[cur] += line
	}
	return files
}

func load(t *testing.T, files Files) Catalog {
	t.Helper()
	res := catalog.Process(context.Background(), files.(catalog.Files), catalog.Options{}, "catalog-info.yaml")
	if len(res.Errors) > 0 {
		t.Fatalf("processing: %v", res.Errors)
	}
	c, errs := FromProcessed(&res, files)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return c
}

func TestChecks(t *testing.T) {
	t.Parallel()
	files := hashedFiles{readArchive(t, "testdata/repo.txtar")}
	c := load(t, files)
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for i := range c.Subjects {
		if c.Subjects[i].Entity.Metadata.Name == "good" {
			c.Subjects[i].Facts = map[string]Fact{"git-insights.lastCommitAgeDays": {Value: 10.0, At: at}}
		}
	}
	results, st, err := NewEngine().Run(context.Background(), c.Cards, c.Subjects, c.Exists)
	if err != nil {
		t.Fatal(err)
	}
	if st.Evaluated != len(c.Subjects) || st.Reused != 0 {
		t.Errorf("stats = %+v, want every subject evaluated", st)
	}
	got := map[string]string{}
	levels := map[string]string{}
	for _, r := range results {
		levels[r.Entity] = r.Level
		for _, ck := range r.Checks {
			if ck.Passed {
				got[r.Entity+" "+ck.ID] = "pass"
			} else {
				got[r.Entity+" "+ck.ID] = ck.Message
			}
		}
	}
	want := map[string]string{
		"component:default/good owner-group": "pass", "component:default/good techdocs": "pass",
		"component:default/good lifecycle": "pass", "component:default/good name": "pass",
		"component:default/good tags": "pass", "component:default/good codeowners": "pass",
		"component:default/good runbook": "pass", "component:default/good no-latest": "pass",
		"component:default/good node": "pass", "component:default/good replicas": "pass",
		"component:default/good go": "pass", "component:default/good fresh": "pass",
		"component:default/good all": "pass",

		"component:default/bad-one owner-group": "ownedBy user:default/jo, not a Group in the catalog",
		"component:default/bad-one techdocs":    "metadata.annotations.backstage.io/techdocs-ref is not set",
		"component:default/bad-one lifecycle":   `none of: spec.lifecycle is "deprecated"; metadata.annotations.callboard.dev/replaced-by is not set`,
		"component:default/bad-one name":        `metadata.name is "bad-one", which does not match ^[a-z]+$`,
		"component:default/bad-one tags":        `metadata.tags is ["java"], must be a list containing "go"`,
		"component:default/bad-one codeowners":  "pass",
		"component:default/bad-one runbook":     "bad/README.md does not exist",
		"component:default/bad-one no-latest":   "passes a rule it must not: fileContains Dockerfile",
		"component:default/bad-one node":        `package.json: engines.node is 18, must be in ["20","22"]`,
		// "2" >= 2 in JavaScript, and so in json-rules-engine.
		"component:default/bad-one replicas": "pass",
		"component:default/bad-one go":       "go.mod's go version is 1.21, must be >= 1.22",
		"component:default/bad-one fresh":    "no fact git-insights.lastCommitAgeDays yet (git-insights has not reported it)",
		"component:default/bad-one all":      "has no partOf relation",
	}
	if d := gocmp.Diff(want, got); d != "" {
		t.Errorf("checks (-want +got):\n%s", d)
	}
	if d := gocmp.Diff(map[string]string{"component:default/good": "Gold", "component:default/bad-one": ""}, levels); d != "" {
		t.Errorf("levels (-want +got):\n%s", d)
	}
	for _, r := range results {
		if r.Entity == "component:default/good" && !r.FactsAt.Equal(at) {
			t.Errorf("factsAt = %v, want %v", r.FactsAt, at)
		}
	}
}

func TestLevels(t *testing.T) {
	t.Parallel()
	card := func(levels ...string) string {
		s := "apiVersion: callboard.dev/v1alpha1\nkind: Scorecard\nmetadata: {name: s}\nspec:\n  levels: [Bronze, Silver, Gold]\n  checks:\n"
		for i, l := range levels {
			pass := "exists: true"
			if strings.HasPrefix(l, "!") {
				l, pass = l[1:], "exists: false"
			}
			s += "    - {id: c" + string(rune('a'+i)) + ", level: " + l + ", rule: {field: metadata.name, " + pass + "}}\n"
		}
		return s
	}
	tests := []struct {
		name   string
		checks []string
		want   string
	}{
		{"all pass", []string{"Bronze", "Silver", "Gold"}, "Gold"},
		{"a Bronze check fails", []string{"!Bronze", "Silver", "Gold"}, ""},
		{"a Gold check fails", []string{"Bronze", "Silver", "!Gold"}, "Silver"},
		{"a Silver failure caps a passing Gold", []string{"Bronze", "!Silver", "Gold"}, "Bronze"},
		{"no check at a level passes it", []string{"Bronze", "!Gold"}, "Silver"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := catalog.MapFiles{
				"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: r}\nspec: {targets: [./s.yaml, ./c.yaml]}\n",
				"s.yaml":            card(tt.checks...),
				"c.yaml":            "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: c}\nspec: {type: service, lifecycle: production, owner: x}\n",
			}
			c := load(t, files)
			results, _, err := NewEngine().Run(context.Background(), c.Cards, c.Subjects, c.Exists)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range results {
				if r.Entity == "component:default/c" {
					got = append(got, r.Level)
				}
			}
			if d := gocmp.Diff([]string{tt.want}, got); d != "" {
				t.Errorf("level (-want +got):\n%s", d)
			}
		})
	}
}

func TestIncremental(t *testing.T) {
	t.Parallel()
	base := readArchive(t, "testdata/repo.txtar")
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	run := func(en *Engine, files catalog.MapFiles, facts map[string]Fact) ([]Result, Stats) {
		c := load(t, hashedFiles{files})
		for i := range c.Subjects {
			c.Subjects[i].Facts = facts
		}
		r, st, err := en.Run(context.Background(), c.Cards, c.Subjects, c.Exists)
		if err != nil {
			t.Fatal(err)
		}
		return r, st
	}
	clone := func(change func(catalog.MapFiles)) catalog.MapFiles {
		m := catalog.MapFiles{}
		for k, v := range base {
			m[k] = v
		}
		change(m)
		return m
	}
	facts := map[string]Fact{"git-insights.lastCommitAgeDays": {Value: 10.0, At: at}}
	// Entities: location root, group, user, scorecard (a card), good,
	// shop, bad-one, lib: seven subjects.
	tests := []struct {
		name      string
		files     catalog.MapFiles
		facts     map[string]Fact
		evaluated int
	}{
		{"nothing changed", base, facts, 0},
		{"a file one entity read", clone(func(m catalog.MapFiles) { m["good/README.md"] = "# Good\n" }), facts, 1},
		{"a file nobody read", clone(func(m catalog.MapFiles) { m["good/other.txt"] = "x" }), facts, 0},
		{"one entity's document", clone(func(m catalog.MapFiles) {
			m["lib/catalog-info.yaml"] = strings.Replace(m["lib/catalog-info.yaml"], "library", "service", 1)
		}), facts, 1},
		{"a fact's time", base, map[string]Fact{"git-insights.lastCommitAgeDays": {Value: 10.0, At: at.Add(time.Hour)}}, 2},
		{"a relation's target disappears", clone(func(m catalog.MapFiles) {
			m["org.yaml"] = strings.Split(m["org.yaml"], "---\n")[0]
		}), facts, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			en := NewEngine()
			run(en, base, facts)
			// An engine of a later process, given what this one saved.
			put, gone, err := en.Unsaved()
			if err != nil || len(put) != 7 || len(gone) != 0 {
				t.Fatalf("unsaved after a cold run: %d entries, gone %v, err %v", len(put), gone, err)
			}
			restored := NewEngine()
			for ref, data := range put {
				if err := restored.Restore(ref, data); err != nil {
					t.Fatal(err)
				}
			}
			fresh, _ := run(NewEngine(), tt.files, tt.facts)
			for _, e := range []struct {
				name string
				en   *Engine
			}{{"in memory", en}, {"restored", restored}} {
				again, st := run(e.en, tt.files, tt.facts)
				if st.Evaluated != tt.evaluated {
					t.Errorf("%s: evaluated %d subjects, want %d (%+v)", e.name, st.Evaluated, tt.evaluated, st)
				}
				if d := gocmp.Diff(fresh, again); d != "" {
					t.Errorf("%s: incremental results differ from a fresh run (-fresh +incremental):\n%s", e.name, d)
				}
				put, _, err := e.en.Unsaved()
				if err != nil || len(put) != tt.evaluated {
					t.Errorf("%s: %d entries unsaved after the run, want %d (err %v)", e.name, len(put), tt.evaluated, err)
				}
			}
		})
	}
}

func TestFileBounds(t *testing.T) {
	t.Parallel()
	s := &Subject{Entity: &catalog.Entity{Raw: map[string]any{}}, Dir: "a", Files: catalog.MapFiles{"a/big": strings.Repeat("x", MaxFileBytes+1)}}
	ev := newEvaluation(s, nil, newFileCache(nil))
	if _, err := ev.file("big"); err == nil || !strings.Contains(err.Error(), "larger than 1024 KiB") {
		t.Errorf("an oversized file: err = %v", err)
	}
	if _, err := ev.file("gone"); err == nil || strings.Contains(err.Error(), fs.ErrNotExist.Error()) {
		t.Errorf("a missing file: err = %v, want a plain sentence", err)
	}
}

// Update evaluates only the subjects given, keeps the rest, and gives
// the results a full Run over the same inputs would; it gives way to Run
// when what every subject's results depend on changed.
func TestUpdate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	facts := map[string]Fact{"git-insights.lastCommitAgeDays": {Value: 10.0, At: at}}
	newer := map[string]Fact{"git-insights.lastCommitAgeDays": {Value: 500.0, At: at.Add(time.Hour)}}
	subjects := func() Catalog {
		c := load(t, hashedFiles{readArchive(t, "testdata/repo.txtar")})
		for i := range c.Subjects {
			c.Subjects[i].Facts = facts
		}
		return c
	}
	c := subjects()
	en := NewEngine()
	first, _, err := en.Run(ctx, c.Cards, c.Subjects, c.Exists)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := en.Unsaved(); err != nil {
		t.Fatal(err)
	}
	// The subject whose facts change: one whose checks read them.
	i := slices.IndexFunc(c.Subjects, func(s Subject) bool {
		return slices.ContainsFunc(first, func(r Result) bool { return r.Entity == s.Entity.Ref().String() && !r.FactsAt.IsZero() })
	})
	if i < 0 {
		t.Fatal("no subject reads a fact")
	}
	changed := c.Subjects[i]
	changed.Facts = newer
	gone := c.Subjects[0]
	gone.Entity = &catalog.Entity{Kind: "Component", Metadata: catalog.Metadata{Name: "not-in-the-last-run", Namespace: "default"}}

	got, st, ok, err := en.Update(ctx, c.Cards, []Subject{changed, gone}, c.Exists)
	if err != nil || !ok {
		t.Fatalf("update: ok %v, err %v", ok, err)
	}
	if st.Evaluated != 1 || st.Reused != len(c.Subjects)-1 {
		t.Errorf("update: %+v, want 1 evaluated and %d reused", st, len(c.Subjects)-1)
	}
	want := subjects()
	want.Subjects[i].Facts = newer
	fresh, _, err := NewEngine().Run(ctx, want.Cards, want.Subjects, want.Exists)
	if err != nil {
		t.Fatal(err)
	}
	if d := gocmp.Diff(fresh, got); d != "" {
		t.Errorf("update differs from a fresh run (-fresh +update):\n%s", d)
	}
	if d := gocmp.Diff(first, got); d == "" {
		t.Error("the update changed no result")
	}
	put, _, err := en.Unsaved()
	if err != nil || len(put) != 1 || put[changed.Entity.Ref().String()] == nil {
		t.Errorf("unsaved after the update: %d entries, err %v; want %s's", len(put), err, changed.Entity.Ref())
	}
	// The same facts again: nothing to evaluate.
	if _, st, ok, _ := en.Update(ctx, c.Cards, []Subject{changed}, c.Exists); !ok || st.Evaluated != 0 {
		t.Errorf("the same facts again: ok %v, %+v", ok, st)
	}

	// Other scorecards need a Run, as does an engine that never ran.
	if _, _, ok, _ := en.Update(ctx, c.Cards[:0], []Subject{changed}, c.Exists); ok {
		t.Error("other scorecards: want Run")
	}
	if _, _, ok, _ := NewEngine().Update(ctx, c.Cards, []Subject{changed}, c.Exists); ok {
		t.Error("an engine that never ran: want Run")
	}
}

// Facts newly provided change only the results that read a fact no
// plugin had reported: Stale lists them, an Update of those gives what a
// fresh Run would, and the others are kept.
func TestStaleForProvidedFacts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := load(t, hashedFiles{readArchive(t, "testdata/repo.txtar")})
	en := NewEngine()
	if _, _, err := en.Run(ctx, c.Cards, c.Subjects, c.Exists); err != nil {
		t.Fatal(err)
	}
	if stale := en.Stale(); stale != nil {
		t.Fatalf("stale before any change: %v", stale)
	}
	for _, provided := range [][]string{{"git-insights.lastCommitAgeDays"}, {"other.fact"}} {
		en.SetProvided(provided)
		stale := en.Stale()
		if len(stale) == 0 || len(stale) == len(c.Subjects) {
			t.Fatalf("provided %v: stale %v, want those reading the fact alone", provided, stale)
		}
		var subjects []Subject
		for _, s := range c.Subjects {
			if slices.Contains(stale, s.Entity.Ref().String()) {
				subjects = append(subjects, s)
			}
		}
		got, st, ok, err := en.Update(ctx, c.Cards, subjects, c.Exists)
		if err != nil || !ok || st.Evaluated != len(stale) {
			t.Fatalf("provided %v: update ok %v, %+v, err %v; want %d evaluated", provided, ok, st, err, len(stale))
		}
		fresh := NewEngine()
		fresh.SetProvided(provided)
		want, _, err := fresh.Run(ctx, c.Cards, c.Subjects, c.Exists)
		if err != nil {
			t.Fatal(err)
		}
		if d := gocmp.Diff(want, got); d != "" {
			t.Errorf("provided %v: update differs from a fresh run (-fresh +update):\n%s", provided, d)
		}
		if again := en.Stale(); again != nil {
			t.Errorf("provided %v: still stale after the update: %v", provided, again)
		}
	}
}
