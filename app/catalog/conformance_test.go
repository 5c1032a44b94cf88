package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/internal/jsonl"
)

// The conformance test runs Backstage's own catalog processing (see
// conformance/oracle) and Process over the same files and compares, per
// root file: the entities accepted, whether anything was rejected, and the
// relations. `make conformance` installs the oracle and sets
// CALLBOARD_ORACLE to its folder. Backstage's answers are recorded in
// testdata/oracle: without the oracle the test compares Process with the
// recording; with it, it also fails where the recording is stale, and
// -update (`make conformance UPDATE=1`) rewrites the recording.

var update = flag.Bool("update", false, "record Backstage's answers in testdata/oracle (needs CALLBOARD_ORACLE)")

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
	Accepted  []string `json:"accepted,omitempty"` // refs, Location entities left out (see below)
	Rejected  bool     `json:"rejected"`           // anything at all went wrong
	Relations []string `json:"relations,omitempty"`
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
	return yamlFiles(t, dir, []string{"skeleton", "more", "served"}, func(p, name string) (bool, error) {
		return name != "mkdocs.yml" && !strings.Contains(p, "placeholders/") || strings.HasSuffix(p, "placeholders/entities.yaml"), nil
	})
}

// backstageAPIVersion finds a catalog entity's apiVersion line, so that
// catalogFiles leaves out the OpenAPI, mkdocs and other YAML files beside
// the entity files that placeholders and Locations read.
var backstageAPIVersion = regexp.MustCompile(`(?m)^\s*(- )?["']?apiVersion["']?\s*:\s*["']?[\w.-]*backstage\.io/`)

// catalogFiles lists the YAML files under dir, a folder of real
// repositories, that hold Backstage entities or are named catalog-info
// (whatever they hold), relative to dir.
func catalogFiles(t *testing.T, dir string) []string {
	t.Helper()
	out := yamlFiles(t, dir, []string{".git"}, func(p, name string) (bool, error) {
		data, err := os.ReadFile(p)
		return err == nil && (backstageAPIVersion.Match(data) || strings.HasPrefix(name, "catalog-info.")), err
	})
	if len(out) == 0 {
		t.Fatalf("no file under %s holds a Backstage entity (an apiVersion of backstage.io)", dir)
	}
	return out
}

// yamlFiles lists, relative to dir and with forward slashes, the .yaml
// and .yml files under dir that keep takes (given the path and the file
// name), leaving out the folders named in skip.
func yamlFiles(t *testing.T, dir string, skip []string, keep func(p, name string) (bool, error)) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if slices.Contains(skip, d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(p); ext != ".yaml" && ext != ".yml" {
			return nil
		}
		ok, err := keep(p, d.Name())
		if ok {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// recorded is Backstage's answer for one root file as testdata/oracle keeps
// it: the root (relative to its suite's folder, so a corpus case is keyed by
// its corpus path), the first 16 hex digits of the root file's SHA-256 (an
// edited input needs a new answer) and the outcome.
type recorded struct {
	Root  string `json:"root"`
	Input string `json:"input"`
	outcome
}

const refresh = "refresh it with `make conformance UPDATE=1`"

func inputHash(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(data))[:16]
}

// loadRecording reads a recording: one JSON object a line, by root.
func loadRecording(t *testing.T, file string) map[string]recorded {
	t.Helper()
	lines, err := jsonl.Read[recorded](file)
	if err != nil {
		t.Fatalf("%v; %s", err, refresh)
	}
	recs := map[string]recorded{}
	for _, r := range lines {
		recs[r.Root] = r
	}
	return recs
}

func writeRecording(t *testing.T, file string, recs []recorded) {
	t.Helper()
	slices.SortFunc(recs, func(a, b recorded) int { return strings.Compare(a.Root, b.Root) })
	if err := jsonl.Write(file, recs); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded Backstage's answers for %d files in %s", len(recs), file)
}

// backstageAnswers returns Backstage's outcome for every root under dir.
// With the oracle (modules set) it asks Backstage, then checks that the
// recording says the same, or rewrites it with -update; without, it reads
// the recording, which must hold an answer for each root as it is now. An
// empty recording name means there is none to check or read.
func backstageAnswers(t *testing.T, modules, dir string, roots []string, recording string) (map[string]outcome, map[string]string) {
	t.Helper()
	hashes := map[string]string{}
	for _, root := range roots {
		hashes[root] = inputHash(t, filepath.Join(dir, root))
	}
	answers, said := map[string]outcome{}, map[string]string{}
	if modules != "" {
		live := runOracle(t, modules, dir, roots)
		for _, root := range roots {
			res, ok := live[root]
			if !ok {
				t.Fatalf("oracle has no result for %s", root)
			}
			answers[root] = oracleOutcome(res)
			raw, _ := json.MarshalIndent(res, "", "  ")
			said[root] = "Backstage said: " + string(raw)
		}
		if recording == "" {
			return answers, said
		}
		if *update {
			var recs []recorded
			for _, root := range roots {
				recs = append(recs, recorded{root, hashes[root], answers[root]})
			}
			writeRecording(t, recording, recs)
			return answers, said
		}
	}
	if recording == "" {
		t.Fatal("no oracle and no recording to compare with")
	}
	// The shared corpus lives outside the repository and may gain files
	// before anyone refreshes its recording: there a missing, stale or gone
	// answer is logged, not a failure, and a file with no answer is left out
	// unless the oracle answered it.
	report := t.Errorf
	if recording == recordedCorpus {
		report = t.Logf
	}
	recs := loadRecording(t, recording)
	for _, root := range roots {
		r, ok := recs[root]
		switch {
		case !ok:
			report("%s: %s has no answer for it; %s", root, recording, refresh)
		case r.Input != hashes[root]:
			report("%s changed since %s recorded Backstage's answer; %s", root, recording, refresh)
		case modules != "":
			if diff := cmp.Diff(r.outcome, answers[root]); diff != "" {
				report("%s: %s is stale, Backstage answers differently now (-recorded +backstage):\n%s\n%s", root, recording, diff, refresh)
			}
		default:
			answers[root] = r.outcome
			said[root] = "(Backstage's answer recorded in " + recording + ")"
		}
		delete(recs, root)
	}
	for root := range recs {
		report("%s: %s has an answer for a file that is gone; %s", root, recording, refresh)
	}
	return answers, said
}

// compareWithBackstage compares Process with Backstage's answers (see
// backstageAnswers) and returns how many roots disagree.
func compareWithBackstage(t *testing.T, modules, dir string, roots []string, recording string) int {
	t.Helper()
	want, said := backstageAnswers(t, modules, dir, roots, recording)
	files, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer files.Close()
	disagreements := 0
	for _, root := range roots {
		w, ok := want[root]
		if !ok {
			continue // reported by backstageAnswers
		}
		got := ourOutcome(Process(context.Background(), files, Options{Remote: oracleServer{dir}}, root))
		if diff := cmp.Diff(w, got); diff != "" {
			disagreements++
			content, _ := os.ReadFile(filepath.Join(dir, root))
			t.Errorf("%s: Callboard disagrees with Backstage (-backstage +callboard):\n%s\n%s\nfile:\n%s", root, diff, said[root], content)
		}
	}
	return disagreements
}

// oracleServer reads URL placeholders as the oracle's reader serves them:
// files of the repository at its base URL and main branch, which Process
// reads itself, and files of another server from remote/served.
type oracleServer struct{ dir string }

func (o oracleServer) ReadRemote(_ context.Context, url string) (RemoteFile, error) {
	if rest, ok := strings.CutPrefix(url, "https://git.callboard.invalid/org/repo/blob/main/"); ok {
		return RemoteFile{Path: rest}, nil
	}
	rest, ok := strings.CutPrefix(url, "https://specs.callboard.invalid/")
	if !ok || !fs.ValidPath(rest) {
		return RemoteFile{}, fmt.Errorf("not served: %s", url)
	}
	data, err := os.ReadFile(filepath.Join(o.dir, "remote", "served", filepath.FromSlash(rest)))
	if err != nil {
		return RemoteFile{}, fmt.Errorf("the server answered 404 Not Found")
	}
	return RemoteFile{Data: data}, nil
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

// The recordings of Backstage's answers, one per suite.
const (
	recordedHandwritten = "testdata/oracle/handwritten.jsonl"
	recordedCorpus      = "testdata/oracle/corpus.jsonl"
	recordedGenerated   = "testdata/oracle/generated.jsonl" // seed 1, 600 files
	recordedEmptyFields = "testdata/oracle/empty-fields.jsonl"
)

func TestConformance(t *testing.T) {
	modules := os.Getenv("CALLBOARD_ORACLE")
	if modules == "" {
		if *update {
			t.Fatal("-update records the oracle's answers: run `make conformance UPDATE=1`, which installs it")
		}
		t.Log("CALLBOARD_ORACLE is not set: comparing with Backstage's answers recorded in testdata/oracle (`make conformance` asks Backstage itself)")
	}
	t.Run("handwritten", func(t *testing.T) {
		dir := "testdata/conformance"
		compareWithBackstage(t, modules, dir, entityFiles(t, dir), recordedHandwritten)
	})
	t.Run("shared corpus", func(t *testing.T) {
		dir := "../../../shared/corpus"
		if _, err := os.Stat(dir); err != nil {
			t.Skipf("no shared corpus at %s: its cases recorded in %s are not checked", dir, recordedCorpus)
		}
		compareWithBackstage(t, modules, dir, entityFiles(t, dir), recordedCorpus)
	})
	t.Run("empty fields", func(t *testing.T) {
		dir := t.TempDir()
		compareWithBackstage(t, modules, dir, writeEmptyFields(t, dir), recordedEmptyFields)
	})
	// CALLBOARD_CONFORMANCE_DIR compares every entity file of a folder of
	// real files with Backstage, live and unrecorded; unset, the subtest
	// does not exist, so `make test` never sees it skip.
	if dir := os.Getenv("CALLBOARD_CONFORMANCE_DIR"); dir != "" {
		t.Run("dir", func(t *testing.T) {
			if modules == "" {
				t.Fatal("CALLBOARD_CONFORMANCE_DIR compares with Backstage live: run it through `make conformance`, which installs the oracle")
			}
			roots := catalogFiles(t, dir)
			n := compareWithBackstage(t, modules, dir, roots, "")
			t.Logf("%d of %d files under %s disagree with Backstage", n, len(roots), dir)
		})
	}
	t.Run("generated", func(t *testing.T) {
		// CALLBOARD_CONFORMANCE_SEED and _N explore beyond the fixed corpus;
		// the recording holds the answers for the default seed and count.
		seed, n := envInt("CALLBOARD_CONFORMANCE_SEED", 1), envInt("CALLBOARD_CONFORMANCE_N", 600)
		recording := recordedGenerated
		if seed != 1 || n != 600 {
			switch {
			case modules == "":
				t.Skipf("CALLBOARD_CONFORMANCE_SEED=%d and _N=%d are not the recorded 1 and 600, and without CALLBOARD_ORACLE there is nothing to compare with", seed, n)
			case *update:
				t.Fatal("-update records the default seed and count only: unset CALLBOARD_CONFORMANCE_SEED and _N")
			}
			recording = ""
		}
		dir := t.TempDir()
		roots := writeMutations(t, dir, uint64(seed), n)
		if n := compareWithBackstage(t, modules, dir, roots, recording); n > 0 {
			t.Logf("%d of %d generated files disagree; add each as a handwritten case once understood", n, len(roots))
		}
	})
}
