package scaffold

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/nunjucks"
)

func values(t testing.TB, js string) any {
	t.Helper()
	v, err := nunjucks.DecodeJSON([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// load reads a template the way the CLI does: through the catalog.
func load(files catalog.Files, file string) (Template, error) {
	return Load(context.Background(), Source{Files: files, File: file}, "", catalog.Options{})
}

func run(t testing.TB, files catalog.Files, file string, req Request) (Result, Template) {
	t.Helper()
	tpl, err := load(files, file)
	if err != nil {
		t.Fatal(err)
	}
	if req.WorkDir == "" {
		req.WorkDir = t.TempDir()
	}
	return NewRunner(nil, nil).Run(context.Background(), tpl, req, nil), tpl
}

// The demo organisation's Go service template, start to end: skeleton
// rendered, a git repository with one commit, the push and the catalog
// registration left for the portal, the output links rendered.
func TestRunDemoTemplate(t *testing.T) {
	t.Parallel()
	files, err := catalog.OpenDir("../../demo/repo")
	if err != nil {
		t.Fatal(err)
	}
	defer files.Close()
	target := filepath.Join(t.TempDir(), "ferry-radar")
	res, _ := run(t, files, "templates/go-service/template.yaml", Request{
		Values: values(t, `{"name":"ferry-radar","description":"Where the \"ferries\" are","owner":"group:team-lighthouse","system":"ferries","port":8081,"repoUrl":"github.com?owner=marigold-ferries&repo=ferry-radar"}`),
		User:   User{Ref: "user:default/ada", Name: "Ada", Email: "ada@example.com"}, Target: target,
	})
	if res.Status != Completed {
		t.Fatalf("status %s: %s\n%+v", res.Status, res.Error, res.Steps)
	}
	info, err := os.ReadFile(filepath.Join(target, "catalog-info.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"name: ferry-radar", `description: "Where the \"ferries\" are"`, "github.com/project-slug: marigold-ferries/ferry-radar", "owner: group:team-lighthouse"} {
		if !strings.Contains(string(info), want) {
			t.Errorf("catalog-info.yaml lacks %q:\n%s", want, info)
		}
	}
	repo, err := git.PlainOpen(target)
	if err != nil {
		t.Fatal(err)
	}
	head, err := repo.Head()
	if err != nil || head.Name().Short() != "main" {
		t.Fatalf("head %v, %v", head, err)
	}
	c, _ := repo.CommitObject(head.Hash())
	if c.Author.Email != "ada@example.com" {
		t.Errorf("committed by %s", c.Author)
	}
	if len(res.Publish) != 1 || res.Publish[0].Remote != "https://github.com/marigold-ferries/ferry-radar.git" || res.Publish[0].Branch != "main" {
		t.Errorf("publish %+v", res.Publish)
	}
	if len(res.Register) != 1 || res.Register[0].Path != "catalog-info.yaml" || res.Register[0].EntityRef != "component:default/ferry-radar" {
		t.Errorf("register %+v", res.Register)
	}
	if len(res.Links) != 2 || res.Links[0].URL != "https://github.com/marigold-ferries/ferry-radar" || res.Links[1].EntityRef != "component:default/ferry-radar" {
		t.Errorf("links %+v", res.Links)
	}
	for _, s := range res.Steps {
		if s.Status != Completed || len(s.Log) == 0 {
			t.Errorf("step %s: %s, log %q", s.ID, s.Status, s.Log)
		}
	}
	if entries, _ := os.ReadDir(filepath.Dir(target)); len(entries) != 1 {
		t.Errorf("beside the target: %v", entries)
	}
}

// A dry run shows the files and their contents and writes nothing.
func TestDryRun(t *testing.T) {
	t.Parallel()
	files, err := catalog.OpenDir("../../demo/repo")
	if err != nil {
		t.Fatal(err)
	}
	defer files.Close()
	work := t.TempDir()
	res, _ := run(t, files, "templates/go-service/template.yaml", Request{
		Values: values(t, `{"name":"x","owner":"group:a","repoUrl":"github.com?owner=o&repo=x"}`), DryRun: true, WorkDir: work,
	})
	if res.Status != Completed {
		t.Fatalf("%s: %s", res.Status, res.Error)
	}
	var shown bool
	for _, f := range res.Files {
		if f.Path == "catalog-info.yaml" && strings.Contains(f.Content, "name: x") {
			shown = true
		}
		if strings.HasPrefix(f.Path, ".git") {
			t.Errorf("a dry run made %s", f.Path)
		}
	}
	if !shown {
		t.Errorf("files %+v", res.Files)
	}
	if entries, _ := os.ReadDir(work); len(entries) != 0 {
		t.Errorf("the work folder keeps %v", entries)
	}
}

func tmpl(steps string) catalog.MapFiles {
	return catalog.MapFiles{
		"t/template.yaml":                                      "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\nspec:\n  type: service\n  steps:\n" + steps,
		"t/skeleton/README.md":                                 "# ${{ values.name }}\n",
		"t/skeleton/${{ 'docs.md' if values.docs }}":           "docs\n",
		"t/skeleton/api/${{ 'grpc.md' if values.docs }}":       "grpc\n",
		"t/skeleton/${{ values.name }}/main.go":                "package ${{ values.name }}\n",
		"t/skeleton/raw/keep.txt":                              "${{ untouched }}\n",
		"t/skeleton/logo.png":                                  "\x89PNG\x00${{ values.name }}",
		"t/skeleton/${{ '../escape' if values.escape }}/x.txt": "x",
		"t/other/bomb.txt":                                     "{% for i in range(0, 100000000) %}xxxxxxxx{% endfor %}",
		"t/other/file.txt":                                     "${{ values.name }}!",
	}
}

const fetchStep = `    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        copyWithoutTemplating: ['raw/**']
        values:
          name: ${{ parameters.name }}
          docs: ${{ parameters.docs }}
          escape: ${{ parameters.escape }}
`

func TestFetchTemplate(t *testing.T) {
	t.Parallel()
	target := filepath.Join(t.TempDir(), "out")
	res, _ := run(t, tmpl(fetchStep), "t/template.yaml", Request{Values: values(t, `{"name":"svc","docs":false}`), Target: target})
	if res.Status != Completed {
		t.Fatalf("%s: %s", res.Status, res.Error)
	}
	for file, want := range map[string]string{"README.md": "# svc\n", "svc/main.go": "package svc\n", "raw/keep.txt": "${{ untouched }}\n", "logo.png": "\x89PNG\x00${{ values.name }}"} {
		got, err := os.ReadFile(filepath.Join(target, file))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", file, got, err, want)
		}
	}
	for _, skipped := range []string{"docs.md", "api"} {
		if _, err := os.Stat(filepath.Join(target, skipped)); err == nil {
			t.Errorf("%s written though its name rendered empty", skipped)
		}
	}
	// A name rendering outside the workspace stops the run; nothing is written.
	target2 := filepath.Join(t.TempDir(), "out")
	res, _ = run(t, tmpl(fetchStep), "t/template.yaml", Request{Values: values(t, `{"name":"svc","escape":true}`), Target: target2})
	if res.Status != Failed || !strings.Contains(res.Error, "leaves the workspace") {
		t.Errorf("escape: %s %s", res.Status, res.Error)
	}
	if _, err := os.Stat(target2); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed run left %s", target2)
	}
}

func TestRunRefusals(t *testing.T) {
	t.Parallel()
	full := t.TempDir()
	os.WriteFile(filepath.Join(full, "mine.txt"), []byte("mine"), 0o644)
	tests := []struct {
		name, steps, values string
		target              string
		want                string
	}{
		{"unknown action, before anything runs", fetchStep + "    - id: x\n      name: Deploy\n      action: deploy:mainframe\n", `{}`, "", `the template has a step that cannot run here (a dry run skips them): t/template.yaml:17 step "x": action deploy:mainframe is not installed`},
		{"a folder with files", fetchStep, `{"name":"a"}`, full, "the target folder is not empty"},
		{"a relative target", fetchStep, `{"name":"a"}`, "relative/dir", "want an absolute path"},
		{"a fetch from outside the repository", "    - action: fetch:plain\n      input:\n        url: ../../etc\n", `{}`, "", "leaves the template's repository"},
		{"an absolute workspace path", "    - action: fs:delete\n      input:\n        files: ['/etc/passwd']\n", `{}`, "", "is absolute"},
		{"a file that never ends", "    - action: fetch:template:file\n      input:\n        url: ./other/bomb.txt\n        targetPath: bomb.txt\n", `{}`, "", `t/template.yaml:8 step "fetch:template:file": render t/other/bomb.txt: bomb.txt:1:13: template evaluation exceeded`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			target := tt.target
			if target == "" {
				target = filepath.Join(t.TempDir(), "out")
			}
			res, _ := run(t, tmpl(tt.steps), "t/template.yaml", Request{Values: values(t, tt.values), Target: target})
			if res.Status != Failed || !strings.Contains(res.Error, tt.want) {
				t.Errorf("%s: %q, want an error with %q", res.Status, res.Error, tt.want)
			}
			if got, _ := os.ReadFile(filepath.Join(full, "mine.txt")); string(got) != "mine" {
				t.Error("the user's file changed")
			}
		})
	}
}

// if, each (outputs become lists), always() and failure(), secrets kept
// out of logs.
func TestStepsFlow(t *testing.T) {
	t.Parallel()
	steps := `    - id: skip
      action: debug:log
      if: ${{ parameters.list | length > 5 }}
      input: {message: never}
    - id: empty
      action: debug:log
      if: ${{ [] }}
      input: {message: never}
    - id: loop
      action: fs:readdir
      each: ${{ parameters.list }}
      input:
        paths: ['.']
    - id: log
      action: debug:log
      input:
        message: 'token ${{ secrets.token }} for ${{ each }} ${{ steps.loop.output.files | length }}'
    - id: boom
      action: fetch:plain
      input: {url: ./missing}
    - id: after
      action: debug:log
      input: {message: not after a failure}
    - id: cleanup
      action: debug:log
      if: ${{ failure() }}
      input: {message: cleaning up}
    - id: always
      action: debug:log
      if: ${{ always() }}
      input: {message: always}
`
	res, _ := run(t, tmpl(steps), "t/template.yaml", Request{Values: values(t, `{"list":["a","b"]}`), Secrets: map[string]string{"token": "s3cret"}, Target: filepath.Join(t.TempDir(), "o")})
	status := map[string]Status{}
	for _, s := range res.Steps {
		status[s.ID] = s.Status
		for _, l := range s.Log {
			if strings.Contains(l, "s3cret") {
				t.Errorf("step %s logs the secret: %s", s.ID, l)
			}
		}
	}
	want := map[string]Status{"skip": Skipped, "empty": Skipped, "loop": Completed, "log": Completed, "boom": Failed, "after": Skipped, "cleanup": Completed, "always": Completed}
	for id, st := range want {
		if status[id] != st {
			t.Errorf("step %s: %s, want %s", id, status[id], st)
		}
	}
	if res.Status != Failed || !strings.Contains(res.Error, "boom") {
		t.Errorf("run: %s %s", res.Status, res.Error)
	}
	for _, s := range res.Steps {
		if s.ID == "log" && (len(s.Log) == 0 || s.Log[0] != "token *** for  2") {
			t.Errorf("log step: %q", s.Log)
		}
	}
}

// A step input whose rendering fails stays as written, as in Backstage,
// and the step's log says why.
func TestInputLeftAsWrittenIsLogged(t *testing.T) {
	t.Parallel()
	steps := `    - id: log
      action: debug:log
      input:
        message: 'branch-${{ "" | now }}'
`
	res, _ := run(t, tmpl(steps), "t/template.yaml", Request{Values: values(t, `{}`), Target: filepath.Join(t.TempDir(), "o")})
	if len(res.Steps) != 1 {
		t.Fatalf("steps: %+v", res.Steps)
	}
	log := res.Steps[0].Log
	want := `input message is left as written, as Backstage leaves it: value:1:17: unknown filter "now"`
	if len(log) != 2 || log[0] != want || log[1] != `branch-${{ "" | now }}` {
		t.Errorf("log = %q, want %q then the message as written", log, want)
	}
}

// Cancelling stops the run and leaves nothing behind.
func TestCancel(t *testing.T) {
	t.Parallel()
	tpl, err := load(tmpl(fetchStep+"    - action: debug:wait\n      input: {seconds: 30}\n"), "t/template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	target := filepath.Join(t.TempDir(), "out")
	work := t.TempDir()
	time.AfterFunc(200*time.Millisecond, cancel)
	res := NewRunner(nil, nil).Run(ctx, tpl, Request{Values: values(t, `{"name":"a"}`), Target: target, WorkDir: work}, nil)
	if res.Status != Cancelled {
		t.Errorf("status %s: %s", res.Status, res.Error)
	}
	if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
		t.Error("a cancelled run made the target")
	}
	if entries, _ := os.ReadDir(work); len(entries) != 0 {
		t.Errorf("the work folder keeps %v", entries)
	}
}
