package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callboard/callboard/sync/gittest"
)

const updateTemplateYAML = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: svc
spec:
  type: service
  parameters:
    - properties:
        name: {type: string}
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
`

// callboard scaffold update: a project made from a catalog template, the
// template moved on, a dry run that writes nothing and an update that
// commits on its branch, exit 1 for the conflict it leaves.
func TestScaffoldUpdate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	data := t.TempDir()
	tpl := gittest.New(t)
	tpl.Commit("A template", map[string][]byte{
		"catalog-info.yaml":    []byte(updateTemplateYAML),
		"skeleton/README.md":   []byte("# ${{ values.name }}\n"),
		"skeleton/Makefile":    []byte("run:\n\tgo run .\n"),
		"skeleton/config.yaml": []byte("level: info\n"),
	})
	if r := run(ctx, nil, nil, "location", "add", tpl.Dir, "--data-dir", data); r.code != 0 {
		t.Fatalf("location add = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	values := filepath.Join(t.TempDir(), "values.json")
	os.WriteFile(values, []byte(`{"name":"radar"}`), 0o644)
	project := filepath.Join(t.TempDir(), "radar")
	if r := run(ctx, nil, nil, "scaffold", "template:svc", "--values", values, "--out", project, "--data-dir", data); r.code != 0 {
		t.Fatalf("scaffold = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	gittest.Git(t, project, "init", "-q", "-b", "main")
	os.WriteFile(filepath.Join(project, "config.yaml"), []byte("level: debug\n"), 0o644)
	gittest.Git(t, project, "add", "-A")
	gittest.Git(t, project, "commit", "-q", "-m", "New project")

	if r := run(ctx, nil, nil, "scaffold", "update", project, "--dry-run", "--data-dir", data); r.code != 0 || !strings.Contains(r.stdout, "nothing to change") {
		t.Errorf("an update before the template moved = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	tpl.Commit("Run the tests too", map[string][]byte{
		"skeleton/Makefile":    []byte("run:\n\tgo run .\n\ntest:\n\tgo test ./...\n"),
		"skeleton/config.yaml": []byte("level: warn\n"),
	})
	if r := run(ctx, nil, nil, "sync", "--data-dir", data); r.code != 0 {
		t.Fatalf("sync = %d\n%s", r.code, r.stderr)
	}

	dry := run(ctx, nil, nil, "scaffold", "update", project, "--dry-run", "--json", "--data-dir", data)
	var rep struct {
		Available bool `json:"available"`
		Conflicts int  `json:"conflicts"`
		Commits   []struct {
			Subject string `json:"subject"`
		} `json:"commits"`
		Files []struct {
			Path   string `json:"path"`
			Action string `json:"action"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(dry.stdout), &rep); err != nil || dry.code != 1 || !rep.Available || rep.Conflicts != 1 ||
		len(rep.Commits) != 1 || rep.Commits[0].Subject != "Run the tests too" || len(rep.Files) != 2 {
		t.Fatalf("dry run = %d %v\n%s%s", dry.code, err, dry.stdout, dry.stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(project, "Makefile")); strings.Contains(string(b), "test:") {
		t.Errorf("the dry run wrote the Makefile")
	}

	r := run(ctx, nil, nil, "scaffold", "update", project, "--data-dir", data)
	if r.code != 1 || !strings.Contains(r.stdout, "update    Makefile") || !strings.Contains(r.stdout, "conflict  config.yaml (1 conflicts)") ||
		!strings.Contains(r.stdout, "on branch callboard/template-update/") || !strings.Contains(r.stderr, "1 conflicts to resolve") {
		t.Fatalf("update = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(project, "config.yaml")); string(b) != "<<<<<<< project\nlevel: debug\n=======\nlevel: warn\n>>>>>>> template\n" {
		t.Errorf("config.yaml after the update:\n%s", b)
	}
	if bad := run(ctx, nil, nil, "scaffold", "update", "--data-dir", data); bad.code != 2 {
		t.Errorf("scaffold update without a folder = %d\n%s", bad.code, bad.stderr)
	}
	if bad := run(ctx, nil, nil, "scaffold", "update", project, "--dry-run", "--push", "--data-dir", data); bad.code != 2 {
		t.Errorf("scaffold update --dry-run --push = %d\n%s", bad.code, bad.stderr)
	}
}

// callboard scaffold update --push: the update's branch reaches origin
// as callboard/template-update/<template>; a newer update replaces it;
// an origin that cannot be reached exits 1 saying so.
func TestScaffoldUpdatePush(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	data := t.TempDir()
	tpl := gittest.New(t)
	tpl.Commit("A template", map[string][]byte{"catalog-info.yaml": []byte(updateTemplateYAML), "skeleton/README.md": []byte("# ${{ values.name }}\n")})
	if r := run(ctx, nil, nil, "location", "add", tpl.Dir, "--data-dir", data); r.code != 0 {
		t.Fatalf("location add = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	values := filepath.Join(t.TempDir(), "values.json")
	os.WriteFile(values, []byte(`{"name":"radar"}`), 0o644)
	project := filepath.Join(t.TempDir(), "radar")
	if r := run(ctx, nil, nil, "scaffold", "template:svc", "--values", values, "--out", project, "--data-dir", data); r.code != 0 {
		t.Fatalf("scaffold = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	origin := filepath.Join(t.TempDir(), "origin.git")
	gittest.Git(t, filepath.Dir(origin), "init", "-q", "--bare", "-b", "main", origin)
	gittest.Git(t, project, "init", "-q", "-b", "main")
	gittest.Git(t, project, "add", "-A")
	gittest.Git(t, project, "commit", "-q", "-m", "New project")
	gittest.Git(t, project, "remote", "add", "origin", origin)
	gittest.Git(t, project, "push", "-q", "origin", "main")

	update := func(subject, readme string) result {
		t.Helper()
		tpl.Commit(subject, map[string][]byte{"skeleton/README.md": []byte(readme)})
		if r := run(ctx, nil, nil, "sync", "--data-dir", data); r.code != 0 {
			t.Fatalf("sync = %d\n%s", r.code, r.stderr)
		}
		gittest.Git(t, project, "checkout", "-q", "main")
		return run(ctx, nil, nil, "scaffold", "update", project, "--push", "--json", "--data-dir", data)
	}
	for _, step := range []struct{ subject, readme string }{
		{"Say what it is", "# ${{ values.name }}\n\nA service.\n"},
		{"Say more", "# ${{ values.name }}\n\nA service, made with svc.\n"}, // replaces the branch pushed before
	} {
		r := update(step.subject, step.readme)
		var rep struct {
			Commit string `json:"commit"`
			Push   struct {
				RemoteBranch string `json:"remoteBranch"`
				Commit       string `json:"commit"`
				Error        string `json:"error"`
			} `json:"push"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != 0 || rep.Push.RemoteBranch != "callboard/template-update/svc" ||
			rep.Push.Commit != rep.Commit || rep.Push.Error != "" {
			t.Fatalf("update --push (%s) = %d %v\n%s%s", step.subject, r.code, err, r.stdout, r.stderr)
		}
		if got := strings.TrimSpace(gittest.Git(t, origin, "rev-parse", "callboard/template-update/svc")); got != rep.Commit {
			t.Errorf("origin's update branch = %s, want %s", got, rep.Commit)
		}
	}

	gittest.Git(t, project, "remote", "set-url", "origin", "http://127.0.0.1:1/radar.git")
	r := update("Say it again", "# ${{ values.name }}\n\nA service, made with svc, again.\n")
	if r.code != 1 || !strings.Contains(r.stderr, "not pushed: offline") || !strings.Contains(r.stdout, `"cause": "offline"`) {
		t.Errorf("update --push offline = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
