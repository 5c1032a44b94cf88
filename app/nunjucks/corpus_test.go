package nunjucks

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// corpusRoot is the shared corpus of real Backstage templates, beside the
// repository; the corpus test is skipped without it.
const corpusRoot = "../../../shared/corpus"

func corpusTemplates(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{
		"software-templates/scaffolder-templates/*/template.yaml",
		"backstage-demo/demo-template/template/template.yaml",
	} {
		m, err := filepath.Glob(filepath.Join(corpusRoot, pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skipf("no shared corpus at %s: its templates' renders recorded in %s are not checked", corpusRoot, recordedCorpus)
	}
	return files
}

// plausible invents a value for a template parameter from its schema.
func plausible(name string, prop map[string]any) any {
	if d, ok := prop["default"]; ok {
		return d
	}
	if enum, ok := prop["enum"].([]any); ok && len(enum) > 0 {
		return enum[0]
	}
	switch prop["ui:field"] {
	case "RepoUrlPicker":
		return "github.com?owner=acme&repo=demo-repo"
	case "OwnerPicker", "EntityPicker", "MyGroupsPicker":
		return "group:default/team-a"
	}
	switch prop["type"] {
	case "boolean":
		return true
	case "number", "integer":
		return 8080
	case "array":
		if items, ok := prop["items"].(map[string]any); ok {
			if enum, ok := items["enum"].([]any); ok && len(enum) > 1 {
				return enum[:2]
			}
		}
		return []any{"adding-templates", "builtin-actions"}
	case "object":
		return map[string]any{}
	}
	if name == "description" {
		return `A "demo" <service> & more`
	}
	return "demo-" + strings.ToLower(name)
}

func templateParameters(spec map[string]any) map[string]any {
	params := map[string]any{}
	var pages []any
	switch p := spec["parameters"].(type) {
	case []any:
		pages = p
	case map[string]any:
		pages = []any{p}
	}
	for _, page := range pages {
		props, _ := page.(map[string]any)["properties"].(map[string]any)
		for name, prop := range props {
			if m, ok := prop.(map[string]any); ok {
				params[name] = plausible(name, m)
			}
		}
	}
	return params
}

// corpusCases turns one template.yaml into cases: every step's input and if,
// the output, and for fetch:template every skeleton file's name and content
// rendered with the values the step's input renders to.
func corpusCases(t *testing.T, file string) []namedCase {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	spec, _ := doc["spec"].(map[string]any)
	rel, _ := filepath.Rel(corpusRoot, file)
	ctxData := map[string]any{
		"parameters": templateParameters(spec),
		"steps": map[string]any{
			"publish":  map[string]any{"output": map[string]any{"remoteUrl": "https://github.com/acme/demo-repo", "repoContentsUrl": "https://github.com/acme/demo-repo/blob/main", "mergeRequestUrl": "https://gitlab.com/acme/demo-repo/-/merge_requests/1"}},
			"register": map[string]any{"output": map[string]any{"entityRef": "component:default/demo", "catalogInfoUrl": "https://github.com/acme/demo-repo/blob/main/catalog-info.yaml"}},
		},
		"user":    map[string]any{"entity": map[string]any{"metadata": map[string]any{"name": "guest"}}, "ref": "user:default/guest"},
		"secrets": map[string]any{},
	}
	var cases []namedCase
	add := func(name string, c oracleCase) { cases = append(cases, namedCase{rel + ": " + name, c}) }
	steps, _ := spec["steps"].([]any)
	for i, s := range steps {
		step, _ := s.(map[string]any)
		id := fmt.Sprint(step["id"], "#", i)
		if cond, ok := step["if"]; ok {
			add(id+" if", oracleCase{Template: cond, Data: ctxData, Mode: "value"})
		}
		input, ok := step["input"].(map[string]any)
		if !ok {
			continue
		}
		add(id+" input", oracleCase{Template: input, Data: ctxData, Mode: "value"})
		if step["action"] == "fetch:template" {
			cases = append(cases, skeletonCases(t, rel+": "+id, filepath.Dir(file), input, ctxData)...)
		}
	}
	if out, ok := spec["output"]; ok {
		add("output", oracleCase{Template: out, Data: ctxData, Mode: "value"})
	}
	return cases
}

func skeletonCases(t *testing.T, prefix, dir string, input, ctxData map[string]any) []namedCase {
	t.Helper()
	url, _ := input["url"].(string)
	if url == "" || strings.Contains(url, "://") {
		return nil
	}
	env, err := New(Options{Filters: ScaffolderFilters(nil), Globals: oracleGlobals()})
	if err != nil {
		t.Fatal(err)
	}
	ordered, err := ordered(input["values"])
	if err != nil {
		t.Fatal(err)
	}
	data, err := orderedData(ctxData)
	if err != nil {
		t.Fatal(err)
	}
	values, err := env.RenderValue(context.Background(), ordered, data)
	if err != nil {
		t.Fatal(err)
	}
	encoded, err := json.Marshal(values)
	if err != nil {
		t.Fatal(err)
	}
	var plain any
	if err := json.Unmarshal(encoded, &plain); err != nil {
		t.Fatal(err)
	}
	opts := oracleOptions{}
	opts.CookiecutterCompat, _ = input["cookiecutterCompat"].(bool)
	opts.TrimBlocks, _ = input["trimBlocks"].(bool)
	opts.LstripBlocks, _ = input["lstripBlocks"].(bool)
	key := "values"
	if opts.CookiecutterCompat {
		key = "cookiecutter"
	}
	fileData := map[string]any{key: plain}
	var cases []namedCase
	root := filepath.Join(dir, url)
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == root {
			return err
		}
		name, _ := filepath.Rel(root, path)
		name = filepath.ToSlash(name)
		if d.IsDir() {
			name += "/"
		}
		cases = append(cases, namedCase{prefix + " name " + name, oracleCase{Template: name, Data: fileData, Options: opts}})
		if d.IsDir() {
			return nil
		}
		content, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !utf8.Valid(content) || strings.ContainsRune(string(content), 0) {
			return nil
		}
		cases = append(cases, namedCase{prefix + " file " + name, oracleCase{Template: string(content), Data: fileData, Options: opts}})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

func TestAgainstNunjitsuCorpus(t *testing.T) {
	dir := oracleDir(t)
	templates := corpusTemplates(t)
	var cases []namedCase
	for _, file := range templates {
		cases = append(cases, corpusCases(t, file)...)
	}
	var live []result
	if dir != "" {
		batch := make([]oracleCase, len(cases))
		for i, nc := range cases {
			batch[i] = nc.c
		}
		live = runOracle(t, dir, batch)
	}
	answers := nunjitsuAnswers(t, cases, live, recordedCorpus)
	failed := 0
	for i, nc := range cases {
		want := answers[i]
		if want == nil {
			continue // reported by nunjitsuAnswers
		}
		if want.Error != "" {
			failed++
		}
		if got := recordAs(nc, renderGo(nc.c)); !got.agrees(*want) {
			t.Errorf("%s:\n  nunjitsu: %v\n  we:       %v", nc.name, want, got)
		}
	}
	t.Logf("%d renders of %d corpus templates agree with nunjitsu (%d fail in both)", len(cases), len(templates), failed)
}
