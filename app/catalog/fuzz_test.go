package catalog

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Fuzz targets for reading YAML and for judging entities. The seed corpus
// is every conformance file; inputs the fuzzer found interesting are kept
// in testdata/fuzz and replayed by every `go test`. Run longer with
// `make fuzz`.

func addSeeds(f *testing.F) {
	f.Helper()
	err := filepath.WalkDir("testdata/conformance", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err == nil {
			f.Add(data)
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
}

func FuzzReadDocuments(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, errs := readDocuments(data)
		for _, e := range errs {
			if e.Message == "" {
				t.Errorf("an error without a message: %+v", e)
			}
		}
		for _, d := range docs {
			if d.value == nil {
				t.Errorf("an empty document was returned")
			}
		}
	})
}

func FuzzProcess(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		files := MapFiles{"catalog-info.yaml": string(data), "other.yaml": "a: 1\n"}
		res := Process(context.Background(), files, Options{}, "catalog-info.yaml")
		valid := 0
		for _, v := range res.Verdicts {
			if v.Valid() {
				valid++
			}
			for _, e := range v.Errors {
				if e.Message == "" || e.File == "" {
					t.Errorf("error without a message or file: %+v", e)
				}
			}
		}
		if valid != len(res.Entities) {
			t.Errorf("%d valid verdicts but %d entities", valid, len(res.Entities))
		}
		for _, p := range res.Entities {
			if _, err := json.Marshal(p.Entity.Raw); err != nil {
				t.Errorf("accepted entity cannot be stored: %v", err)
			}
			if p.Entity.Metadata.Name == "" || p.Entity.Metadata.Namespace == "" {
				t.Errorf("accepted entity without name or namespace: %+v", p.Entity.Metadata)
			}
		}
	})
}
