package scaffold

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// runNodeOracle hands cases as JSON to a Node oracle script, with the
// packages installed in dir, and reads its answers: the one way both of
// this package's differential tests (Backstage's runner, Roadie's
// actions) ask npm code.
func runNodeOracle[A, C any](t *testing.T, dir, script string, cases []C) []A {
	t.Helper()
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	script, err = filepath.Abs(script)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", script)
	cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(dir, "node_modules"))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v\n%s", err, stderr.String())
	}
	var answers []A
	if err := json.Unmarshal(out, &answers); err != nil {
		t.Fatalf("oracle output: %v", err)
	}
	return answers
}
