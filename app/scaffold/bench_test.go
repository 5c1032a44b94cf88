package scaffold

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/app/catalog"
)

// The software-template benchmark of issue 8: a Go service template whose
// skeleton has 200 files, scaffolded end to end (template loaded, skeleton
// rendered, git repository with its first commit, catalog registration,
// project moved into place). scripts/bench.sh runs it beside
// conformance/nunjucks/bench.cjs, which renders the same skeleton with
// nunjitsu under Node.

// benchParameters are the form's answers.
const benchParameters = `{
  "name": "ferry-radar",
  "description": "Where the \"ferries\" are, live",
  "owner": "group:team-lighthouse",
  "system": "ferries",
  "port": 8081,
  "goVersion": "1.23",
  "docker": true,
  "database": true,
  "grpc": false,
  "tags": ["go", "ferries", "realtime"],
  "endpoints": [
    {"name": "listFerries", "method": "GET", "path": "/ferries", "summary": "List the ferries"},
    {"name": "getFerry", "method": "GET", "path": "/ferries/{id}", "summary": "One ferry"},
    {"name": "createFerry", "method": "POST", "path": "/ferries", "summary": "Add a ferry"},
    {"name": "updateFerry", "method": "PUT", "path": "/ferries/{id}", "summary": "Change a ferry"},
    {"name": "listPositions", "method": "GET", "path": "/ferries/{id}/positions", "summary": "Where a ferry has been"},
    {"name": "streamPositions", "method": "GET", "path": "/positions/live", "summary": "Positions as they come"}
  ],
  "repoUrl": "github.com?owner=marigold-ferries&repo=ferry-radar"
}`

// benchFetchValues are the values fetch:template renders the skeleton
// with, as template.yaml computes them from benchParameters: what the
// Node peer gets.
func benchFetchValues() map[string]any {
	var p map[string]any
	if err := json.Unmarshal([]byte(benchParameters), &p); err != nil {
		panic(err) // a constant
	}
	p["destination"] = map[string]any{"host": "github.com", "owner": "marigold-ferries", "repo": "ferry-radar"}
	return p
}

const benchTemplateYAML = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: go-service-200
  title: Go service (200-file skeleton)
  description: >-
    A Go HTTP service with its API, Helm chart, docs, migrations and test
    fixtures: the software-template benchmark's workload.
  tags:
    - go
spec:
  owner: team-lighthouse
  type: service
  parameters:
    - title: About the service
      required:
        - name
        - owner
      properties:
        name:
          title: Name
          type: string
          pattern: '^[a-z0-9]+(-[a-z0-9]+)*$'
        description:
          title: Description
          type: string
        owner:
          title: Owner
          type: string
          ui:field: OwnerPicker
        system:
          title: System
          type: string
          ui:field: EntityPicker
        port:
          title: Port
          type: integer
          default: 8080
        goVersion:
          title: Go version
          type: string
          default: "1.23"
    - title: Features
      properties:
        docker:
          title: Dockerfile
          type: boolean
          default: true
        database:
          title: PostgreSQL
          type: boolean
          default: false
        grpc:
          title: gRPC API
          type: boolean
          default: false
        tags:
          title: Tags
          type: array
          items:
            type: string
        endpoints:
          title: HTTP endpoints
          type: array
          items:
            type: object
            properties:
              name:
                type: string
              method:
                type: string
                enum: [GET, POST, PUT, DELETE]
              path:
                type: string
              summary:
                type: string
    - title: Where to put it
      required:
        - repoUrl
      properties:
        repoUrl:
          title: Repository location
          type: string
          ui:field: RepoUrlPicker
          ui:options:
            allowedHosts:
              - github.com
  steps:
    - id: fetch
      name: Fetch skeleton
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
          description: ${{ parameters.description }}
          owner: ${{ parameters.owner }}
          system: ${{ parameters.system }}
          port: ${{ parameters.port }}
          goVersion: ${{ parameters.goVersion }}
          docker: ${{ parameters.docker }}
          database: ${{ parameters.database }}
          grpc: ${{ parameters.grpc }}
          tags: ${{ parameters.tags }}
          endpoints: ${{ parameters.endpoints }}
          repoUrl: ${{ parameters.repoUrl }}
          destination: ${{ parameters.repoUrl | parseRepoUrl }}
    - id: publish
      name: Publish to GitHub
      action: publish:github
      input:
        allowedHosts:
          - github.com
        description: ${{ parameters.description }}
        repoUrl: ${{ parameters.repoUrl }}
        defaultBranch: main
    - id: register
      name: Register in the catalog
      action: catalog:register
      input:
        repoContentsUrl: ${{ steps.publish.output.repoContentsUrl }}
        catalogInfoPath: /catalog-info.yaml
  output:
    links:
      - title: Repository
        url: ${{ steps.publish.output.remoteUrl }}
      - title: Open in catalog
        icon: catalog
        entityRef: ${{ steps.register.output.entityRef }}
`

// writeBenchTemplate writes template.yaml and skeleton/ into dir, and
// values.json: the values fetch:template renders with.
func writeBenchTemplate(tb testing.TB, dir string) {
	tb.Helper()
	files := benchSkeleton()
	if len(files) != 200 {
		tb.Fatalf("the skeleton has %d files, want 200", len(files))
	}
	write := func(name string, data []byte, mode os.FileMode) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, data, mode); err != nil {
			tb.Fatal(err)
		}
	}
	write("template.yaml", []byte(benchTemplateYAML), 0o644)
	vals, err := json.MarshalIndent(benchFetchValues(), "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	write("values.json", append(vals, '\n'), 0o644)
	for name, f := range files {
		write("skeleton/"+name, []byte(f.content), f.mode)
	}
}

// TestWriteBenchTemplate writes the benchmark's template into the folder
// CALLBOARD_BENCH_WRITE_SKELETON names, for the Node peer of
// scripts/bench.sh.
func TestWriteBenchTemplate(t *testing.T) {
	dir := os.Getenv("CALLBOARD_BENCH_WRITE_SKELETON")
	if dir == "" {
		t.Skip("set CALLBOARD_BENCH_WRITE_SKELETON=DIR to write the benchmark's template there")
	}
	writeBenchTemplate(t, dir)
}

// The benchmark's template runs to completion, so the benchmark does not
// rot unseen.
func TestBenchTemplate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeBenchTemplate(t, dir)
	res := scaffoldBench(t, dir, filepath.Join(dir, "out"), filepath.Join(dir, "project"), false)
	checkBenchResult(t, res)
	templated := 0
	for _, f := range benchSkeleton() {
		if !strings.Contains(f.content, "\x00") && (strings.Contains(f.content, "${{") || strings.Contains(f.content, "{%")) {
			templated++
		}
	}
	if templated != 120 {
		t.Errorf("%d templated files, want 120", templated)
	}
	main, err := os.ReadFile(filepath.Join(dir, "project", "cmd", "ferry-radar", "main.go"))
	if err != nil || !strings.Contains(string(main), `"github.com/marigold-ferries/ferry-radar/internal/server"`) {
		t.Errorf("main.go: %v\n%s", err, main)
	}
}

// scaffoldBench runs the template in dir once, from the folder on disk to
// the project in target (a dry run when target is "").
func scaffoldBench(tb testing.TB, dir, work, target string, dry bool) Result {
	files, err := catalog.OpenDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	defer files.Close()
	tpl, err := load(files, "template.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	req := Request{
		Values:  values(tb, benchParameters),
		User:    User{Ref: "user:default/ada", Name: "Ada", Email: "ada@example.com"},
		WorkDir: work, Target: target, DryRun: dry,
	}
	return NewRunner(nil, nil).Run(context.Background(), tpl, req, nil)
}

func checkBenchResult(tb testing.TB, res Result) {
	tb.Helper()
	if res.Status != Completed {
		tb.Fatalf("status %s: %s", res.Status, res.Error)
	}
	n := 0
	for _, f := range res.Files {
		if !f.Dir {
			n++
		}
	}
	if n != 199 || len(res.Register) != 1 || len(res.Publish) != 1 {
		tb.Fatalf("%d files (want 199), register %+v, publish %+v", n, res.Register, res.Publish)
	}
}

// BenchmarkScaffold200Files: the template loaded from its folder, the
// skeleton rendered, a git repository with its first commit, the catalog
// file read for registration, the project moved into a fresh target.
// median-ms is the median of the iterations (ns/op is their mean);
// fetch-median-ms the median of the fetch:template step alone (rendering
// and writing the skeleton into the workspace, what the Node peer does).
func BenchmarkScaffold200Files(b *testing.B) { benchScaffold(b, false) }

// BenchmarkScaffold200FilesDryRun: the same without writing a project: the
// workspace's files and contents are returned instead, and no git.
func BenchmarkScaffold200FilesDryRun(b *testing.B) { benchScaffold(b, true) }

func benchScaffold(b *testing.B, dry bool) {
	dir := b.TempDir()
	writeBenchTemplate(b, dir)
	out := b.TempDir()
	work := filepath.Join(out, "work")
	target := func(i int) string {
		if dry {
			return ""
		}
		return filepath.Join(out, fmt.Sprintf("project-%d", i))
	}
	checkBenchResult(b, scaffoldBench(b, dir, work, target(-1), dry))
	times := make([]time.Duration, 0, b.N)
	fetch := make([]int64, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		res := scaffoldBench(b, dir, work, target(i), dry)
		times = append(times, time.Since(start))
		if res.Status != Completed {
			b.Fatalf("status %s: %s", res.Status, res.Error)
		}
		fetch = append(fetch, res.Steps[0].DurationMS)
	}
	b.StopTimer()
	slices.Sort(times)
	slices.Sort(fetch)
	b.ReportMetric(float64(times[len(times)/2])/float64(time.Millisecond), "median-ms")
	b.ReportMetric(float64(fetch[len(fetch)/2]), "fetch-median-ms")
}
