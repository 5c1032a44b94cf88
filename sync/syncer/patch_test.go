package syncer

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gittest"
)

// patchModel is a catalog a random walk edits: files of components that
// depend on each other, a root Location reading svc/*.yaml and extra.yaml,
// a Location (extra.yaml) listing files of extra/, and an API whose
// definition a placeholder reads.
type patchModel struct {
	rnd   *rand.Rand
	files map[string][]string // svc/ and extra/ files → the names of their components
	extra []string            // the files extra.yaml lists
	desc  map[string]string   // component → its description
	deps  map[string]string   // component → the component it depends on
	n     int
}

func (m *patchModel) component(name string) string {
	dep := ""
	if d := m.deps[name]; d != "" {
		dep = "component:" + d
	}
	return fmt.Sprintf("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: %s, description: %q}\nspec: {type: service, lifecycle: production, owner: team, dependsOn: [%s]}\n", name, m.desc[name], dep)
}

func (m *patchModel) render(file string) []byte {
	var b strings.Builder
	for i, c := range m.files[file] {
		if i > 0 {
			b.WriteString("---\n")
		}
		b.WriteString(m.component(c))
	}
	return []byte(b.String())
}

func (m *patchModel) extraFile() []byte {
	var b strings.Builder
	b.WriteString("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: extra}\nspec:\n  targets: [")
	for i, f := range m.extra {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("./" + f)
	}
	b.WriteString("]\n")
	return []byte(b.String())
}

func (m *patchModel) newName() string {
	m.n++
	return fmt.Sprintf("c%d", m.n)
}

func (m *patchModel) anyOf(files []string) string { return files[m.rnd.IntN(len(files))] }

func (m *patchModel) fileNames() []string {
	var out []string
	for f := range m.files {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

func (m *patchModel) components() []string {
	var out []string
	for _, f := range m.fileNames() {
		out = append(out, m.files[f]...)
	}
	return out
}

// step makes one random edit and returns the files it writes (nil
// deletes) and what it did.
func (m *patchModel) step() (map[string][]byte, string) {
	out := map[string][]byte{}
	files := m.fileNames()
	switch r := m.rnd.IntN(12); {
	case r < 4: // edit a component: the common change
		f := m.anyOf(files)
		if len(m.files[f]) == 0 {
			return out, "nothing"
		}
		c := m.files[f][m.rnd.IntN(len(m.files[f]))]
		m.desc[c] = fmt.Sprintf("edit %d", m.rnd.IntN(1000))
		if m.rnd.IntN(2) == 0 {
			all := m.components()
			m.deps[c] = all[m.rnd.IntN(len(all))]
		}
		out[f] = m.render(f)
		return out, "edit " + c + " in " + f
	case r < 5: // move a component to another file
		from, to := m.anyOf(files), m.anyOf(files)
		if from == to || len(m.files[from]) == 0 {
			return out, "nothing"
		}
		c := m.files[from][0]
		m.files[from] = m.files[from][1:]
		m.files[to] = append(m.files[to], c)
		out[from], out[to] = m.render(from), m.render(to)
		return out, "move " + c + " from " + from + " to " + to
	case r < 6: // a new file
		f := fmt.Sprintf("svc/%03d.yaml", m.rnd.IntN(100))
		if _, ok := m.files[f]; ok {
			return out, "nothing"
		}
		c := m.newName()
		m.desc[c] = "new"
		m.files[f] = []string{c}
		out[f] = m.render(f)
		return out, "add " + f
	case r < 7: // a file removed
		f := m.anyOf(files)
		delete(m.files, f)
		if i := slices.Index(m.extra, f); i >= 0 {
			m.extra = slices.Delete(m.extra, i, i+1)
			out["extra.yaml"] = m.extraFile()
		}
		out[f] = nil
		return out, "remove " + f
	case r < 8: // a file broken, to be fixed by its next edit
		f := m.anyOf(files)
		if m.rnd.IntN(2) == 0 {
			out[f] = []byte("apiVersion: backstage.io/v1alpha1\nkind: [\n")
		} else {
			out[f] = []byte(strings.Replace(string(m.render(f)), "lifecycle: production, ", "", 1))
		}
		return out, "break " + f
	case r < 9: // the same entity defined in a second file
		f, g := m.anyOf(files), m.anyOf(files)
		if f == g || len(m.files[f]) == 0 {
			return out, "nothing"
		}
		out[g] = append(m.render(g), []byte("---\n"+m.component(m.files[f][0]))...)
		return out, "duplicate " + m.files[f][0] + " into " + g
	case r < 10: // a Location target added or removed
		if len(m.extra) > 0 && m.rnd.IntN(2) == 0 {
			f := m.extra[0]
			m.extra = m.extra[1:]
			delete(m.files, f)
			out["extra.yaml"], out[f] = m.extraFile(), nil
			return out, "unlist " + f
		}
		f := fmt.Sprintf("extra/%03d.yaml", m.rnd.IntN(100))
		if _, ok := m.files[f]; ok {
			return out, "nothing"
		}
		c := m.newName()
		m.desc[c] = "listed"
		m.files[f] = []string{c}
		m.extra = append(m.extra, f)
		out["extra.yaml"], out[f] = m.extraFile(), m.render(f)
		return out, "list " + f
	case r < 11: // the placeholder's file
		out["openapi.txt"] = fmt.Appendf(nil, "openapi: 3.0.%d\n", m.rnd.IntN(1000))
		return out, "edit openapi.txt"
	default: // an unlisted file
		out["README.md"] = fmt.Appendf(nil, "readme %d\n", m.rnd.IntN(1000))
		return out, "edit README.md"
	}
}

func newPatchModel(rnd *rand.Rand) (*patchModel, map[string][]byte) {
	m := &patchModel{rnd: rnd, files: map[string][]string{}, desc: map[string]string{}, deps: map[string]string{}}
	out := map[string][]byte{
		"catalog-info.yaml": []byte("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec: {targets: [./svc/*.yaml, ./extra.yaml, ./api.yaml]}\n"),
		"api.yaml":          []byte("apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: api}\nspec: {type: openapi, lifecycle: production, owner: team, definition: {$text: ./openapi.txt}}\n"),
		"openapi.txt":       []byte("openapi: 3.0.0\n"),
	}
	for i := range 8 {
		f := fmt.Sprintf("svc/%03d.yaml", i)
		for range 1 + rnd.IntN(3) {
			c := m.newName()
			m.desc[c] = "first"
			m.files[f] = append(m.files[f], c)
		}
	}
	all := m.components()
	for _, c := range all {
		if rnd.IntN(2) == 0 {
			m.deps[c] = all[rnd.IntN(len(all))]
		}
	}
	for _, f := range m.fileNames() {
		out[f] = m.render(f)
	}
	out["extra.yaml"] = m.extraFile()
	return m, out
}

// Random edits synced one commit at a time, incrementally (patching what
// changed, in a process that sometimes starts again) and by reading the
// whole set each time, from the same history, give the same store: every
// entity, relation, error and file state. The clone's tree index stays
// the stored commit's through the patches.
func TestPatchMatchesTheWholeSet(t *testing.T) {
	t.Parallel()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("CALLBOARD_PATCH_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("edits from seed %d (CALLBOARD_PATCH_SEED replays them)", seed)
	ctx := context.Background()
	rnd := rand.New(rand.NewPCG(seed, 1))
	repo := gittest.New(t)
	m, files := newPatchModel(rnd)
	repo.Commit("base", files)

	dir := t.TempDir()
	db, s := openDataDir(t, dir)
	if err := db.PutLocation(ctx, store.Location{ID: "loc", URL: repo.Dir, Path: "catalog-info.yaml"}); err != nil {
		t.Fatal(err)
	}
	whole, wdb, _ := setup(t, repo.Dir)
	whole.wholeSet = true
	patched := 0
	for i := range 60 {
		if i > 0 {
			change, what := m.step()
			repo.Commit(what, change)
			t.Logf("step %d: %s", i, what)
		}
		if rnd.IntN(4) == 0 {
			db.Close()
			db, s = openDataDir(t, dir)
		}
		if err := s.Sync(ctx, "loc"); err != nil {
			t.Fatalf("step %d: incremental sync: %v", i, err)
		}
		checkTreeIndex(t, s, db, "loc", fmt.Sprintf("step %d", i))
		if err := whole.Sync(ctx, "loc"); err != nil {
			t.Fatalf("step %d: whole sync: %v", i, err)
		}
		if v, ok := s.runs.Load("loc"); ok && v.(runStats).reused == 0 && i > 0 {
			patched++
		}
		if diff := cmp.Diff(dump(t, wdb), dump(t, db)); diff != "" {
			t.Fatalf("step %d: the patched store differs (-whole +patched):\n%s", i, diff)
		}
	}
	db.Close()
	if patched == 0 {
		t.Error("no step was patched")
	}
	t.Logf("%d of 59 steps patched", patched)
}
