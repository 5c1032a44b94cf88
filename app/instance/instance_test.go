package instance

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/scaffold"
)

// childData names the data dir the re-executed test binary runs a
// template in until it is killed.
const childData = "CALLBOARD_TEST_KILLED_RUN_DATA"

func open(t *testing.T, root string) *Local {
	t.Helper()
	l, err := Open(context.Background(), Config{Root: root, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// A run whose app is killed mid-way (finding 10) is marked interrupted at
// the next open, its workspace is removed, and Cancel answers for it.
func TestKilledRunIsInterrupted(t *testing.T) {
	if root := os.Getenv(childData); root != "" {
		runUntilKilled(t, root)
		return
	}
	t.Parallel()
	root := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledRunIsInterrupted$")
	cmd.Env = append(os.Environ(), childData+"="+root)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	ids := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if id, ok := strings.CutPrefix(sc.Text(), "run "); ok {
				ids <- id
				break
			}
		}
		io.Copy(io.Discard, out)
	}()
	var id string
	select {
	case id = <-ids:
	case <-time.After(2 * time.Minute):
		t.Fatal("the child never started its run")
	}
	workspaces := filepath.Join(root, "scaffold", scaffold.WorkspacePrefix+id+"-*")
	if found, _ := filepath.Glob(workspaces); len(found) != 1 {
		t.Fatalf("workspaces of the live run: %v", found)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	l := open(t, root)
	defer l.Close()
	ctx := context.Background()
	run, err := l.Service.ScaffoldRun(ctx, id)
	if err != nil || run.Status != string(scaffold.Interrupted) || !strings.Contains(run.Error, "Callboard stopped during this run") {
		t.Errorf("after the kill: %s %q, %v", run.Status, run.Error, err)
	}
	if found, _ := filepath.Glob(workspaces); len(found) != 0 {
		t.Errorf("workspaces left: %v", found)
	}
	if err := l.Service.CancelScaffold(ctx, id); err != nil {
		t.Errorf("cancel the interrupted run: %v", err)
	}
}

// runUntilKilled is the child: it starts a run that waits, says its id,
// and waits to be killed.
func runUntilKilled(t *testing.T, root string) {
	ctx := context.Background()
	l := open(t, root)
	if _, err := l.Service.Sync(ctx, portal.DemoLocationID); err != nil {
		t.Fatal(err)
	}
	const slow = "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: static-website\nspec:\n  owner: group:default/platform\n  type: service\n  steps:\n    - id: wait\n      action: debug:wait\n      input: {minutes: 5}\n"
	if _, err := l.Service.WriteFile(ctx, portal.FileWrite{LocationID: portal.DemoLocationID, Path: "templates/static-website/template.yaml", Content: slow, Message: "slow"}); err != nil {
		t.Fatal(err)
	}
	run, err := l.Service.Scaffold(ctx, portal.ScaffoldRequest{Template: "template:static-website", Target: filepath.Join(root, "project")})
	if err != nil {
		t.Fatal(err)
	}
	for {
		got, err := l.Service.ScaffoldRun(ctx, run.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Steps[0].Status == string(scaffold.Running) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	fmt.Printf("run %s\n", run.ID)
	select {}
}
