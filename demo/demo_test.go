package demo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/callboard/callboard/demo"
)

// entity is the part of a descriptor these tests look at.
type entity struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name        string            `yaml:"name"`
		Namespace   string            `yaml:"namespace"`
		Annotations map[string]string `yaml:"annotations"`
	} `yaml:"metadata"`
	Spec map[string]any `yaml:"spec"`
	File string         `yaml:"-"`
}

func (e entity) ref() string {
	ns := e.Metadata.Namespace
	if ns == "" {
		ns = "default"
	}
	return strings.ToLower(e.Kind) + ":" + ns + "/" + e.Metadata.Name
}

// strings returns spec[key] as a list, accepting a lone string as Backstage does.
func (e entity) strings(key string) []string {
	switch v := e.Spec[key].(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// parseRef expands [kind:][namespace/]name with Backstage's defaults.
func parseRef(s, defaultKind string) string {
	kind, rest := defaultKind, s
	if i := strings.Index(rest, ":"); i >= 0 {
		kind, rest = rest[:i], rest[i+1:]
	}
	ns := "default"
	if i := strings.Index(rest, "/"); i >= 0 {
		ns, rest = rest[:i], rest[i+1:]
	}
	return strings.ToLower(kind) + ":" + ns + "/" + rest
}

// loadCatalog parses every YAML document of every .yaml/.yml file in the
// demo (skeletons included, so a template's files are valid YAML too) and
// returns the entities outside template skeletons.
func loadCatalog(t *testing.T) []entity {
	t.Helper()
	var out []entity
	err := fs.WalkDir(demo.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) {
			return err
		}
		data, err := fs.ReadFile(demo.FS(), name)
		if err != nil {
			return err
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for i := 0; ; i++ {
			var doc yaml.Node
			err := dec.Decode(&doc)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Errorf("%s document %d: %v", name, i, err)
				break
			}
			var e entity
			if err := doc.Decode(&e); err != nil {
				t.Errorf("%s document %d: %v", name, i, err)
				continue
			}
			if e.Kind == "" || strings.Contains(name, "/skeleton/") {
				continue // OpenAPI files, mkdocs.yml, or a template's own files
			}
			e.File = name
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk demo files: %v", err)
	}
	return out
}

func byKind(es []entity, kind string) []entity {
	var out []entity
	for _, e := range es {
		if strings.EqualFold(e.Kind, kind) {
			out = append(out, e)
		}
	}
	return out
}

func exists(name string) bool {
	_, err := fs.Stat(demo.FS(), name)
	return err == nil
}

func TestKindCounts(t *testing.T) {
	t.Parallel()
	got := map[string]int{}
	for _, e := range loadCatalog(t) {
		got[e.Kind]++
	}
	want := map[string]int{
		"Location": 1, "Domain": 2, "System": 4, "Group": 7, "User": 15,
		"Component": 26, "API": 11, "Resource": 6, "Template": 3, "AiResource": 3, "Scorecard": 1,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entities per kind (-want +got):\n%s", diff)
	}
}

func TestEnvelope(t *testing.T) {
	t.Parallel()
	name := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	// Required spec fields per kind, after Backstage's JSON schemas.
	required := map[string][]string{
		"Component":  {"type", "lifecycle", "owner"},
		"API":        {"type", "lifecycle", "owner", "definition"},
		"Resource":   {"type", "owner"},
		"System":     {"owner"},
		"Domain":     {"owner"},
		"Group":      {"type", "children"},
		"User":       {"memberOf"},
		"AiResource": {"type", "lifecycle", "owner"},
		"Template":   {"type", "parameters", "steps"},
		"Location":   {"targets"},
		"Scorecard":  {"levels", "checks"},
	}
	allowed := map[string][]string{
		"Component.type":      {"service", "website", "library"},
		"Component.lifecycle": {"production", "experimental", "deprecated"},
		"API.lifecycle":       {"production", "experimental", "deprecated"},
		"API.type":            {"openapi", "asyncapi", "graphql", "mcp-server"},
		"Group.type":          {"organization", "department", "team"},
	}
	seen := map[string]string{}
	for _, e := range loadCatalog(t) {
		t.Run(e.ref(), func(t *testing.T) {
			wantAPI := "backstage.io/v1alpha1"
			switch e.Kind {
			case "Template":
				wantAPI = "scaffolder.backstage.io/v1beta3"
			case "Scorecard":
				wantAPI = "callboard.dev/v1alpha1"
			}
			if e.APIVersion != wantAPI {
				t.Errorf("apiVersion = %q, want %q", e.APIVersion, wantAPI)
			}
			if n := e.Metadata.Name; len(n) > 63 || !name.MatchString(n) {
				t.Errorf("name %q: want up to 63 of [a-z0-9-]", n)
			}
			if prev, dup := seen[e.ref()]; dup {
				t.Errorf("defined in %s and %s", prev, e.File)
			}
			seen[e.ref()] = e.File
			for _, key := range required[e.Kind] {
				if key == "definition" && e.Spec["type"] == "mcp-server" {
					key = "remotes" // an MCP server is described by its remotes
				}
				if _, ok := e.Spec[key]; !ok {
					t.Errorf("spec.%s is missing", key)
				}
			}
			for key, values := range allowed {
				kind, field, _ := strings.Cut(key, ".")
				if got, _ := e.Spec[field].(string); kind == e.Kind && !slices.Contains(values, got) {
					t.Errorf("spec.%s = %v, want one of %v", field, e.Spec[field], values)
				}
			}
		})
	}
}

func TestRootLocationListsEveryCatalogFile(t *testing.T) {
	t.Parallel()
	es := loadCatalog(t)
	var root []entity
	holders := map[string]bool{}
	for _, e := range es {
		if e.File == demo.RootFile {
			root = append(root, e)
		} else {
			holders[e.File] = true
		}
	}
	if len(root) != 1 || root[0].Kind != "Location" {
		t.Fatalf("%s holds %d entities, want exactly one Location", demo.RootFile, len(root))
	}
	var targets []string
	for _, target := range root[0].strings("targets") {
		if !strings.HasPrefix(target, "./") || strings.ContainsAny(target, "*?[") {
			t.Errorf("target %q: want an explicit ./relative path", target)
		}
		name := path.Clean(target)
		if !exists(name) {
			t.Errorf("target %q does not exist", target)
		}
		targets = append(targets, name)
	}
	var files []string
	for f := range holders {
		files = append(files, f)
	}
	slices.Sort(targets)
	slices.Sort(files)
	if diff := cmp.Diff(files, targets); diff != "" {
		t.Errorf("files holding entities (-) vs root targets (+):\n%s", diff)
	}
}

func TestRefsResolve(t *testing.T) {
	t.Parallel()
	es := loadCatalog(t)
	refs := map[string]string{}
	for _, e := range es {
		refs[e.ref()] = e.Kind
	}
	tests := []struct {
		field       string
		defaultKind string
		from        []string
		to          []string // kinds the reference may resolve to
	}{
		{"owner", "group", []string{"Component", "API", "Resource", "System", "Domain", "Template"}, []string{"group", "user"}},
		{"system", "system", []string{"Component", "API", "Resource"}, []string{"system"}},
		{"domain", "domain", []string{"System"}, []string{"domain"}},
		{"providesApis", "api", []string{"Component"}, []string{"api"}},
		{"consumesApis", "api", []string{"Component"}, []string{"api"}},
		{"dependsOn", "component", []string{"Component", "Resource"}, []string{"component", "resource"}},
		{"dependencyOf", "component", []string{"Component", "Resource"}, []string{"component", "resource"}},
		{"memberOf", "group", []string{"User"}, []string{"group"}},
		{"parent", "group", []string{"Group"}, []string{"group"}},
		{"children", "group", []string{"Group"}, []string{"group"}},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			t.Parallel()
			checked := 0
			for _, e := range es {
				if !slices.Contains(tt.from, e.Kind) {
					continue
				}
				for _, v := range e.strings(tt.field) {
					checked++
					ref := parseRef(v, tt.defaultKind)
					if _, ok := refs[ref]; !ok {
						t.Errorf("%s (%s): spec.%s %q -> %s: no such entity in the demo", e.ref(), e.File, tt.field, v, ref)
					}
					if kind, _, _ := strings.Cut(ref, ":"); !slices.Contains(tt.to, kind) {
						t.Errorf("%s: spec.%s %q is a %s, want one of %v", e.ref(), tt.field, v, kind, tt.to)
					}
					// Backstage has no default kind for these two fields.
					if (tt.field == "dependsOn" || tt.field == "dependencyOf") && !strings.Contains(v, ":") {
						t.Errorf("%s: spec.%s %q must name its kind", e.ref(), tt.field, v)
					}
				}
			}
			if checked == 0 {
				t.Errorf("no entity uses spec.%s: the check proves nothing", tt.field)
			}
		})
	}
}

func TestGroupTreeIsConsistent(t *testing.T) {
	t.Parallel()
	groups := map[string]entity{}
	for _, g := range byKind(loadCatalog(t), "Group") {
		groups[g.Metadata.Name] = g
	}
	roots := 0
	for name, g := range groups {
		parent := g.strings("parent")
		if len(parent) == 0 {
			roots++
		}
		for _, p := range parent {
			if !slices.Contains(groups[p].strings("children"), name) {
				t.Errorf("group %s names parent %s, which does not list it as a child", name, p)
			}
		}
		for _, c := range g.strings("children") {
			if !slices.Contains(groups[c].strings("parent"), name) {
				t.Errorf("group %s lists child %s, whose parent is %v", name, c, groups[c].strings("parent"))
			}
		}
		if p, _ := g.Spec["profile"].(map[string]any); p["displayName"] == nil || p["email"] == nil {
			t.Errorf("group %s: want profile.displayName and profile.email", name)
		}
	}
	if roots != 1 {
		t.Errorf("%d groups without a parent, want the one organization", roots)
	}
}

func TestTechDocsBesideTheirComponents(t *testing.T) {
	t.Parallel()
	var sites int
	for _, e := range byKind(loadCatalog(t), "Component") {
		ref, ok := e.Metadata.Annotations["backstage.io/techdocs-ref"]
		if !ok {
			continue
		}
		sites++
		t.Run(e.Metadata.Name, func(t *testing.T) {
			if ref != "dir:." {
				t.Errorf("techdocs-ref = %q, want dir:.", ref)
			}
			dir := path.Dir(e.File)
			raw, err := fs.ReadFile(demo.FS(), path.Join(dir, "mkdocs.yml"))
			if err != nil {
				t.Fatalf("mkdocs.yml: %v", err)
			}
			var mk struct {
				SiteName string              `yaml:"site_name"`
				Nav      []map[string]string `yaml:"nav"`
			}
			if err := yaml.Unmarshal(raw, &mk); err != nil || mk.SiteName == "" {
				t.Fatalf("mkdocs.yml: want a site_name, err %v", err)
			}
			if !exists(path.Join(dir, "docs/index.md")) {
				t.Errorf("docs/index.md is missing")
			}
			var all strings.Builder
			for _, item := range mk.Nav {
				for _, page := range item {
					data, err := fs.ReadFile(demo.FS(), path.Join(dir, "docs", page))
					if err != nil {
						t.Errorf("nav page: %v", err)
					}
					all.Write(data)
				}
			}
			if len(mk.Nav) < 2 {
				t.Errorf("nav has %d pages, want index.md and at least one more", len(mk.Nav))
			}
			for _, feature := range []string{"\n# ", "\n## ", "!!! ", "```", "| --- |"} {
				if !strings.Contains("\n"+all.String(), feature) {
					t.Errorf("no page uses %q", feature)
				}
			}
		})
	}
	if sites != 3 {
		t.Errorf("%d components with TechDocs, want 3", sites)
	}
}

func TestAPIDefinitions(t *testing.T) {
	t.Parallel()
	forms := map[string]int{} // "type/inline" or "type/$text"
	for _, e := range byKind(loadCatalog(t), "API") {
		if e.Spec["type"] == "mcp-server" {
			continue // described by its remotes, not a definition
		}
		t.Run(e.Metadata.Name, func(t *testing.T) {
			var def string
			switch d := e.Spec["definition"].(type) {
			case string:
				def = d
				forms[e.Spec["type"].(string)+"/inline"]++
			case map[string]any:
				rel, _ := d["$text"].(string)
				data, err := fs.ReadFile(demo.FS(), path.Join(path.Dir(e.File), rel))
				if !strings.HasPrefix(rel, "./") || err != nil {
					t.Fatalf("definition $text %q: want a ./relative file that exists: %v", rel, err)
				}
				def = string(data)
				forms[e.Spec["type"].(string)+"/$text"]++
			default:
				t.Fatalf("definition is %T, want a string or {$text: path}", d)
			}
			switch e.Spec["type"] {
			case "graphql":
				if !strings.Contains(def, "type Query {") {
					t.Errorf("GraphQL schema has no Query type")
				}
			case "openapi", "asyncapi":
				var doc struct {
					OpenAPI  string                    `yaml:"openapi"`
					AsyncAPI string                    `yaml:"asyncapi"`
					Paths    map[string]map[string]any `yaml:"paths"`
					Channels map[string]any            `yaml:"channels"`
				}
				if err := yaml.Unmarshal([]byte(def), &doc); err != nil {
					t.Fatalf("definition: %v", err)
				}
				ops := 0
				for _, item := range doc.Paths {
					for method := range item {
						if slices.Contains([]string{"get", "put", "post", "patch", "delete"}, method) {
							ops++
						}
					}
				}
				if e.Spec["type"] == "openapi" && (!strings.HasPrefix(doc.OpenAPI, "3.") || ops < 3) {
					t.Errorf("openapi %q with %d operations, want 3.x with at least 3", doc.OpenAPI, ops)
				}
				if e.Spec["type"] == "asyncapi" && (doc.AsyncAPI == "" || len(doc.Channels) == 0) {
					t.Errorf("asyncapi %q with %d channels, want a version and channels", doc.AsyncAPI, len(doc.Channels))
				}
			}
		})
	}
	for _, form := range []string{"openapi/inline", "openapi/$text", "asyncapi/inline", "asyncapi/$text", "graphql/$text"} {
		if forms[form] == 0 {
			t.Errorf("no API has a %s definition", form)
		}
	}
}

// contains reports whether v, walked recursively, holds key: value.
func contains(v any, key, value string) bool {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			if s, ok := c.(string); ok && k == key && s == value {
				return true
			}
			if contains(c, key, value) {
				return true
			}
		}
	case []any:
		return slices.ContainsFunc(x, func(c any) bool { return contains(c, key, value) })
	}
	return false
}

func TestTemplates(t *testing.T) {
	t.Parallel()
	for _, e := range byKind(loadCatalog(t), "Template") {
		t.Run(e.Metadata.Name, func(t *testing.T) {
			for _, field := range []string{"OwnerPicker", "RepoUrlPicker"} {
				if !contains(e.Spec["parameters"], "ui:field", field) {
					t.Errorf("parameters have no ui:field %s", field)
				}
			}
			for _, action := range []string{"fetch:template", "catalog:register"} {
				if !contains(e.Spec["steps"], "action", action) {
					t.Errorf("steps have no %s", action)
				}
			}
			if !contains(e.Spec["steps"], "url", "./skeleton") {
				t.Errorf("fetch:template does not read ./skeleton")
			}
			if out, _ := e.Spec["output"].(map[string]any); out["links"] == nil {
				t.Errorf("no output links")
			}
			skeleton := path.Join(path.Dir(e.File), "skeleton")
			for _, f := range []string{"catalog-info.yaml", "README.md"} {
				data, err := fs.ReadFile(demo.FS(), path.Join(skeleton, f))
				if err != nil {
					t.Errorf("skeleton: %v", err)
					continue
				}
				if !bytes.Contains(data, []byte("${{ values.name }}")) {
					t.Errorf("skeleton/%s does not use ${{ values.name }}", f)
				}
			}
		})
	}
}

// demoFiles maps every file of demo.FS() to its contents.
func demoFiles(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := fs.WalkDir(demo.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(demo.FS(), name)
		out[name] = string(data)
		return err
	})
	if err != nil {
		t.Fatalf("walk demo files: %v", err)
	}
	return out
}

// mainHead opens dir and returns the commit refs/heads/main points at,
// checking that HEAD points at main.
func mainHead(t *testing.T, dir string) (*git.Repository, *object.Commit) {
	t.Helper()
	repo, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	head, err := repo.Reference(plumbing.HEAD, false)
	if err != nil || head.Target() != plumbing.NewBranchReferenceName("main") {
		t.Fatalf("HEAD = %v (err %v), want a symbolic ref to refs/heads/main", head, err)
	}
	ref, err := repo.Reference(plumbing.NewBranchReferenceName("main"), true)
	if err != nil {
		t.Fatalf("branch main: %v", err)
	}
	c, err := repo.CommitObject(ref.Hash())
	if err != nil {
		t.Fatalf("commit %s: %v", ref.Hash(), err)
	}
	return repo, c
}

func TestWriteRepo(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dirs := []string{
		filepath.Join(t.TempDir(), "data", "demo-org"), // missing, parents too
		t.TempDir(), // exists and is empty
	}
	want := demoFiles(t)
	var hashes []string
	for _, dir := range dirs {
		created, err := demo.WriteRepo(ctx, dir)
		if err != nil || !created {
			t.Fatalf("WriteRepo(%s) = %v, %v; want true, nil", dir, created, err)
		}
		repo, c := mainHead(t, dir)
		hashes = append(hashes, c.Hash.String())
		if c.Author.Name != "Callboard Demo" || c.Author.Email != "demo@callboard.invalid" || c.NumParents() != 1 {
			t.Errorf("commit by %s, %d parents; want Callboard Demo <demo@callboard.invalid> and one", c.Author, c.NumParents())
		}
		checkProjectRecord(t, c)
		got := map[string]string{}
		files, err := c.Files()
		if err != nil {
			t.Fatalf("files of %s: %v", c.Hash, err)
		}
		err = files.ForEach(func(f *object.File) error {
			s, err := f.Contents()
			got[f.Name] = s
			return err
		})
		if err != nil {
			t.Fatalf("read tree: %v", err)
		}
		delete(got, demo.ProjectDir+"/.callboard/template.json")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("commit tree vs demo.FS() (-want +got):\n%s", diff)
		}
		wt, err := repo.Worktree()
		if err != nil {
			t.Fatal(err)
		}
		if st, err := wt.Status(); err != nil || !st.IsClean() {
			t.Errorf("worktree not clean after WriteRepo: %v %v", st, err)
		}
	}
	if hashes[0] != hashes[1] {
		t.Errorf("commit hashes differ between runs: %s and %s", hashes[0], hashes[1])
	}

	created, err := demo.WriteRepo(ctx, dirs[0])
	if err != nil || created {
		t.Fatalf("second WriteRepo = %v, %v; want false, nil", created, err)
	}
	if _, c := mainHead(t, dirs[0]); c.Hash.String() != hashes[0] {
		t.Errorf("second WriteRepo moved main from %s to %s", hashes[0], c.Hash)
	}
}

func TestWriteRepoConcurrentCallsWriteOnce(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "demo-org")
	var wg sync.WaitGroup
	results := make([]bool, 4)
	errs := make([]error, len(results))
	for i := range results {
		wg.Go(func() { results[i], errs[i] = demo.WriteRepo(t.Context(), dir) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent WriteRepo: %v", err)
	}
	if n := len(slices.DeleteFunc(results, func(c bool) bool { return !c })); n != 1 {
		t.Errorf("%d calls report created, want exactly 1", n)
	}
	mainHead(t, dir)
}

func TestWriteRepoLeavesOthersAlone(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name        string
		setup       func(t *testing.T, dir string)
		ctx         context.Context
		wantCreated bool
		wantErr     error // nil: no error; errAny: any error
		check       func(t *testing.T, dir string)
	}{
		{
			name: "existing empty repository",
			setup: func(t *testing.T, dir string) {
				if _, err := git.PlainInit(dir, false); err != nil {
					t.Fatal(err)
				}
			},
			ctx: context.Background(),
			check: func(t *testing.T, dir string) {
				repo, _ := git.PlainOpen(dir)
				if _, err := repo.Head(); !errors.Is(err, plumbing.ErrReferenceNotFound) {
					t.Errorf("HEAD of the untouched repository: %v, want no commits", err)
				}
			},
		},
		{
			name: "directory with other files",
			setup: func(t *testing.T, dir string) {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			ctx:     context.Background(),
			wantErr: errAny,
			check: func(t *testing.T, dir string) {
				entries, _ := os.ReadDir(dir)
				if len(entries) != 1 {
					t.Errorf("dir holds %d entries, want only notes.txt", len(entries))
				}
			},
		},
		{
			name:    "cancelled while writing files",
			setup:   func(*testing.T, string) {},
			ctx:     &cancelAfter{Context: context.Background(), calls: 10},
			wantErr: context.Canceled,
			check: func(t *testing.T, dir string) {
				if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("dir after a cancelled write: %v, want it absent", err)
				}
			},
		},
		{
			name:    "cancelled context",
			setup:   func(*testing.T, string) {},
			ctx:     cancelled,
			wantErr: context.Canceled,
			check: func(t *testing.T, dir string) {
				if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("dir after a cancelled write: %v, want it absent", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			parent := t.TempDir()
			dir := filepath.Join(parent, "demo-org")
			tt.setup(t, dir)
			created, err := demo.WriteRepo(tt.ctx, dir)
			switch {
			case tt.wantErr == nil && err != nil,
				tt.wantErr == errAny && err == nil,
				tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Errorf("WriteRepo error = %v, want %v", err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), dir) {
				t.Errorf("error %q does not say where", err)
			}
			if created != tt.wantCreated {
				t.Errorf("created = %v, want %v", created, tt.wantCreated)
			}
			tt.check(t, dir)
			// The staging directory never outlives the call.
			entries, _ := os.ReadDir(parent)
			for _, e := range entries {
				if e.Name() != "demo-org" {
					t.Errorf("leftover %s in %s", e.Name(), parent)
				}
			}
		})
	}
}

var errAny = errors.New("any error")

// cancelAfter reports cancellation from its calls-th Err on, so a test can
// stop WriteRepo part-way through the files. Each instance serves one test.
type cancelAfter struct {
	context.Context
	mu    sync.Mutex
	calls int
}

func (c *cancelAfter) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.calls--; c.calls <= 0 {
		return context.Canceled
	}
	return nil
}

// checkProjectRecord: the demo's project was made from the go-service
// template at the first commit, whose README the second commit changes,
// so the project has a template update waiting.
func checkProjectRecord(t *testing.T, head *object.Commit) {
	t.Helper()
	f, err := head.File(demo.ProjectDir + "/.callboard/template.json")
	if err != nil {
		t.Fatalf("the project's record: %v", err)
	}
	text, err := f.Contents()
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Template, Location, File, Commit string
	}
	if err := json.Unmarshal([]byte(text), &rec); err != nil {
		t.Fatal(err)
	}
	parent, err := head.Parent(0)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Template != "template:default/go-service" || rec.Location != "demo" || rec.Commit != parent.Hash.String() {
		t.Errorf("the project's record = %+v, want go-service at the first commit %s", rec, parent.Hash)
	}
	readme := func(c *object.Commit) string {
		f, err := c.File("templates/go-service/skeleton/README.md")
		if err != nil {
			t.Fatal(err)
		}
		s, _ := f.Contents()
		return s
	}
	if readme(parent) == readme(head) {
		t.Errorf("go-service's README is the same in both commits: no update to see")
	}
}
