package instance

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
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

// childRun tells the re-executed test binary to run a template on a data
// dir until it is killed: "<case>\n<data dir>\n<target>".
const childRun = "CALLBOARD_TEST_KILLED_RUN"

func open(t *testing.T, root string) *Local {
	t.Helper()
	l, err := Open(context.Background(), Config{Root: root, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// useTemplate makes the demo's static-website template run steps.
func useTemplate(t *testing.T, l *Local, steps string) {
	t.Helper()
	ctx := context.Background()
	if _, err := l.Service.Sync(ctx, portal.DemoLocationID); err != nil {
		t.Fatal(err)
	}
	content := "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: static-website\nspec:\n  owner: group:default/platform\n  type: service\n" +
		"  parameters:\n    - properties:\n        text: {type: string}\n  steps:\n" + steps
	if _, err := l.Service.WriteFile(ctx, portal.FileWrite{LocationID: portal.DemoLocationID, Path: "templates/static-website/template.yaml", Content: content, Message: "test"}); err != nil {
		t.Fatal(err)
	}
}

// waitStep polls the run until its first step runs.
func waitStep(t *testing.T, l *Local, id string) {
	t.Helper()
	for {
		got, err := l.Service.ScaffoldRun(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Steps[0].Status == string(scaffold.Running) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// moveFiles is how many files the "moving" case's project has: enough
// that copying them to another disk takes a while.
const moveFiles = 1500

// killCases are where a run is when its process is killed.
var killCases = map[string]struct {
	steps string
	// values are the form's answers.
	values string
	// otherDisk puts the target on another file system than the data dir,
	// so the project is copied beside it, then renamed.
	otherDisk bool
}{
	// A step is running: the project is in the run's private workspace.
	"in a step": {steps: "    - id: wait\n      action: debug:wait\n      input: {minutes: 5}\n"},
	// The run is copying the project to the target's disk.
	"moving the project": {steps: fmt.Sprintf("    - id: write\n      action: catalog:write\n      each: ${{ range(0, %d) }}\n      input:\n"+
		"        filePath: 'files/${{ each.value }}.yaml'\n        entity: {apiVersion: backstage.io/v1alpha1, kind: Component, metadata: {name: 'c${{ each.value }}', description: '${{ parameters.text }}'}}\n", moveFiles),
		values: `{"text":"` + strings.Repeat("x", 1<<10) + `"}`, otherDisk: true},
}

// A run whose app is killed mid-way is marked interrupted at the next
// open, with nothing left of it in the target folder, in the data dir's
// workspaces or beside the target; Cancel then answers for it.
func TestKilledRunIsInterrupted(t *testing.T) {
	if v := os.Getenv(childRun); v != "" {
		runUntilKilled(t, strings.Split(v, "\n"))
		return
	}
	for name, tc := range killCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			target := filepath.Join(t.TempDir(), "project")
			if tc.otherDisk {
				shm, err := os.MkdirTemp("/dev/shm", "callboard-test-")
				if err != nil || sameDisk(root, shm) {
					t.Skipf("needs a second file system for the target (/dev/shm, apart from %s): %v", root, err)
				}
				t.Cleanup(func() { os.RemoveAll(shm) })
				target = filepath.Join(shm, "project")
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestKilledRunIsInterrupted$")
			cmd.Env = append(os.Environ(), childRun+"="+name+"\n"+root+"\n"+target)
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
			partial := scaffold.PartialDir(target)
			if tc.otherDisk {
				// Killed once the copy beside the target is under way.
				for copied(partial) < 10 && exists(target) == nil {
					time.Sleep(time.Millisecond)
				}
			} else if found, _ := filepath.Glob(workspaces); len(found) != 1 {
				t.Fatalf("workspaces of the live run: %v", found)
			}
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			cmd.Wait()
			moved := exists(target) != nil
			if tc.otherDisk && moved {
				t.Log("the copy was over before the kill: the target is whole")
			}

			l := open(t, root)
			defer l.Close()
			ctx := context.Background()
			runs, err := l.Service.ScaffoldRuns(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range runs {
				if r.Status == string(scaffold.Running) || r.Status == string(scaffold.Pending) {
					t.Errorf("run %s is still %s", r.ID, r.Status)
				}
			}
			run, err := l.Service.ScaffoldRun(ctx, id)
			if err != nil || run.Status != string(scaffold.Interrupted) || !strings.Contains(run.Error, "Callboard stopped during this run") {
				t.Errorf("after the kill: %s %q, %v", run.Status, run.Error, err)
			}
			if found, _ := filepath.Glob(workspaces); len(found) != 0 {
				t.Errorf("workspaces left: %v", found)
			}
			if err := exists(partial); err != nil {
				t.Errorf("the partial copy is left beside the target: %v", err)
			}
			switch files, _ := filepath.Glob(filepath.Join(target, "files", "*.yaml")); {
			case !moved && exists(target) != nil:
				t.Errorf("the target appeared after the kill")
			case moved && len(files) != moveFiles:
				t.Errorf("the target holds %d of the project's %d files", len(files), moveFiles)
			}
			if err := l.Service.CancelScaffold(ctx, id); err != nil {
				t.Errorf("cancel the interrupted run: %v", err)
			}
		})
	}
}

// exists is nil when p does not exist, else an error saying it does.
func exists(p string) error {
	if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return fmt.Errorf("%s exists", p)
}

// copied counts the project's files copied into dir so far.
func copied(dir string) int {
	names, _ := os.ReadDir(filepath.Join(dir, "files"))
	return len(names)
}

// runUntilKilled is the child: it starts the case's run, says its id
// (once its step runs, for a run that waits), and waits to be killed.
func runUntilKilled(t *testing.T, args []string) {
	name, root, target := args[0], args[1], args[2]
	tc := killCases[name]
	ctx := context.Background()
	l := open(t, root)
	useTemplate(t, l, tc.steps)
	run, err := l.Service.Scaffold(ctx, portal.ScaffoldRequest{Template: "template:static-website", Values: []byte(tc.values), Target: target})
	if err != nil {
		t.Fatal(err)
	}
	if !tc.otherDisk {
		waitStep(t, l, run.ID)
	}
	fmt.Printf("run %s\n", run.ID)
	select {}
}

// Closing the instance during a run cancels the run and waits for it:
// Close returns within its bound, the run is stored as cancelled before
// the store closes, and nothing is left in the target or the workspaces.
func TestCloseDuringARun(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	target := filepath.Join(t.TempDir(), "project")
	l := open(t, root)
	useTemplate(t, l, "    - id: wait\n      action: debug:wait\n      input: {minutes: 5}\n")
	ctx := context.Background()
	if err := l.Start(time.Hour); err != nil {
		t.Fatal(err)
	}
	run, err := l.Service.Scaffold(ctx, portal.ScaffoldRequest{Template: "template:static-website", Target: target})
	if err != nil {
		t.Fatal(err)
	}
	waitStep(t, l, run.ID)
	if err := l.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	if _, err := l.Service.Scaffold(ctx, portal.ScaffoldRequest{Template: "template:static-website", Target: target}); err == nil {
		t.Error("a run started on a closed instance")
	}

	l = open(t, root)
	defer l.Close()
	got, err := l.Service.ScaffoldRun(ctx, run.ID)
	if err != nil || got.Status != string(scaffold.Cancelled) || got.Finished == "" || got.Steps[0].Status != string(scaffold.Cancelled) {
		t.Errorf("the run after Close: %s (step %s), finished %q, %v", got.Status, got.Steps[0].Status, got.Finished, err)
	}
	if err := exists(target); err != nil {
		t.Error(err)
	}
	if found, _ := filepath.Glob(filepath.Join(root, "scaffold", scaffold.WorkspacePrefix+"*")); len(found) != 0 {
		t.Errorf("workspaces left: %v", found)
	}
}
