package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestNoEagerRegistries keeps out of the CLI the packages that build
// large registries at program start: every command, even one a running
// window answers, would pay for them before main (BENCHMARKS.md, "A quick
// CLI"). app/highlight parses its lexers on first use instead.
func TestNoEagerRegistries(t *testing.T) {
	t.Parallel()
	// go test puts its own toolchain first on the test's PATH.
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	for _, p := range []string{
		"github.com/alecthomas/chroma/v2/lexers",
		"github.com/alecthomas/chroma/v2/styles",
		"github.com/yuin/goldmark-highlighting/v2",
	} {
		if slices.Contains(deps, p) {
			t.Errorf("callboard links %s, whose package init parses every definition it holds", p)
		}
	}
}
