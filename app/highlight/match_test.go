package highlight

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestMatchAsChroma checks that get finds what chroma's Get finds, for
// every name, alias and file pattern of the set (as given, as extensions,
// with backup suffixes) and names that are none of them.
func TestMatchAsChroma(t *testing.T) {
	t.Parallel()
	reg, err := build()
	if err != nil {
		t.Fatal(err)
	}
	known := knownNames(reg)
	names := []string{
		"", "txt", "text", "Text", "none", "json5", "cmd", "cli", "csv", "webidl",
		"require", "ps", "mermaid", "mjs", "cjs", "markdown", "md", "JS", "Dockerfile",
		"Makefile", "makefile", "CMakeLists.txt", "js.bak", "py~", "c.in", "h.orig",
		"foo.rpmnew", "x.dpkg-old", ".bashrc", "bashrc", "a/b.py", "no-such-language",
	}
	// chroma's Get takes 6 ms a name that is no lexer's: every lexer's
	// first pattern, and every tenth lexer's all, with variants.
	for i, l := range reg.Lexers {
		c := l.Config()
		names = append(names, c.Name, strings.ToUpper(c.Name))
		names = append(names, c.Aliases...)
		for j, glob := range append(append([]string{}, c.Filenames...), c.AliasFilenames...) {
			if _, err := filepath.Match(glob, ""); err != nil {
				t.Errorf("%s: file pattern %q does not parse: %v", c.Name, glob, err)
			}
			ext := strings.TrimPrefix(glob, "*.")
			if j == 0 {
				names = append(names, ext)
			}
			if i%10 == 0 {
				names = append(names, glob, ext+".bak", ext+"~", ext+".in", "x"+ext, strings.ToUpper(ext))
			}
		}
	}
	seen := map[string]bool{}
	for _, name := range names {
		if seen[name] {
			continue
		}
		seen[name] = true
		if got, want := get(reg, known, name), reg.Get(name); got != want {
			t.Errorf("get(%q) = %v, chroma's Get = %v", name, got, want)
		}
	}
}
