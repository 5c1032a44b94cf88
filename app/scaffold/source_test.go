package scaffold

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/sync/remote"
)

// fakeHost answers fetch URLs from folders and files it holds, as the
// portal's host does, and counts what it was asked.
type fakeHost struct {
	folders map[string]Fetched
	files   map[string]Fetched
	asked   []string
}

func (*fakeHost) Entity(context.Context, string) (any, bool, error) { return nil, false, nil }

func (h *fakeHost) Folder(_ context.Context, url string) (Fetched, error) {
	h.asked = append(h.asked, "folder "+url)
	if f, ok := h.folders[url]; ok {
		return f, nil
	}
	return Fetched{}, errors.New("example.com cannot be reached")
}

func (h *fakeHost) File(_ context.Context, url string) (Fetched, error) {
	h.asked = append(h.asked, "file "+url)
	if f, ok := h.files[url]; ok {
		return f, nil
	}
	return Fetched{}, errors.New("example.com cannot be reached")
}

const ownRepo = "https://github.com/org/templates"

// templateRepo is a repository of templates at github.com/org/templates:
// template t fetches with the steps given.
func templateRepo(steps string) Source {
	files := tmpl(steps)
	return Source{Files: files, File: "t/template.yaml", Home: remote.Home{URL: ownRepo + ".git", Branch: "main", Commit: "0123456789abcdef0123456789abcdef01234567", DefaultBranch: true}}
}

func runFrom(t *testing.T, src Source, host Host) (Result, Template) {
	t.Helper()
	tpl, err := Load(context.Background(), src, "", catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := NewRunner(host, nil).Run(context.Background(), tpl, Request{DryRun: true, WorkDir: t.TempDir(), Values: values(t, `{"name":"radar"}`)}, nil)
	return res, tpl
}

func fileContents(res Result) map[string]string {
	out := map[string]string{}
	for _, f := range res.Files {
		if !f.Dir {
			out[f.Path] = f.Content
		}
	}
	return out
}

// A template that fetches its own skeleton by its absolute URL reads it
// from its repository's files: no host, no network.
func TestFetchFromTheTemplatesOwnRepositoryByURL(t *testing.T) {
	t.Parallel()
	src := templateRepo("    - id: fetch\n      action: fetch:template\n      input:\n        url: " + ownRepo + "/tree/main/t/skeleton/raw\n        values: {name: radar}\n" +
		"    - id: file\n      action: fetch:plain:file\n      input:\n        url: " + ownRepo + "/blob/main/t/other/file.txt\n        targetPath: copied.txt\n")
	res, tpl := runFrom(t, src, nil)
	if res.Status != Completed {
		t.Fatalf("%s: %s", res.Status, res.Error)
	}
	if got := fileContents(res); got["keep.txt"] == "" || got["copied.txt"] != "${{ values.name }}!" {
		t.Errorf("files %v", got)
	}
	if !strings.Contains(strings.Join(res.Steps[0].Log, "\n"), "from the template's own repository, without the network") {
		t.Errorf("log %q", res.Steps[0].Log)
	}
	want := []URLFetch{
		{Step: "fetch", URL: ownRepo + "/tree/main/t/skeleton/raw", Folder: true, InRepo: true},
		{Step: "file", URL: ownRepo + "/blob/main/t/other/file.txt", InRepo: true},
	}
	if diff := cmp.Diff(want, tpl.URLFetches()); diff != "" {
		t.Errorf("URLFetches (-want +got):\n%s", diff)
	}
	// Another branch of the same repository is another repository's files.
	other := templateRepo("    - action: fetch:plain\n      input: {url: " + ownRepo + "/tree/dev/t/skeleton/raw}\n")
	if res, _ := runFrom(t, other, nil); res.Status != Failed || !strings.Contains(res.Error, "only URLs relative to the template, or into its own repository, can be fetched here") {
		t.Errorf("another branch without a host: %s: %s", res.Status, res.Error)
	}
}

// Folders and files of other repositories come from the host; the log
// says where from, and how old a kept copy is and why it is used.
func TestFetchThroughTheHost(t *testing.T) {
	t.Parallel()
	skeleton := catalog.MapFiles{"skel/go/main.go": "package ${{ values.name }}\n", "skel/go/README.md": "# ${{ values.name }}\n"}
	host := &fakeHost{
		folders: map[string]Fetched{
			"https://github.com/org/skeletons/tree/main/skel/go": {Files: skeleton, Path: "skel/go", Commit: "89abcdef0123456789abcdef0123456789abcdef", ReadAt: time.Now()},
			"https://gitlab.example/g/s/-/tree/v1/skel/go": {Files: skeleton, Path: "skel/go", Commit: "89abcdef0123456789abcdef0123456789abcdef",
				ReadAt: time.Now().Add(-3 * time.Hour), Stale: errors.New("gitlab.example cannot be reached")},
			"https://git.corp/org/shared/tree/main/skel/go": {Files: skeleton, Path: "skel/go", Location: "shared"},
		},
		files: map[string]Fetched{
			"https://example.com/LICENSE": {Files: catalog.MapFiles{"LICENSE": "MIT ${{ values.name }}\n"}, Path: "LICENSE", ReadAt: time.Now()},
		},
	}
	steps := ""
	for i, u := range []string{"https://github.com/org/skeletons/tree/main/skel/go", "https://gitlab.example/g/s/-/tree/v1/skel/go", "https://git.corp/org/shared/tree/main/skel/go"} {
		steps += fmt.Sprintf("    - id: s%d\n      action: fetch:template\n      input: {url: %q, targetPath: out%d, values: {name: radar}}\n", i, u, i)
	}
	steps += "    - id: license\n      action: fetch:template:file\n      input: {url: https://example.com/LICENSE, targetPath: LICENSE, values: {name: radar}}\n"
	res, tpl := runFrom(t, templateRepo(steps), host)
	if res.Status != Completed {
		t.Fatalf("%s: %s", res.Status, res.Error)
	}
	got := fileContents(res)
	for _, want := range []string{"out0/main.go", "out1/main.go", "out2/README.md"} {
		if !strings.HasPrefix(got[want], "package radar") && !strings.HasPrefix(got[want], "# radar") {
			t.Errorf("%s = %q", want, got[want])
		}
	}
	if got["LICENSE"] != "MIT radar\n" {
		t.Errorf("LICENSE = %q", got["LICENSE"])
	}
	logs := []string{"Fetched https://github.com/org/skeletons/tree/main/skel/go at commit 89abcde",
		"Using the copy of https://gitlab.example/g/s/-/tree/v1/skel/go kept from ",
		"Reading https://git.corp/org/shared/tree/main/skel/go from location shared, as last synced, without the network",
		"Fetched https://example.com/LICENSE"}
	for i, want := range logs {
		if log := strings.Join(res.Steps[i].Log, "\n"); !strings.Contains(log, want) {
			t.Errorf("step %d log lacks %q:\n%s", i, want, log)
		}
	}
	if log := strings.Join(res.Steps[1].Log, "\n"); !strings.Contains(log, "(3 h ago): it could not be fetched now: gitlab.example cannot be reached") {
		t.Errorf("the kept copy's age and why: %s", log)
	}
	if len(tpl.URLFetches()) != 4 || tpl.URLFetches()[0].InRepo {
		t.Errorf("URLFetches %+v", tpl.URLFetches())
	}
	// A host that cannot answer fails the step with why.
	failing := templateRepo("    - action: fetch:plain\n      input: {url: https://example.com/o/r/tree/main/x}\n")
	if res, _ := runFrom(t, failing, host); res.Status != Failed || !strings.Contains(res.Error, "input url: https://example.com/o/r/tree/main/x: example.com cannot be reached") {
		t.Errorf("a fetch that fails: %s: %s", res.Status, res.Error)
	}
}

// remoteFiles is a catalog RemoteReader over files it holds.
type remoteFiles map[string]string

func (r remoteFiles) ReadRemote(_ context.Context, url string) (catalog.RemoteFile, error) {
	data, ok := r[url]
	if !ok {
		return catalog.RemoteFile{}, errors.New("the server answered 404 Not Found")
	}
	return catalog.RemoteFile{Data: []byte(data), ReadAt: time.Now()}, nil
}

// spec.steps, spec.parameters and spec.output may come from placeholders,
// local or remote, as in the catalog; the author's key order (the form's
// field order) is kept, also in a local placeholder's file.
func TestTemplateFromPlaceholders(t *testing.T) {
	t.Parallel()
	files := catalog.MapFiles{
		"t/template.yaml": "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\nspec:\n  type: service\n" +
			"  parameters:\n    $yaml: ./parameters.yaml\n  steps:\n    $yaml: https://example.com/steps.yaml\n  output:\n    $json: /shared/output.json\n",
		"t/parameters.yaml":    "title: About\nrequired: [name]\nproperties:\n  name: {type: string}\n  description: {type: string}\n  age: {type: number}\n",
		"shared/output.json":   `{"text": [{"title": "Done", "content": "${{ parameters.name }} is ready"}], "links": [{"url": "https://example.com/${{ parameters.name }}", "title": "Open"}]}`,
		"t/skeleton/README.md": "# ${{ values.name }}\n",
	}
	remoteSteps := remoteFiles{"https://example.com/steps.yaml": "- id: fetch\n  action: fetch:template\n  input:\n    url: ./skeleton\n    values:\n      name: ${{ parameters.name }}\n      zone: north\n      area: west\n"}
	src := Source{Files: files, File: "t/template.yaml"}
	if _, err := Load(context.Background(), src, "", catalog.Options{}); err == nil || !strings.Contains(err.Error(), "placeholder $yaml points at https://example.com/steps.yaml, and files are not read by URL here") {
		t.Errorf("a URL placeholder without a reader: %v", err)
	}
	tpl, err := Load(context.Background(), src, "", catalog.Options{Remote: remoteSteps})
	if err != nil {
		t.Fatal(err)
	}
	params, _ := json.Marshal(tpl.Parameters)
	if string(params) != `{"title":"About","required":["name"],"properties":{"name":{"type":"string"},"description":{"type":"string"},"age":{"type":"number"}}}` {
		t.Errorf("parameters %s", params)
	}
	if len(tpl.Steps) != 1 || tpl.Steps[0].Action != "fetch:template" {
		t.Fatalf("steps %+v", tpl.Steps)
	}
	// A remote placeholder's file is not read again for its order: its
	// keys come sorted.
	input, _ := json.Marshal(tpl.Steps[0].Input)
	if string(input) != `{"url":"./skeleton","values":{"area":"west","name":"${{ parameters.name }}","zone":"north"}}` {
		t.Errorf("input %s", input)
	}
	res := NewRunner(nil, nil).Run(context.Background(), tpl, Request{DryRun: true, WorkDir: t.TempDir(), Values: values(t, `{"name":"radar"}`)}, nil)
	if res.Status != Completed || fileContents(res)["README.md"] != "# radar\n" {
		t.Fatalf("%s: %s, %v", res.Status, res.Error, fileContents(res))
	}
	if len(res.Texts) != 1 || res.Texts[0].Content != "radar is ready" || len(res.Links) != 1 || res.Links[0].URL != "https://example.com/radar" {
		t.Errorf("output: %+v %+v", res.Texts, res.Links)
	}
}
