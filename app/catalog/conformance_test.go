package catalog

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The conformance test runs Backstage's own catalog processing (see
// conformance/oracle) and Process over the same files and compares, per
// root file: the entities accepted, whether anything was rejected, and the
// relations. `make conformance` installs the oracle and sets
// CALLBOARD_ORACLE to its folder; without it the test is skipped.

type oracleVerdict struct {
	Ref       string   `json:"ref"`
	File      string   `json:"file"`
	OK        bool     `json:"ok"`
	Errors    []string `json:"errors"`
	Relations []string `json:"relations"`
}

type oracleResult struct {
	Root     string          `json:"root"`
	Entities []oracleVerdict `json:"entities"`
	Errors   []struct {
		From    string `json:"from"`
		Message string `json:"message"`
	} `json:"errors"`
}

// outcome is what the comparison looks at for one root file.
type outcome struct {
	Accepted  []string // refs, Location entities left out (see below)
	Rejected  bool     // anything at all went wrong
	Relations []string
}

func runOracle(t *testing.T, modules, root string, files []string) map[string]oracleResult {
	t.Helper()
	script, err := filepath.Abs("../../conformance/oracle/oracle.cjs")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", append([]string{script, modules, root}, files...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v\n%s", err, stderr.String())
	}
	var parsed struct{ Results []oracleResult }
	if err := json.Unmarshal(out, &parsed); err != nil {
		t.Fatalf("oracle output: %v", err)
	}
	byRoot := map[string]oracleResult{}
	for _, r := range parsed.Results {
		byRoot[r.Root] = r
	}
	return byRoot
}

// Location entities are compared through the entities they lead to, not
// their own verdict: Backstage fails a Location for any error in the files
// it reads, while Callboard reports those errors on the files and keeps
// the Location (and every good entity it reaches).
func isLocation(ref string) bool { return strings.HasPrefix(ref, "location:") }

func oracleOutcome(r oracleResult) outcome {
	var o outcome
	o.Rejected = len(r.Errors) > 0
	rels := map[string]bool{}
	for _, e := range r.Entities {
		if !e.OK {
			o.Rejected = true
			continue
		}
		if !isLocation(e.Ref) {
			o.Accepted = append(o.Accepted, e.Ref)
		}
		for _, rel := range e.Relations {
			rels[rel] = true
		}
	}
	for rel := range rels {
		o.Relations = append(o.Relations, rel)
	}
	slices.Sort(o.Accepted)
	slices.Sort(o.Relations)
	return o
}

func ourOutcome(res Result) outcome {
	var o outcome
	o.Rejected = len(res.Errors) > 0
	for _, p := range res.Entities {
		if ref := p.Entity.Ref().String(); !isLocation(ref) {
			o.Accepted = append(o.Accepted, ref)
		}
	}
	rels := map[string]bool{}
	for _, e := range res.Edges {
		rels[e.String()] = true
	}
	for rel := range rels {
		o.Relations = append(o.Relations, rel)
	}
	slices.Sort(o.Accepted)
	slices.Sort(o.Relations)
	return o
}

// entityFiles lists the YAML files under dir that hold entities: all but
// mkdocs.yml and template skeletons.
func entityFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "skeleton" || d.Name() == "more") {
			return fs.SkipDir
		}
		ext := filepath.Ext(p)
		if !d.IsDir() && (ext == ".yaml" || ext == ".yml") && d.Name() != "mkdocs.yml" &&
			!strings.Contains(p, "placeholders/") || strings.HasSuffix(p, "placeholders/entities.yaml") {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func compareWithOracle(t *testing.T, modules, dir string, roots []string) int {
	t.Helper()
	want := runOracle(t, modules, dir, roots)
	files, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer files.Close()
	disagreements := 0
	for _, root := range roots {
		got := ourOutcome(Process(context.Background(), files, Options{}, root))
		res, ok := want[root]
		if !ok {
			t.Fatalf("oracle has no result for %s", root)
		}
		if diff := cmp.Diff(oracleOutcome(res), got); diff != "" {
			disagreements++
			raw, _ := json.MarshalIndent(res, "", "  ")
			content, _ := os.ReadFile(filepath.Join(dir, root))
			t.Errorf("%s: Callboard disagrees with Backstage (-backstage +callboard):\n%s\nBackstage said: %s\nfile:\n%s", root, diff, raw, content)
		}
	}
	return disagreements
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

func TestConformance(t *testing.T) {
	modules := os.Getenv("CALLBOARD_ORACLE")
	if modules == "" {
		t.Skip("CALLBOARD_ORACLE is not set; `make conformance` installs Backstage's catalog and runs this test against it")
	}
	t.Run("handwritten", func(t *testing.T) {
		compareWithOracle(t, modules, "testdata/conformance", entityFiles(t, "testdata/conformance"))
	})
	t.Run("shared corpus", func(t *testing.T) {
		dir := "../../../shared/corpus"
		if _, err := os.Stat(dir); err != nil {
			t.Skipf("no shared corpus at %s", dir)
		}
		compareWithOracle(t, modules, dir, entityFiles(t, dir))
	})
	t.Run("generated", func(t *testing.T) {
		// CALLBOARD_CONFORMANCE_SEED and _N explore beyond the fixed corpus.
		seed, n := envInt("CALLBOARD_CONFORMANCE_SEED", 1), envInt("CALLBOARD_CONFORMANCE_N", 600)
		dir := t.TempDir()
		roots := writeMutations(t, dir, uint64(seed), n)
		if n := compareWithOracle(t, modules, dir, roots); n > 0 {
			t.Logf("%d of %d generated files disagree; add each as a handwritten case once understood", n, len(roots))
		}
	})
}
