package scaffold

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/callboard/callboard/app/nunjucks"
)

// RecordPath is where a project made by a run keeps what made it, so the
// template's later changes can be merged into it.
const RecordPath = ".callboard/template.json"

// recordVersion is the format of Record; a newer one is refused.
const recordVersion = 1

// maxRecord bounds the record read from a project, which anyone may edit.
const maxRecord = 1 << 20

// ErrNoRecord is a project without .callboard/template.json.
var ErrNoRecord = errors.New("the project has no " + RecordPath)

// Record is what made a project: the template, where it came from, at
// which commit, and the form's answers. Secrets are never in it: a
// Secret field's answer and each of the run's secrets are kept as
// AskAgain, to be asked for again when the project is updated.
type Record struct {
	V int `json:"v"`
	// Template is template:NAMESPACE/NAME.
	Template string `json:"template"`
	// Location is the id of the catalog location holding the template
	// and Repository its URL; File is the template's file in it.
	Location   string `json:"location,omitempty"`
	Repository string `json:"repository,omitempty"`
	File       string `json:"file,omitempty"`
	// Commit is the template repository's commit the project was made
	// (or last updated) from.
	Commit string `json:"commit"`
	// Values are the answers, in the form's order; a Secret field's is
	// {"askAgain": true}.
	Values json.RawMessage `json:"values"`
	// Secrets names the run's secrets, each {"askAgain": true}.
	Secrets map[string]AskAgain `json:"secrets,omitempty"`
	// Callboard is the version that wrote the record; Created when
	// (RFC 3339).
	Callboard string `json:"callboardVersion"`
	Created   string `json:"created"`
}

// AskAgain stands for an answer that is not kept.
type AskAgain struct {
	AskAgain bool `json:"askAgain"`
}

// NewRecord is the record of a run of t with values and secrets (only
// their names are kept) at commit.
func NewRecord(t Template, location, commit string, values any, secrets map[string]string, version string, now time.Time) (Record, error) {
	kept := nunjucks.NewObject()
	secretFields := map[string]bool{}
	for _, q := range Questions(t.Parameters) {
		if q.Secret {
			secretFields[q.Name] = true
		}
	}
	if o, ok := values.(*nunjucks.Object); ok {
		for _, k := range o.Keys() {
			v, _ := o.Get(k)
			if secretFields[k] {
				v = map[string]any{"askAgain": true}
			}
			kept.Set(k, v)
		}
	}
	b, err := json.Marshal(kept)
	if err != nil {
		return Record{}, fmt.Errorf("record the answers: %w", err)
	}
	r := Record{V: recordVersion, Template: t.Ref, Location: location, Repository: t.Home.URL, File: t.File, Commit: commit,
		Values: b, Callboard: version, Created: now.UTC().Format(time.RFC3339)}
	for name := range secrets {
		if r.Secrets == nil {
			r.Secrets = map[string]AskAgain{}
		}
		r.Secrets[name] = AskAgain{AskAgain: true}
	}
	return r, nil
}

// Encode is the record as written into the project: indented JSON.
func (r Record) Encode() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Answers are the recorded values, Secret fields left out (they are to
// be asked again).
func (r Record) Answers() (*nunjucks.Object, []string, error) {
	out := nunjucks.NewObject()
	if len(r.Values) == 0 || string(r.Values) == "null" {
		return out, nil, nil
	}
	v, err := nunjucks.DecodeJSON(r.Values)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: values: %w", RecordPath, err)
	}
	o, ok := v.(*nunjucks.Object)
	if !ok {
		return nil, nil, fmt.Errorf("%s: values: want an object", RecordPath)
	}
	var again []string
	for _, k := range o.Keys() {
		x, _ := o.Get(k)
		if askAgain(x) {
			again = append(again, k)
			continue
		}
		out.Set(k, x)
	}
	return out, again, nil
}

func askAgain(v any) bool {
	o, ok := v.(*nunjucks.Object)
	if !ok || o.Len() != 1 {
		return false
	}
	x, _ := o.Get("askAgain")
	return x == true
}

// ReadRecord reads dir's record, within its byte budget.
func ReadRecord(dir string) (Record, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return Record{}, fmt.Errorf("open project %s: %w", dir, err)
	}
	defer root.Close()
	f, err := root.Open(filepath.FromSlash(RecordPath))
	if errors.Is(err, fs.ErrNotExist) {
		return Record{}, fmt.Errorf("%s: %w", dir, ErrNoRecord)
	}
	if err != nil {
		return Record{}, fmt.Errorf("read %s: %w", RecordPath, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxRecord+1))
	if err != nil {
		return Record{}, fmt.Errorf("read %s: %w", RecordPath, err)
	}
	if len(b) > maxRecord {
		return Record{}, fmt.Errorf("%s: over %d bytes", RecordPath, maxRecord)
	}
	return ParseRecord(b)
}

// ParseRecord reads a record's JSON.
func ParseRecord(b []byte) (Record, error) {
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		return Record{}, fmt.Errorf("%s: %w", RecordPath, err)
	}
	switch {
	case r.V > recordVersion:
		return Record{}, fmt.Errorf("%s: format %d is newer than this Callboard reads (%d)", RecordPath, r.V, recordVersion)
	case r.Template == "":
		return Record{}, fmt.Errorf("%s: no template", RecordPath)
	case r.Commit == "":
		return Record{}, fmt.Errorf("%s: no commit", RecordPath)
	}
	return r, nil
}
