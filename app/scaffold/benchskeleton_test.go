package scaffold

import (
	"fmt"
	"os"
	"strings"
)

// The skeleton of the benchmark's template (bench_test.go): a Go service
// of 200 files, generated the same way every time.

// benchFile is a file of the skeleton.
type benchFile struct {
	content string
	mode    os.FileMode
}

// benchSkeleton is the skeleton: 200 files, 120 of them templated, the
// same every time. One file's name renders empty (grpc is false), so a
// run writes 199.
func benchSkeleton() map[string]benchFile {
	files := map[string]benchFile{}
	add := func(name, content string) { files[name] = benchFile{content, 0o644} }
	w := &words{state: 8}

	// Templated (120).
	add("catalog-info.yaml", catalogInfoTmpl)
	add("README.md", readmeTmpl+w.paragraphs(3, "${{ values.name }}"))
	add("CHANGELOG.md", "# Changelog of ${{ values.name }}\n\n## 0.1.0\n\n- Scaffolded from the go-service-200 template for ${{ values.owner | replace(\"group:\", \"\") }}.\n")
	add("mkdocs.yml", "site_name: ${{ values.name | title }}\nsite_description: ${{ values.description | dump }}\nnav:\n  - Home: index.md\n{% for i in range(1, 23) %}  - Page ${{ i }}: page-${{ i }}.md\n{% endfor %}plugins:\n  - techdocs-core\n")
	add("Makefile", makefileTmpl)
	add("go.mod", "module github.com/${{ values.destination.owner }}/${{ values.destination.repo }}\n\ngo ${{ values.goVersion }}\n\nrequire (\n{%- if values.database %}\n\tgithub.com/jackc/pgx/v5 v5.7.1\n{%- endif %}\n\tgolang.org/x/sync v0.8.0\n)\n")
	add("${{ 'Dockerfile' if values.docker }}", dockerfileTmpl)
	add("${{ 'GRPC.md' if values.grpc }}", "# gRPC API of ${{ values.name }}\n")
	add("docker-compose.yaml", composeTmpl)
	add(".github/workflows/ci.yaml", ciTmpl)
	add(".github/workflows/release.yaml", strings.Replace(ciTmpl, "name: ci", "name: release", 1)+"      - run: make release VERSION={% raw %}${{ github.ref_name }}{% endraw %}\n")
	add(".github/CODEOWNERS", "* @${{ values.destination.owner }}/${{ values.owner | replace(\"group:\", \"\") }}\n")
	add("cmd/${{ values.name }}/main.go", mainTmpl)
	add("cmd/${{ values.name }}/flags.go", flagsTmpl)
	for i, pkg := range []string{"config", "server", "store", "ferries", "health", "metrics", "auth", "worker"} {
		for j, part := range []string{pkg, "options", "errors", "service"} {
			n := i*4 + j
			add("internal/"+pkg+"/"+part+".go", goSourceTmpl(pkg, part, n, w))
			add("internal/"+pkg+"/"+part+"_test.go", goTestTmpl(pkg, part, n))
		}
	}
	add("api/openapi.yaml", openAPITmpl(w))
	add("api/${{ values.name }}.proto", protoTmpl)
	add("docs/index.md", "# ${{ values.name | title }}\n\n${{ values.description }}\n\nOwned by ${{ values.owner }}, part of ${{ values.system }}.\n\n"+w.paragraphs(4, "${{ values.name }}"))
	add("docs/architecture.md", architectureTmpl(w))
	add("docs/${{ values.name }}-runbook.md", "# Runbook: ${{ values.name }}\n\n{% for e in values.endpoints %}## ${{ e.method }} ${{ e.path }}\n\n${{ e.summary }}. Alert when p99 > 250 ms.\n\n{% endfor %}"+w.paragraphs(3, "${{ values.name }}"))
	for i := 1; i <= 22; i++ {
		add(fmt.Sprintf("docs/page-%d.md", i), fmt.Sprintf("# Page %d of ${{ values.name }}\n\n", i)+w.paragraphs(2+i%4, "${{ values.name | upper }}")+"{% if values.database %}\nThe service keeps its state in PostgreSQL.\n{% endif %}")
	}
	helm := "deploy/helm/${{ values.name }}/"
	add(helm+"Chart.yaml", "apiVersion: v2\nname: ${{ values.name }}\ndescription: ${{ values.description | dump }}\ntype: application\nversion: 0.1.0\nappVersion: \"0.1.0\"\n")
	add(helm+"values.yaml", helmValuesTmpl)
	for _, k := range []string{"deployment", "service", "ingress", "hpa", "configmap", "serviceaccount", "pdb", "servicemonitor"} {
		add(helm+"templates/"+k+".yaml", helmTemplate(k))
	}
	for _, env := range []string{"", ".dev", ".staging", ".prod"} {
		add("config/config"+env+".yaml", "# ${{ values.name }} configuration"+env+"\nlisten: \":${{ values.port }}\"\nlog:\n  level: "+map[bool]string{true: "debug", false: "info"}[env == ".dev"]+"\n{% if values.database %}database:\n  url: postgres://${{ values.name | replace(\"-\", \"_\") }}@db/${{ values.name | replace(\"-\", \"_\") }}"+env+"\n{% endif %}tags: [${{ values.tags | join(\", \") }}]\n")
	}
	add("config/.env.example", "SERVICE=${{ values.name }}\nPORT=${{ values.port }}\n{% if values.database %}DATABASE_URL=postgres://localhost/${{ values.name | replace(\"-\", \"_\") }}\n{% endif %}")

	// Copied as they are: no expression in them, or binary (80).
	add(".gitignore", "/bin/\n/dist/\n*.test\n*.out\ncoverage.html\n.env\n")
	add(".editorconfig", "root = true\n\n[*]\nend_of_line = lf\ninsert_final_newline = true\n\n[*.go]\nindent_style = tab\n\n[*.{yaml,yml,md}]\nindent_style = space\nindent_size = 2\n")
	add(".dockerignore", ".git\nbin\ndocs\n*.md\n")
	add("LICENSE", "Licensed under the Apache License, Version 2.0.\n\n"+w.paragraphs(22, "the Work"))
	for i := 1; i <= 16; i++ {
		add(fmt.Sprintf("migrations/%03d_step.sql", i), migration(i, w))
	}
	for i := 1; i <= 24; i++ {
		add(fmt.Sprintf("testdata/ferries/%02d.json", i), fixture(i, 6+i%5+map[bool]int{true: 60}[i == 24]))
	}
	for i, name := range []string{"app.css", "print.css", "reset.css", "theme.css"} {
		add("web/static/css/"+name, stylesheet(i, 30+40*(i%2)+map[bool]int{true: 80}[i == 0]))
	}
	for i, name := range []string{"app.js", "map.js", "live.js", "util.js"} {
		add("web/static/js/"+name, script(i, 20+map[bool]int{true: 80}[i == 0]))
	}
	for i := range 4 {
		add(fmt.Sprintf("web/static/icons/icon-%d.svg", i), fmt.Sprintf("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\"><circle cx=\"12\" cy=\"12\" r=\"%d\"/></svg>\n", 4+i*2))
	}
	for i := range 6 {
		add(fmt.Sprintf("web/static/img/ferry-%d.png", i), png(i, 900+i*700))
	}
	for _, name := range []string{"bootstrap.sh", "lint.sh", "release.sh", "migrate.sh", "seed.sh", "smoke.sh"} {
		files["scripts/"+name] = benchFile{shellScript(name), 0o755}
	}
	for i := range 6 {
		add(fmt.Sprintf("docs/images/diagram-%d.png", i), png(10+i, 1500+i*900))
	}
	for i, name := range []string{"annotations.proto", "http.proto", "field_behavior.proto", "resource.proto", "client.proto", "launch_stage.proto"} {
		add("third_party/google/api/"+name, "// Vendored from googleapis.\nsyntax = \"proto3\";\n\npackage google.api;\n\n"+w.comment(8+i, "// "))
	}
	return files
}

// words makes deterministic filler text.
type words struct{ state uint32 }

var vocabulary = strings.Fields(`ferry harbour route vessel position update schedule crossing passenger
	vehicle deck berth tide weather signal radar latency queue request service team owner
	catalog entity system component resource deploy release metric alert trace log store
	index replica backup restore migrate schema table column record event stream window`)

func (w *words) next() string {
	w.state = w.state*1664525 + 1013904223
	return vocabulary[(w.state>>16)%uint32(len(vocabulary))]
}

func (w *words) sentence(n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = w.next()
	}
	s[0] = capitalize(s[0])
	return strings.Join(s, " ") + "."
}

func capitalize(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// paragraphs writes n paragraphs of about 90 words, each with mention in
// it (an expression in templated files).
func (w *words) paragraphs(n int, mention string) string {
	var sb strings.Builder
	for i := range n {
		fmt.Fprintf(&sb, "%s %s %s The %s keeps %s. %s %s\n\n", w.sentence(14), w.sentence(11), w.sentence(16), mention, w.next(), w.sentence(18), w.sentence(12+i%6))
	}
	return sb.String()
}

func (w *words) comment(lines int, prefix string) string {
	var sb strings.Builder
	for range lines {
		sb.WriteString(prefix + w.sentence(10) + "\n")
	}
	return sb.String()
}

const catalogInfoTmpl = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${{ values.name }}
  description: ${{ values.description | dump }}
  annotations:
    github.com/project-slug: ${{ values.repoUrl | projectSlug }}
    backstage.io/techdocs-ref: dir:.
  tags:
{%- for t in values.tags %}
    - ${{ t }}
{%- endfor %}
spec:
  type: service
  lifecycle: experimental
  owner: ${{ values.owner }}
  system: ${{ values.system }}
  providesApis:
    - ${{ values.name }}-api
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: ${{ values.name }}-api
spec:
  type: openapi
  lifecycle: experimental
  owner: ${{ values.owner }}
  definition:
    $text: ./api/openapi.yaml
`

const readmeTmpl = `# ${{ values.name }}

${{ values.description }}

| | |
|---|---|
| Owner | ${{ values.owner }} |
| System | ${{ values.system }} |
| Port | ${{ values.port }} |
| Database | ${{ "PostgreSQL" if values.database else "none" }} |

## Endpoints

{% for e in values.endpoints -%}
${{ loop.index }}. ` + "`${{ e.method }} ${{ e.path }}`" + ` — ${{ e.summary }}
{% endfor %}
## Running

    make run PORT=${{ values.port }}

`

const makefileTmpl = `BINARY := bin/${{ values.name }}
GO ?= go

.PHONY: build test run lint{% if values.docker %} image{% endif %}

build:
	$(GO) build -o $(BINARY) ./cmd/${{ values.name }}

test:
	$(GO) test ./...

run: build
	PORT=$${PORT:-${{ values.port }}} $(BINARY)

lint:
	scripts/lint.sh
{% if values.docker %}
image:
	docker build -t ghcr.io/${{ values.destination.owner }}/${{ values.name }}:dev .
{% endif %}`

const dockerfileTmpl = `FROM golang:${{ values.goVersion }} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/${{ values.name }} ./cmd/${{ values.name }}

FROM gcr.io/distroless/static
COPY --from=build /out/${{ values.name }} /${{ values.name }}
EXPOSE ${{ values.port }}
ENTRYPOINT ["/${{ values.name }}"]
`

const composeTmpl = `services:
  ${{ values.name }}:
    build: .
    ports:
      - "${{ values.port }}:${{ values.port }}"
{%- if values.database %}
    depends_on:
      - db
  db:
    image: postgres:16
    environment:
      POSTGRES_DB: ${{ values.name | replace("-", "_") }}
      POSTGRES_PASSWORD: dev
{%- endif %}
`

const ciTmpl = `name: ci
on:
  push:
    branches: [main]
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
{%- if values.database %}
    services:
      postgres:
        image: postgres:16
        env:
          POSTGRES_PASSWORD: ci
{%- endif %}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-go@v5
        with:
          go-version: "${{ values.goVersion }}"
      - run: make test
      - run: docker build -t ghcr.io/${{ values.destination.owner }}/${{ values.name }}:{% raw %}${{ github.sha }}{% endraw %} .
`

const mainTmpl = `// Command ${{ values.name }}: ${{ values.description }}
package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"

	"github.com/${{ values.destination.owner }}/${{ values.destination.repo }}/internal/config"
	"github.com/${{ values.destination.owner }}/${{ values.destination.repo }}/internal/server"
{%- if values.database %}
	"github.com/${{ values.destination.owner }}/${{ values.destination.repo }}/internal/store"
{%- endif %}
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil)).With("service", "${{ values.name }}")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cfg := config.Default()
	cfg.Port = ${{ values.port }}
{%- if values.database %}
	db, err := store.Open(ctx, cfg)
	if err != nil {
		log.Error("open the store", "err", err)
		os.Exit(1)
	}
	defer db.Close()
{%- endif %}
	if err := server.NewService(log, cfg).Run(ctx); err != nil {
		log.Error("serve", "err", err)
		os.Exit(1)
	}
}
`

const flagsTmpl = `package main

import "flag"

var (
	port    = flag.Int("port", ${{ values.port }}, "port ${{ values.name }} listens on")
	verbose = flag.Bool("v", false, "log at debug level")
{%- for e in values.endpoints %}
	enable${{ e.name | capitalize }} = flag.Bool("enable-${{ e.name | lower }}", true, "serve ${{ e.method }} ${{ e.path }}")
{%- endfor %}
)
`

// goSourceTmpl is a Go file of internal/pkg, 1.5–4 KB.
func goSourceTmpl(pkg, part string, n int, w *words) string {
	typ := capitalize(part)
	var sb strings.Builder
	sb.WriteString(`// Package ` + pkg + ` is the ` + pkg + ` part of ${{ values.name }}: ` + part + `.
//
// ${{ values.description | default("A service.") }}
package ` + pkg + `

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
{%- if values.database %}
	"database/sql"
{%- endif %}

	"github.com/${{ values.destination.owner }}/${{ values.destination.repo }}/internal/config"
)

// ` + typ + ` is the ` + part + ` of ${{ values.name | replace("-", " ") }}.
type ` + typ + ` struct {
	log  *slog.Logger
	cfg  config.Config
{%- if values.database %}
	db   *sql.DB
{%- endif %}
	name string
}

// New` + typ + ` returns the ` + part + ` of ${{ values.name }}.
func New` + typ + `(log *slog.Logger, cfg config.Config) *` + typ + ` {
	return &` + typ + `{log: log.With("component", "` + pkg + `"), cfg: cfg, name: "${{ values.name }}"}
}
`)
	for i := range 3 + n%5 {
		word := w.next()
		fmt.Fprintf(&sb, `
// %s%d handles the ${{ values.name | upper }} %s step %d. %s
func (x *%s) %s%d(ctx context.Context, id string) error {
	if id == "" {
		return fmt.Errorf("%s: %s %%d: %%w", %d, errors.ErrUnsupported)
	}
	x.log.InfoContext(ctx, "%s", "id", id, "port", ${{ values.port }})
	return nil
}
`, capitalize(word), i, word, i, w.sentence(9), typ, capitalize(word), i, pkg, word, i, word)
	}
	if pkg == "server" && part == "service" {
		sb.WriteString(`
// Routes registers the endpoints.
func (x *Service) Routes(mux Mux) {
{%- for e in values.endpoints %}
	mux.HandleFunc("${{ e.method }} ${{ e.path }}", x.${{ e.name }}) // ${{ e.summary }}
{%- endfor %}
}
`)
	}
	return sb.String()
}

func goTestTmpl(pkg, part string, n int) string {
	typ := capitalize(part)
	var sb strings.Builder
	sb.WriteString(`package ` + pkg + `

import (
	"context"
	"log/slog"
	"testing"

	"github.com/${{ values.destination.owner }}/${{ values.destination.repo }}/internal/config"
)

func Test` + typ + `(t *testing.T) {
	x := New` + typ + `(slog.Default(), config.Default())
	if x.name != "${{ values.name }}" {
		t.Errorf("name %q", x.name)
	}
}
`)
	for i := range 2 + n%3 {
		fmt.Fprintf(&sb, `
func Test%sCase%d(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_ = ctx
	if got, want := "${{ values.name | replace("-", "_") }}_%d", "${{ values.name | replace("-", "_") }}_%d"; got != want {
		t.Fatalf("%%s != %%s", got, want)
	}
}
`, typ, i, i, i)
	}
	return sb.String()
}

const protoTmpl = `syntax = "proto3";

package ${{ values.name | replace("-", "_") }}.v1;

option go_package = "github.com/${{ values.destination.owner }}/${{ values.destination.repo }}/api/v1";

service ${{ values.name | replace("-", " ") | title | replace(" ", "") }} {
{%- for e in values.endpoints %}
  rpc ${{ e.name | capitalize }}(${{ e.name | capitalize }}Request) returns (${{ e.name | capitalize }}Response);
{%- endfor %}
}
`

// openAPITmpl is about 15 KB once rendered.
func openAPITmpl(w *words) string {
	var sb strings.Builder
	sb.WriteString(`openapi: 3.0.3
info:
  title: ${{ values.name }} API
  description: ${{ values.description | dump }}
  version: 0.1.0
servers:
  - url: http://localhost:${{ values.port }}
paths:
{%- for e in values.endpoints %}
  ${{ e.path }}:
    ${{ e.method | lower }}:
      operationId: ${{ e.name }}
      summary: ${{ e.summary }}
      tags: [${{ values.tags | first }}]
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Ferry"
        "404":
          description: Not found
{%- endfor %}
components:
  schemas:
`)
	for i := range 28 {
		fmt.Fprintf(&sb, "    %s%d:\n      type: object\n      description: %s\n      properties:\n", capitalize(w.next()), i, w.sentence(12))
		for j := range 4 {
			fmt.Fprintf(&sb, "        %s%d:\n          type: %s\n", w.next(), j, []string{"string", "integer", "number", "boolean"}[(i+j)%4])
		}
	}
	return sb.String()
}

// architectureTmpl is about 20 KB once rendered.
func architectureTmpl(w *words) string {
	var sb strings.Builder
	sb.WriteString("# Architecture of ${{ values.name }}\n\n{% set db = \"PostgreSQL\" if values.database else \"memory\" %}")
	for i := range 16 {
		fmt.Fprintf(&sb, "## %d. %s\n\n", i+1, w.sentence(4))
		sb.WriteString(w.paragraphs(2, "${{ values.name }} (state in ${{ db }})"))
		if i%4 == 0 {
			sb.WriteString("| Endpoint | Summary |\n|---|---|\n{% for e in values.endpoints %}| ${{ e.method }} ${{ e.path }} | ${{ e.summary }}{% if loop.last %} (last){% endif %} |\n{% endfor %}\n")
		}
	}
	return sb.String()
}

const helmValuesTmpl = `replicaCount: 2
image:
  repository: ghcr.io/${{ values.destination.owner }}/${{ values.name }}
  tag: ""
service:
  port: ${{ values.port }}
resources:
  requests:
    cpu: 100m
    memory: 64Mi
{%- if values.database %}
postgresql:
  enabled: true
  database: ${{ values.name | replace("-", "_") }}
{%- endif %}
`

// helmTemplate is a Helm template: Go templates, which Backstage's
// ${{ }} tags leave alone.
func helmTemplate(kind string) string {
	return `# ${{ values.name }}: ` + kind + `
apiVersion: v1
kind: ` + capitalize(kind) + `
metadata:
  name: {{ include "${{ values.name }}.fullname" . }}
  labels:
    {{- include "${{ values.name }}.labels" . | nindent 4 }}
spec:
  {{- if .Values.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  selector:
    app.kubernetes.io/name: ${{ values.name }}
  ports:
    - port: {{ .Values.service.port | default ${{ values.port }} }}
`
}

func migration(i int, w *words) string {
	table := w.next()
	return fmt.Sprintf("-- %s\nCREATE TABLE IF NOT EXISTS %s_%d (\n  id BIGSERIAL PRIMARY KEY,\n  %s TEXT NOT NULL,\n  %s_at TIMESTAMPTZ NOT NULL DEFAULT now()\n);\nCREATE INDEX ON %s_%d (%s);\n", w.sentence(10), table, i, w.next(), w.next(), table, i, table)
}

func fixture(i, rows int) string {
	var sb strings.Builder
	sb.WriteString("[\n")
	for r := range rows {
		sep := ","
		if r == rows-1 {
			sep = ""
		}
		fmt.Fprintf(&sb, "  {\"id\": %d, \"name\": \"ferry-%d-%d\", \"lat\": %d.%04d, \"lon\": %d.%04d, \"speedKnots\": %d}%s\n", i*100+r, i, r, 59+r%3, (i*37+r*11)%10000, 10+r%4, (i*13+r*29)%10000, 8+r%14, sep)
	}
	sb.WriteString("]\n")
	return sb.String()
}

func stylesheet(i, rules int) string {
	var sb strings.Builder
	for r := range rules {
		fmt.Fprintf(&sb, ".c%d-%d {\n  margin: %dpx %dpx;\n  color: #%06x;\n}\n", i, r, r%12, (r*3)%16, (i*7919+r*104729)%0xffffff)
	}
	return sb.String()
}

func script(i, functions int) string {
	var sb strings.Builder
	sb.WriteString("'use strict';\n")
	for f := range functions {
		fmt.Fprintf(&sb, "export function f%d_%d(items) {\n  const out = [];\n  for (const item of items) {\n    if (item.speed > %d) out.push({ id: item.id, speed: item.speed });\n  }\n  return out;\n}\n", i, f, f%30)
	}
	return sb.String()
}

func shellScript(name string) string {
	return fmt.Sprintf("#!/usr/bin/env bash\n# %s\nset -euo pipefail\ncd \"$(dirname \"$0\")/..\"\nstep=${1:-all}\necho \"%s: $step\"\nfor f in $(ls migrations); do\n  echo \"  $f\"\ndone\n", name, name)
}

// png is a binary file of about size bytes (a NUL byte early on, as
// images have).
func png(seed, size int) string {
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	x := uint32(seed*2654435761 + 1)
	for len(b) < size {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b = append(b, byte(x))
	}
	return string(b)
}
