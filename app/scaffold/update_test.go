package scaffold

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/nunjucks"
)

const updateTemplate = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: svc
spec:
  type: service
  parameters:
    - title: Service
      required: [name]
      properties:
        name: {type: string}
        port: {type: number, default: 80}
        token: {type: string, ui:field: Secret}
%EXTRA%
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
          port: ${{ parameters.port }}
          license: ${{ parameters.license }}
`

// updateFiles are the update test's template at commit A or B.
func updateFiles(commit string) catalog.MapFiles {
	lines := func(n int, f func(i int) string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(f(i) + "\n")
		}
		return b.String()
	}
	body := lines(30, func(i int) string { return "line " + string(rune('a'+i%26)) + strings.Repeat("x", i) })
	if commit == "A" {
		return catalog.MapFiles{
			"template.yaml":             strings.Replace(updateTemplate, "%EXTRA%\n", "", 1),
			"skeleton/README.md":        "# ${{ values.name }}\n\nA service.\n\n## Run\n\nmake run\n",
			"skeleton/config.yaml":      "name: ${{ values.name }}\nport: ${{ values.port }}\nlevel: info\nretries: 3\ntimeout: 5s\nowner: nobody\n",
			"skeleton/Makefile":         "run:\n\tgo run .\n",
			"skeleton/main.go":          "package main\n\nfunc main() {}\n",
			"skeleton/docs/old-name.md": body,
			"skeleton/remove-me.txt":    "bye\n",
			"skeleton/kept-removed.txt": "the project changes me\n",
		}
	}
	return catalog.MapFiles{
		"template.yaml":             strings.Replace(updateTemplate, "%EXTRA%", "        license: {type: string, default: MIT}", 1),
		"skeleton/README.md":        "# ${{ values.name }} service\n\nA service.\n\n## Run\n\nmake run\n",
		"skeleton/config.yaml":      "name: ${{ values.name }}\nport: ${{ values.port }}\nlevel: info\nretries: 3\ntimeout: 5s\nowner: platform\n",
		"skeleton/Makefile":         "run:\n\tgo run .\n\ntest:\n\tgo test ./...\n",
		"skeleton/main.go":          "package main\n\nfunc main() {}\n",
		"skeleton/docs/new-name.md": strings.Replace(body, "line c", "line C", 1),
		"skeleton/LICENSE":          "${{ values.license }}\n",
	}
}

// commitAllIn commits the whole worktree of the repository at dir.
func commitAllIn(t *testing.T, dir, msg string) {
	t.Helper()
	repo, err := git.PlainOpen(dir)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		repo, err = git.PlainInitWithOptions(dir, &git.PlainInitOptions{InitOptions: git.InitOptions{DefaultBranch: plumbing.Main}})
	}
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "Ada", Email: "ada@example.com", When: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	if _, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
		t.Fatal(err)
	}
}

func writeIn(t *testing.T, dir, name, data string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readIn(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestUpdate: a template at commit A makes a project; the project edits
// some files; the template moves to B changing some of the same files
// and others. Each merged file is what git merge-file gives, conflicts
// are marked, the answers are kept (the secret asked again, the new
// question's default taken), a renamed skeleton file takes the
// project's edits along, and the update is one commit on its branch.
func TestUpdate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := NewRunner(nil, nil)
	work := t.TempDir()
	tplA, err := load(updateFiles("A"), "template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	answers := values(t, `{"name":"radar","port":8081}`)
	rec, err := NewRecord(tplA, "loc", "A", answers, map[string]string{"token": "s3cret"}, "1.2.3", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	recJSON, err := rec.Encode()
	if err != nil {
		t.Fatal(err)
	}
	project := filepath.Join(t.TempDir(), "radar")
	res := r.Run(ctx, tplA, Request{Values: answers, Secrets: map[string]string{"token": "s3cret"}, Target: project, WorkDir: work, Record: recJSON}, nil)
	if res.Status != Completed {
		t.Fatalf("scaffold: %s %s", res.Status, res.Error)
	}
	if got := readIn(t, project, RecordPath); strings.Contains(got, "s3cret") || !strings.Contains(got, `"askAgain": true`) {
		t.Fatalf("the record keeps a secret or forgets to ask again:\n%s", got)
	}
	commitAllIn(t, project, "made from the template")

	// The project's own changes.
	writeIn(t, project, "README.md", "# radar, the ferry tracker\n\nA service.\n\n## Run\n\nmake run\n")
	writeIn(t, project, "config.yaml", "name: radar\nport: 9000\nlevel: info\nretries: 3\ntimeout: 5s\nowner: nobody\n")
	writeIn(t, project, "main.go", "package main\n\nfunc main() { println(\"radar\") }\n")
	writeIn(t, project, "kept-removed.txt", "changed by the project\n")
	old := readIn(t, project, "docs/old-name.md")
	writeIn(t, project, "docs/old-name.md", strings.Replace(old, "line k", "line K (project)", 1))
	commitAllIn(t, project, "project edits")

	got, err := ReadRecord(project)
	if err != nil {
		t.Fatal(err)
	}
	oldValues, again, err := got.Answers()
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 0 || got.Secrets["token"] != (AskAgain{true}) {
		t.Fatalf("answers to ask again: fields %v, secrets %v", again, got.Secrets)
	}
	tplB, err := load(updateFiles("B"), "template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	newValues := nunjucks.NewObject()
	for _, k := range oldValues.Keys() {
		v, _ := oldValues.Get(k)
		newValues.Set(k, v)
	}
	newValues.Set("license", "MIT")
	oldTree, err := r.Render(ctx, tplA, oldValues, nil, User{}, work)
	if err != nil {
		t.Fatal(err)
	}
	newTree, err := r.Render(ctx, tplB, newValues, nil, User{}, work)
	if err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(project)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	plan, err := PlanUpdate(oldTree, newTree, root.FS())
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]string{}
	for _, f := range plan.Files {
		actions[f.Path] = string(f.Do) + " " + f.From
	}
	want := map[string]string{
		"README.md":        "conflict ",
		"config.yaml":      "merge ",
		"Makefile":         "update ",
		"docs/new-name.md": "rename docs/old-name.md",
		"remove-me.txt":    "remove ",
		"kept-removed.txt": "keep ",
		"LICENSE":          "add ",
	}
	if diff := cmp.Diff(want, actions); diff != "" {
		t.Fatalf("actions (-want +got):\n%s", diff)
	}
	if plan.Conflicts != 1 {
		t.Errorf("conflicts %d, want 1", plan.Conflicts)
	}
	// Every merge is git's.
	for _, f := range plan.Files {
		if f.Do != FileMerge && f.Do != FileConflict && f.Do != FileRename {
			continue
		}
		gitOut := gitMergeFile(t, f.Old, f.Current, f.New)
		if diff := cmp.Diff(gitOut, string(f.Merged)); diff != "" {
			t.Errorf("%s: merge differs from git merge-file (-git +ours):\n%s", f.Path, diff)
		}
	}

	newRec := got
	newRec.Commit = "B"
	newRec.Values = encodeValues(t, newValues)
	applied, err := ApplyUpdate(ctx, project, plan, newRec, User{Name: "Ada", Email: "ada@example.com"}, "Update from template\n")
	if err != nil {
		t.Fatal(err)
	}
	if applied.Branch != "callboard/template-update/B" {
		t.Errorf("branch %q", applied.Branch)
	}
	if got := readIn(t, project, "README.md"); !strings.Contains(got, "<<<<<<< project\n# radar, the ferry tracker\n=======\n# radar service\n>>>>>>> template\n") {
		t.Errorf("README.md without its conflict:\n%s", got)
	}
	if got := readIn(t, project, "config.yaml"); got != "name: radar\nport: 9000\nlevel: info\nretries: 3\ntimeout: 5s\nowner: platform\n" {
		t.Errorf("config.yaml:\n%s", got)
	}
	if got := readIn(t, project, "main.go"); !strings.Contains(got, "println") {
		t.Errorf("main.go lost the project's change:\n%s", got)
	}
	if got := readIn(t, project, "docs/new-name.md"); !strings.Contains(got, "line K (project)") || !strings.Contains(got, "line C") {
		t.Errorf("the renamed file lost a side's change:\n%s", got)
	}
	for _, gone := range []string{"docs/old-name.md", "remove-me.txt"} {
		if _, err := os.Stat(filepath.Join(project, gone)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still there: %v", gone, err)
		}
	}
	if got := readIn(t, project, "LICENSE"); got != "MIT\n" {
		t.Errorf("LICENSE %q", got)
	}
	after, err := ReadRecord(project)
	if err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, after.Values); err != nil {
		t.Fatal(err)
	}
	if after.Commit != "B" || compact.String() != `{"name":"radar","port":8081,"license":"MIT"}` {
		t.Errorf("record after the update: commit %s, values %s", after.Commit, compact.String())
	}
	repo, err := git.PlainOpen(project)
	if err != nil {
		t.Fatal(err)
	}
	head, err := repo.Head()
	if err != nil {
		t.Fatal(err)
	}
	if head.Name().Short() != applied.Branch || head.Hash().String() != applied.Commit {
		t.Errorf("HEAD %s at %s, want %s at %s", head.Name().Short(), head.Hash(), applied.Branch, applied.Commit)
	}
	wt, _ := repo.Worktree()
	if st, _ := wt.Status(); !st.IsClean() {
		t.Errorf("the update left changes out of its commit:\n%s", st)
	}

	// Once more: the branch exists; and a dirty checkout is refused.
	if _, err := ApplyUpdate(ctx, project, plan, newRec, User{}, "again\n"); !errors.Is(err, ErrBranchExists) {
		t.Errorf("a second update to B: %v, want ErrBranchExists", err)
	}
	writeIn(t, project, "main.go", "dirty\n")
	newRec.Commit = "C"
	if _, err := ApplyUpdate(ctx, project, plan, newRec, User{}, "dirty\n"); !errors.Is(err, ErrDirty) {
		t.Errorf("a dirty checkout: %v, want ErrDirty", err)
	}
}

func encodeValues(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// gitMergeFile is `git merge-file -p` of the three texts.
func gitMergeFile(t *testing.T, base, ours, theirs []byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range map[string][]byte{"base": base, "ours": ours, "theirs": theirs} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("git", "merge-file", "-p", "-L", ProjectLabel, "-L", "base", "-L", TemplateLabel, "ours", "base", "theirs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() < 0 || exit.ExitCode() > 127 {
			t.Fatalf("git merge-file: %v", err)
		}
	}
	return out.String()
}
