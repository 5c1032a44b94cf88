package techdocs

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/callboard/callboard/app/catalog"
)

// mkdocsConfig turns on what Backstage's techdocs-core turns on, with the
// Material theme, so mkdocs does the work TechDocs asks of it.
const benchConfig = `site_name: Bench
theme:
  name: material
markdown_extensions:
  - admonition
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.highlight
  - pymdownx.tasklist
  - tables
  - footnotes
  - def_list
  - attr_list
`

// page is a docs page using the constructs TechDocs sites use.
func benchPage(i int) string {
	return fmt.Sprintf(`# Page %d

Some **text** with a [link](page-%d.md) and a footnote[^1].

## Install

!!! note "Before you start"
    Check the runbook for page %d.

??? tip "More"
    Hidden details.

=== "Go"

    `+"```go\n    package main\n\n    func main() { println(%d) }\n    ```"+`

=== "Python"

    `+"```python\n    print(%d)\n    ```"+`

## Settings

| Name | Value |
| --- | --- |
| size | %d |
| mode | fast |

- [x] done
- [ ] to do

[^1]: A note.
`, i, (i+1)%1000, i, i, i, i)
}

func benchSite(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "docs"), 0o755); err != nil {
		b.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "mkdocs.yml"), []byte(benchConfig), 0o644)
	os.WriteFile(filepath.Join(dir, "docs", "index.md"), []byte("# Bench\n"), 0o644)
	for i := range n {
		if err := os.WriteFile(filepath.Join(dir, "docs", fmt.Sprintf("page-%d.md", i)), []byte(benchPage(i)), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// BenchmarkBuildSite: a 1,000-page site built by Callboard and by mkdocs.
func BenchmarkBuildSite(b *testing.B) {
	benchBuild(b, benchSite(b, 1000))
}

// BenchmarkBuildReadmes: the site of real READMEs scripts/readmesite.py
// writes (make bench sets CALLBOARD_BENCH_READMES), built by Callboard and
// by mkdocs.
func BenchmarkBuildReadmes(b *testing.B) {
	dir := os.Getenv("CALLBOARD_BENCH_READMES")
	if dir == "" {
		b.Skip("CALLBOARD_BENCH_READMES is not set; `make bench` writes the site with scripts/readmesite.py and sets it")
	}
	benchBuild(b, dir)
}

// benchBuild builds the site in dir in process, with the command named
// by CALLBOARD_BENCH_CLI (start-up included: callboard docs build) when
// set, and with mkdocs.
func benchBuild(b *testing.B, dir string) {
	if cli := os.Getenv("CALLBOARD_BENCH_CLI"); cli != "" {
		b.Run("cli", func(b *testing.B) {
			for b.Loop() {
				cmd := exec.Command(cli, "docs", "build", ".", "--out", filepath.Join(b.TempDir(), "site"))
				cmd.Dir = dir
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("callboard docs build: %v\n%s", err, out)
				}
			}
		})
	}
	b.Run("callboard", func(b *testing.B) {
		for b.Loop() {
			files, err := catalog.OpenDir(dir)
			if err != nil {
				b.Fatal(err)
			}
			site, err := Load(files, ".")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := site.Build(context.Background(), files, filepath.Join(b.TempDir(), "site")); err != nil {
				b.Fatal(err)
			}
			files.Close()
		}
	})
	b.Run("mkdocs", func(b *testing.B) {
		if _, err := exec.LookPath("mkdocs"); err != nil {
			b.Skip("mkdocs not installed (Debian's mkdocs, mkdocs-material, python3-pymdownx)")
		}
		for b.Loop() {
			cmd := exec.Command("mkdocs", "build", "--quiet", "--site-dir", filepath.Join(b.TempDir(), "site"))
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("mkdocs build: %v\n%s", err, out)
			}
		}
	})
}

// BenchmarkRenderPage: one page rendered from scratch.
func BenchmarkRenderPage(b *testing.B) {
	src := []byte(benchPage(7))
	for b.Loop() {

		if _, err := render("page-7.md", src, Links{Permalink: "¶"}, nil); err != nil {
			b.Fatal(err)
		}

	}
}
