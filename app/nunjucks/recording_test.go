package nunjucks

import (
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/callboard/callboard/internal/jsonl"
)

// nunjitsu's answers are recorded in testdata/oracle, one JSON line per
// case, so the differential tests compare this package with them where the
// oracle is not installed. With the oracle a recording that disagrees with
// nunjitsu's live answer fails the test, and -update
// (`make conformance-nunjucks UPDATE=1`) rewrites it.

var update = flag.Bool("update", false, "record nunjitsu's answers in testdata/oracle (needs CALLBOARD_NUNJUCKS_ORACLE)")

// The recordings, one per test.
const (
	recordedCases  = "testdata/oracle/nunjitsu.jsonl"
	recordedCorpus = "testdata/oracle/nunjitsu-corpus.jsonl"
)

const refresh = "refresh it with `make conformance-nunjucks UPDATE=1`"

// longOutput is the size above which an answer keeps the output's SHA-256
// instead of the output, to keep recordings small.
const longOutput = 512

// answer is one case's result as a recording keeps it: the case's name for
// the reader, a key naming what the oracle was asked (template, data,
// options, mode) and the result, long outputs as their hash.
type answer struct {
	Case       string  `json:"case"`
	Key        string  `json:"key"`
	Output     *string `json:"output,omitempty"`
	OutputHash string  `json:"outputSha256,omitempty"`
	Value      *string `json:"value,omitempty"`
	ValueHash  string  `json:"valueSha256,omitempty"`
	Undefined  bool    `json:"undefined,omitempty"`
	Error      string  `json:"error,omitempty"`
}

func caseKey(c oracleCase) string {
	c.Engine = ""
	b, err := json.Marshal(c)
	if err != nil {
		panic(err) // test data is plain JSON
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))[:16]
}

func shorten(s *string) (*string, string) {
	if s == nil || len(*s) <= longOutput {
		return s, ""
	}
	return nil, fmt.Sprintf("%x", sha256.Sum256([]byte(*s)))
}

// recordAs is r as a recording keeps it for nc.
func recordAs(nc namedCase, r result) answer {
	a := answer{Case: nc.name, Key: caseKey(nc.c), Undefined: r.Undefined, Error: r.Error}
	a.Output, a.OutputHash = shorten(r.Output)
	a.Value, a.ValueHash = shorten(r.Value)
	return a
}

// agrees compares answers as result.agrees compares results.
func (a answer) agrees(o answer) bool {
	if (a.Error != "") != (o.Error != "") {
		return false
	}
	if a.Error != "" {
		return true
	}
	return a.Undefined == o.Undefined && eqPtr(a.Output, o.Output) && eqPtr(a.Value, o.Value) &&
		a.OutputHash == o.OutputHash && a.ValueHash == o.ValueHash
}

func (a answer) String() string {
	switch {
	case a.OutputHash != "":
		return "output with SHA-256 " + a.OutputHash
	case a.ValueHash != "":
		return "value with SHA-256 " + a.ValueHash
	}
	return result{Output: a.Output, Value: a.Value, Undefined: a.Undefined, Error: a.Error}.String()
}

func loadAnswers(t *testing.T, file string) map[string]answer {
	t.Helper()
	lines, err := jsonl.Read[answer](file)
	if err != nil {
		t.Fatalf("%v; %s", err, refresh)
	}
	answers := map[string]answer{}
	for _, a := range lines {
		answers[a.Key] = a
	}
	return answers
}

func writeAnswers(t *testing.T, file string, answers []answer) {
	t.Helper()
	seen := map[string]bool{}
	var once []answer
	for _, a := range answers {
		if !seen[a.Key] {
			seen[a.Key] = true
			once = append(once, a)
		}
	}
	if err := jsonl.Write(file, once); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded nunjitsu's answers for %d cases in %s", len(seen), file)
}

// nunjitsuAnswers returns nunjitsu's answer for every case, nil where there
// is none (reported as an error). With live results (the oracle ran) it
// checks the recording against them, or rewrites it with -update; without,
// it reads the recording.
//
// The shared corpus lives outside the repository and may gain files before
// anyone refreshes its recording: for it (recording == recordedCorpus) a
// missing, stale or gone answer is logged, not a failure, and a case with
// no answer is left out unless the oracle answered it.
func nunjitsuAnswers(t *testing.T, cases []namedCase, live []result, recording string) []*answer {
	t.Helper()
	report := t.Errorf
	if recording == recordedCorpus {
		report = t.Logf
	}
	out := make([]*answer, len(cases))
	if live != nil {
		all := make([]answer, len(cases))
		for i, nc := range cases {
			all[i] = recordAs(nc, live[i])
			out[i] = &all[i]
		}
		if *update {
			writeAnswers(t, recording, all)
			return out
		}
	}
	recorded := loadAnswers(t, recording)
	used := map[string]bool{}
	stale := 0
	for i, nc := range cases {
		key := caseKey(nc.c)
		a, ok := recorded[key]
		switch {
		case !ok:
			stale++
			if stale <= 20 {
				report("%s: %s has no answer for this case (new or changed); %s", nc.name, recording, refresh)
			}
		case live != nil:
			if !a.agrees(*out[i]) {
				report("%s: %s is stale:\n  recorded: %v\n  nunjitsu: %v\n%s", nc.name, recording, a, out[i], refresh)
			}
		default:
			out[i] = &a
		}
		used[key] = true
	}
	if stale > 20 {
		report("%d cases in all have no answer in %s", stale, recording)
	}
	var gone []string
	for key, a := range recorded {
		if !used[key] {
			gone = append(gone, a.Case)
		}
	}
	if len(gone) > 0 {
		slices.Sort(gone)
		report("%s has answers for %d cases that are gone (%s); %s", recording, len(gone), strings.Join(gone[:min(len(gone), 5)], ", "), refresh)
	}
	return out
}
