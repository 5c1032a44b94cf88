# Callboard: `make run` opens the app, `make test` runs every test.
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null)$(shell git diff --quiet HEAD 2>/dev/null || echo -dirty)
# Evaluated once: a commit made while make runs must not name one file
# under two versions.
VERSION := $(VERSION)
COMMIT  := $(COMMIT)
# Builds are reproducible: the same sources give the same bytes. Their date
# is the last commit's unless SOURCE_DATE_EPOCH says otherwise.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH
BUILD_DATE := $(shell date -u -d @$(SOURCE_DATE_EPOCH) +%Y-%m-%dT%H:%M:%SZ)
# The CLI does not link Wails; it says which Wails its window is built with.
WAILS_VERSION := $(shell PATH='$(PATH)' go list -m -f '{{.Version}}' github.com/wailsapp/wails/v2 2>/dev/null)
LDFLAGS := -buildid= -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(BUILD_DATE) -X main.wails=$(WAILS_VERSION)
# Two executables: the CLI (also serve and the built-in plugins' processes),
# built without cgo so that a command starts in milliseconds, and the Wails
# window, which links GTK and WebKit; the CLI with no argument starts it.
BIN        := build/bin/callboard
WINDOW_BIN := build/bin/callboard-window
TAGS    := webkit2_41 embedui
# The tags `wails build` adds to ours for a release build.
WAILS_TAGS := desktop production
# Debian packages: to build the window, and to test it and the UI.
APT_BUILD := libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config gcc git
APT_TEST  := xvfb xauth xdotool imagemagick x11-utils chromium chromium-driver webkit2gtk-driver locales openssh-server openssh-client gnome-keyring dbus-daemon mkdocs mkdocs-material python3-pymdownx
# Debian packages that check the release packages.
APT_DIST  := desktop-file-utils appstream lintian groff-base
OUT     := test-output
# Backstage's own catalog code, the oracle of the conformance test.
ORACLE  := .cache/tools/oracle
# nunjitsu and nunjucks, the oracle of app/nunjucks' differential test.
NUNJUCKS_ORACLE := .cache/tools/nunjucks
# @roadiehq/scaffolder-backend-module-utils, the oracle of its built-in actions.
ROADIE_ORACLE := .cache/tools/roadie
# Backstage's scaffolder workflow runner, the oracle of app/scaffold's differential test.
SCAFFOLDER_ORACLE := .cache/tools/scaffolder
# json-rules-engine, the oracle of app/scorecard's operators.
SCORECARDS_ORACLE := .cache/tools/scorecards
# Backstage's ADR plugin (its file filter and MADR parser), the oracle of app/adr.
ADR_ORACLE := .cache/tools/adr
FUZZTIME ?= 60s

.PHONY: run build dist dist-windows deps-dist test-dist proto deps deps-test test test-go conformance conformance-catalog-api conformance-nunjucks conformance-roadie conformance-scaffolder conformance-scorecards conformance-adr conformance-backstage-source test-frontend test-e2e e2e-stress demo-fixtures test-desktop bench bench-charts fuzz screenshot lint clean

run: build
	./$(BIN)

# The licenses of what the window bundles (the CLI's are a part of them) go
# beside the UI's files, for its About dialog. `wails build` builds the UI
# and the window; the CLI embeds the UI it built.
build: deps frontend/node_modules/.installed
	go run ./internal/licenses -tags "$(TAGS)" -json frontend/public/licenses.json
	go tool wails build -m -nosyncgomod -skipbindings -trimpath -tags "$(TAGS)" -ldflags "$(LDFLAGS)"
	CGO_ENABLED=0 go build -trimpath -tags embedui -ldflags "$(LDFLAGS) -w -s" -o $(BIN) ./cmd/callboard

# Regenerates plugins/pluginv1 from plugin.proto (Debian's protoc, the Go
# plugins at the versions go.mod has).
proto:
	@scripts/deps.sh protobuf-compiler
	GOBIN=$(CURDIR)/.cache/tools/bin go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
	GOBIN=$(CURDIR)/.cache/tools/bin go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.5.1
	cd plugins/pluginv1 && PATH=$(CURDIR)/.cache/tools/bin:$$PATH protoc --go_out=. --go_opt=paths=source_relative \
		--go-grpc_out=. --go-grpc_opt=paths=source_relative plugin.proto

deps:
	@scripts/deps.sh $(APT_BUILD)

deps-test: deps
	@scripts/deps.sh $(APT_TEST)

deps-dist: deps
	@scripts/deps.sh $(APT_DIST)

# Release packages in dist/ (see scripts/dist.sh): .deb, .rpm and a tar.gz
# of both executables, the same bytes for the same sources and
# SOURCE_DATE_EPOCH.
dist: deps-dist build
	WINDOW_BIN=$(WINDOW_BIN) scripts/dist.sh $(BIN) dist

# The two Windows executables, cross-built here (Wails needs no cgo on
# Windows) into one folder, where the CLI finds the window beside it:
# callboard.exe, the CLI, a console executable so that --version and the
# commands print where they were run; callboard-window.exe, the window, as
# `wails build` builds it, a GUI executable that opens no console.
# They embed the UI `make build` built; only its licenses.json differs (the
# modules linked for Windows), swapped in with go build -overlay, which
# go:embed honours, rather than building the UI again for one file.
WINDOWS_DIR := dist/callboard-$(VERSION)-windows-amd64
WINDOWS_LICENSES := .cache/windows/licenses.json
WINDOWS_OVERLAY  := .cache/windows/overlay.json
dist-windows: build
	go build -o .cache/tools/bin/licenses ./internal/licenses
	mkdir -p $(dir $(WINDOWS_LICENSES)) $(WINDOWS_DIR)
	GOOS=windows CGO_ENABLED=0 .cache/tools/bin/licenses -tags "$(WAILS_TAGS) embedui" -json $(WINDOWS_LICENSES)
	printf '{"Replace":{"%s":"%s"}}\n' "$(CURDIR)/frontend/dist/licenses.json" "$(CURDIR)/$(WINDOWS_LICENSES)" >$(WINDOWS_OVERLAY)
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -overlay $(WINDOWS_OVERLAY) -trimpath -tags embedui -ldflags "$(LDFLAGS) -w -s" \
		-o $(WINDOWS_DIR)/callboard.exe ./cmd/callboard
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -overlay $(WINDOWS_OVERLAY) -trimpath -tags "$(WAILS_TAGS) embedui" -ldflags "$(LDFLAGS) -w -s -H windowsgui" \
		-o $(WINDOWS_DIR)/callboard-window.exe .

frontend/node_modules/.installed: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

# The desktop smoke test runs once, in test-dist, on the installed package
# (make test-desktop runs it on build/bin alone); test-windows adds two
# cross-builds of the UI build made and the CLI under wine64.
test: deps-test lint build test-go conformance conformance-nunjucks conformance-roadie conformance-scaffolder conformance-scorecards conformance-adr test-frontend test-e2e test-dist test-windows

# gofmt, go vet and staticcheck (pinned in go.mod) for Go; tsc and ESLint
# for the frontend. gofmt reads the files git has or would add, not the
# ignored caches (the benchmarks' generated templates hold .go files that
# are templates, not Go). Quick, so make test runs it before the slow parts.
# go vet also type-checks every package, tests included, for Windows and
# macOS without cgo, so code that only builds on Linux shows up here.
lint: frontend/node_modules/.installed
	@files=$$(git ls-files --cached --others --exclude-standard -z '*.go' | xargs -0 gofmt -l); if [ -n "$$files" ]; then echo "gofmt -l: not formatted (run gofmt -w):"; echo "$$files"; exit 1; fi
	go vet ./...
	GOOS=windows CGO_ENABLED=0 go vet ./...
	GOOS=darwin CGO_ENABLED=0 go vet ./...
	go tool staticcheck ./...
	cd frontend && npm run lint

# testcheck prints the output as go test does, then every skip with why;
# it fails on a skip internal/testcheck/policy.txt does not allow, or a
# suite it names that did not run. A package may take 30 min: the sync
# kill tests under -race pass 10 min when other builds share the cores.
test-go:
	go vet ./...
	set -o pipefail; go test -race -timeout 30m -json ./... | go run ./internal/testcheck

$(ORACLE)/.installed: conformance/oracle/package.json conformance/oracle/package-lock.json
	rm -rf $(ORACLE) && mkdir -p $(ORACLE)
	cp conformance/oracle/package.json conformance/oracle/package-lock.json $(ORACLE)/
	cd $(ORACLE) && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Same verdicts as Backstage: our catalog processing against Backstage's own,
# which must also match its answers recorded in app/catalog/testdata/oracle
# (UPDATE=1 rewrites them). A skip internal/testcheck/policy.txt does not
# allow fails the target. CALLBOARD_CONFORMANCE_DIR=/some/dir adds a live,
# unrecorded comparison of every entity file under that folder of real files.
conformance: $(ORACLE)/.installed
	set -o pipefail; CALLBOARD_ORACLE=$(CURDIR)/$(ORACLE) go test -count=1 -run '^TestConformance$$' -json ./app/catalog $(if $(UPDATE),-update) \
		| go run ./internal/testcheck -partial -v

$(NUNJUCKS_ORACLE)/.installed: conformance/nunjucks/package.json conformance/nunjucks/package-lock.json
	rm -rf $(NUNJUCKS_ORACLE) && mkdir -p $(NUNJUCKS_ORACLE)
	cp conformance/nunjucks/package.json conformance/nunjucks/package-lock.json $(NUNJUCKS_ORACLE)/
	cd $(NUNJUCKS_ORACLE) && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Templates render as Backstage's scaffolder renders them: app/nunjucks against
# nunjitsu, which must also match its answers recorded in
# app/nunjucks/testdata/oracle (UPDATE=1 rewrites them). A skip
# internal/testcheck/policy.txt does not allow fails the target.
conformance-nunjucks: $(NUNJUCKS_ORACLE)/.installed
	set -o pipefail; CALLBOARD_NUNJUCKS_ORACLE=$(CURDIR)/$(NUNJUCKS_ORACLE) go test -count=1 -run '^TestAgainstNunjitsu' -json ./app/nunjucks $(if $(UPDATE),-update) \
		| go run ./internal/testcheck -partial -v

$(ROADIE_ORACLE)/.installed: conformance/roadie/package.json conformance/roadie/package-lock.json
	rm -rf $(ROADIE_ORACLE) && mkdir -p $(ROADIE_ORACLE)
	cp conformance/roadie/package.json conformance/roadie/package-lock.json $(ROADIE_ORACLE)/
	cd $(ROADIE_ORACLE) && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Roadie's community actions (roadiehq:utils:*) as its npm package runs them:
# app/scaffold's built-in ones against the package's handlers, which must
# also match its answers recorded in app/scaffold/testdata/roadie
# (UPDATE=1 rewrites them).
conformance-roadie: $(ROADIE_ORACLE)/.installed
	set -o pipefail; CALLBOARD_ROADIE_ORACLE=$(CURDIR)/$(ROADIE_ORACLE) go test -count=1 -run '^TestAgainstRoadie' -json ./app/scaffold $(if $(UPDATE),-update) \
		| go run ./internal/testcheck -partial -v

$(SCAFFOLDER_ORACLE)/.installed: conformance/scaffolder/package.json conformance/scaffolder/package-lock.json
	rm -rf $(SCAFFOLDER_ORACLE) && mkdir -p $(SCAFFOLDER_ORACLE)
	cp conformance/scaffolder/package.json conformance/scaffolder/package-lock.json $(SCAFFOLDER_ORACLE)/
	cd $(SCAFFOLDER_ORACLE) && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Steps run as Backstage's scaffolder runs them (repeated ids, skipped and
# failed steps): app/scaffold against NunjucksWorkflowRunner, which must also
# match its answers recorded in app/scaffold/testdata/oracle (UPDATE=1
# rewrites them).
conformance-scaffolder: $(SCAFFOLDER_ORACLE)/.installed
	set -o pipefail; CALLBOARD_SCAFFOLDER_ORACLE=$(CURDIR)/$(SCAFFOLDER_ORACLE) go test -count=1 -run '^TestStepsAgainstBackstage$$' -json ./app/scaffold $(if $(UPDATE),-update) \
		| go run ./internal/testcheck -partial -v

$(SCORECARDS_ORACLE)/.installed: conformance/scorecards/package.json conformance/scorecards/package-lock.json
	rm -rf $(SCORECARDS_ORACLE) && mkdir -p $(SCORECARDS_ORACLE)
	cp conformance/scorecards/package.json conformance/scorecards/package-lock.json $(SCORECARDS_ORACLE)/
	cd $(SCORECARDS_ORACLE) && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Scorecard operators compare as Backstage Tech Insights' fact checkers do:
# app/scorecard against json-rules-engine, which must also match its
# answers recorded in app/scorecard/testdata/oracle (UPDATE=1 rewrites them).
conformance-scorecards: $(SCORECARDS_ORACLE)/.installed
	set -o pipefail; CALLBOARD_SCORECARDS_ORACLE=$(CURDIR)/$(SCORECARDS_ORACLE) go test -count=1 -run '^TestOperatorsAgainstJSONRulesEngine$$' -json ./app/scorecard $(if $(UPDATE),-update) \
		| go run ./internal/testcheck -partial -v

# The backend package's parser is taken from its tarball alone: installed,
# it would bring Backstage's whole backend framework, which the parser
# does not use (conformance/adr/oracle.cjs stubs it).
$(ADR_ORACLE)/.installed: conformance/adr/package.json conformance/adr/package-lock.json
	rm -rf $(ADR_ORACLE) && mkdir -p $(ADR_ORACLE)
	cp conformance/adr/package.json conformance/adr/package-lock.json $(ADR_ORACLE)/
	cd $(ADR_ORACLE) && npm ci --no-audit --no-fund --ignore-scripts
	cd $(ADR_ORACLE) && npm pack --silent @backstage/plugin-adr-backend@0.4.15 && tar xzf backstage-plugin-adr-backend-0.4.15.tgz
	touch $@

# Decision records are listed and read as Backstage's ADR plugin does:
# app/adr against its file filter and MADR parser, which must also match
# their answers recorded in app/adr/testdata/oracle (UPDATE=1 rewrites
# them).
conformance-adr: $(ADR_ORACLE)/.installed
	set -o pipefail; CALLBOARD_ADR_ORACLE=$(CURDIR)/$(ADR_ORACLE) go test -count=1 -run '^TestAgainstADRPlugin$$' -json ./app/adr $(if $(UPDATE),-update) \
		| go run ./internal/testcheck -partial -v

# A Backstage location against a real Backstage catalog backend on
# PostgreSQL (conformance/backstage-source/peer.sh: database prefix cbsrc_,
# port 7022): records its answers into sync/backstage/testdata/peer, which
# `make test` replays without it, and reads BENCH_N (10000) entities live.
conformance-backstage-source:
	conformance/backstage-source/run.sh

# Performance figures for BENCHMARKS.md, each against its peer in the same run;
# PEERS=1 also runs the real Backstage catalog backend (slow: minutes, PostgreSQL).
bench: $(ORACLE)/.installed $(NUNJUCKS_ORACLE)/.installed
	@scripts/deps.sh bc python3 git
	PEERS=$(PEERS) scripts/bench.sh

# The charts of docs/bench/ from the figures `make bench` appended to
# .cache/bench/results.jsonl, without measuring again (make bench ends with it);
# the points drawn are kept as docs/bench/results.jsonl, so
# BENCH_RESULTS=docs/bench/results.jsonl draws the committed charts again.
BENCH_RESULTS ?= .cache/bench/results.jsonl
bench-charts:
	go run ./internal/cmd/benchchart -in $(BENCH_RESULTS) -out docs/bench

# Backstage's catalog API as the real backend answers it: runs
# @backstage/plugin-catalog-backend on PostgreSQL (database prefix cbapi_,
# port 7021) over app/catalogapi/testdata/gencat, records the answers to
# conformance/catalogapi/record.cjs's seeded queries in
# app/catalogapi/testdata/peer.jsonl.gz, then checks Callboard against
# them (TestAgainstBackstage, which make test runs from the recording).
conformance-catalog-api:
	scripts/catalogapi-peer.sh
	set -o pipefail; go test -count=1 -run '^TestAgainstBackstage$$' -json ./app/catalogapi | go run ./internal/testcheck -partial -v

# Longer fuzzing than the corpus replay `go test` does; new finds land in the Go cache.
# FuzzWriteRecover builds a real repository and reopens Badger each run: slow, but each run is a whole write, kill and recovery.
# The chained sync kill test runs 20 rounds here (2 in make test).
fuzz:
	go test ./app/catalog -run '^$$' -fuzz '^FuzzReadDocuments$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s
	go test ./app/catalog -run '^$$' -fuzz '^FuzzProcess$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s
	go test ./app/techdocs -run '^$$' -fuzz '^FuzzRender$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s
	go test ./app/techdocs -run '^$$' -fuzz '^FuzzConfig$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s
	go test ./app/listing -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s
	go test ./app/catalogquery -run '^$$' -fuzz '^FuzzParseFilters$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s
	go test ./app/catalogapi -run '^$$' -fuzz '^FuzzCursor$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s
	go test ./app/nunjucks -run '^$$' -fuzz '^FuzzRender$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s
	go test ./app/scaffold -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s
	go test ./app/locale -run '^$$' -fuzz '^FuzzTag$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s
	go test ./app/wire -run '^$$' -fuzz '^FuzzQuery$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s
	go test ./app/deeplink -run '^$$' -fuzz '^FuzzRoute$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s
	go test ./sync/remote -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s
	go test ./sync/syncer -run '^$$' -fuzz '^FuzzWriteRecover$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s
	go test ./internal/cmd/benchchart -run '^$$' -fuzz '^FuzzReadResults$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s
	CALLBOARD_STATEKILL_ROUNDS=20 go test ./sync/syncer -count=1 -run '^TestSyncKilledAgainAndAgain$$'

test-frontend: frontend/node_modules/.installed
	cd frontend && npm test

# The UI in Chromium and in WebKitGTK (the window's engine), each through its
# WebDriver, under LANG=C.UTF-8 and then de_DE.UTF-8; then the Chromium
# specs (E2E_SUITES, E2E_SPECS and E2E_ENGINES pick: see scripts/e2e.sh).
test-e2e: deps-test build
	scripts/e2e.sh $(BIN) $(OUT)/e2e

# The demo's Kubernetes cluster and GitHub Actions on loopback, for trying
# the kubernetes and ci plugins beside make run: it prints the settings to
# give them, and serves until interrupted. The kubeconfig's path, the
# GitHub API's address and its token stay the same from one start to the
# next, so the settings given once keep working.
demo-fixtures:
	go run ./internal/cmd/fakecluster -kubeconfig $(CURDIR)/$(OUT)/demo-fixtures/kubeconfig -github 127.0.0.1:7391 -token ghp_callboard_demo_fixtures

# The browser e2e N times (default 10) with a CPU load beside it, to show it
# is not flaky on a busy machine. Not part of make test: it takes a while.
e2e-stress: deps-test build
	scripts/e2e-under-load.sh $(BIN) $(OUT)/e2e-stress $(or $(N),10)

test-desktop: build
	scripts/desktop-smoke.sh $(BIN) $(OUT)/desktop

# The .deb of the binary just built: validated, installed, run from
# /usr/bin, its window through the desktop smoke test, removed (see
# scripts/dist-check.sh). Needs root or sudo.
test-dist: deps-test deps-dist build
	WINDOW_BIN=$(WINDOW_BIN) scripts/dist-check.sh $(BIN) $(OUT)/dist

# Refreshes the README's screenshot from the desktop smoke test.
screenshot: test-desktop
	cp $(OUT)/desktop/window.png docs/screenshot.png

clean:
	rm -rf build/bin frontend/dist $(OUT)

# Windows and macOS (issue 21). The Windows installer and check take the
# window's and the command line's executables, as dist-windows writes them.
WINDOWS_WINDOW_EXE ?= $(WINDOWS_DIR)/callboard-window.exe
WINDOWS_CLI_EXE    ?= $(WINDOWS_DIR)/callboard.exe
# What Callboard.app is built from on a Mac: the window's and the command
# line's main packages, and where they are written.
MACOS_WINDOW_PKG ?= .
MACOS_CLI_PKG    ?= ./cmd/callboard
MACOS_BIN        := build/bin/darwin
# Go 1.26 runs on macOS 12 and later; Wails links UniformTypeIdentifiers.
MACOS_CGO := CGO_ENABLED=1 CGO_CFLAGS=-mmacosx-version-min=12.0 CGO_LDFLAGS="-framework UniformTypeIdentifiers -mmacosx-version-min=12.0"

.PHONY: dist-windows-installer test-windows dist-macos icns

# The per-user installer (build/windows/installer, Debian's makensis):
# Start-menu entry, callboard:// links, the CLI on PATH, an uninstaller
# that leaves the data dir.
dist-windows-installer: dist-windows
	@scripts/deps.sh nsis
	VERSION=$(VERSION) scripts/windows-installer.sh $(WINDOWS_WINDOW_EXE) $(WINDOWS_CLI_EXE) \
		dist/callboard-$(VERSION)-windows-amd64-installer.exe

# The Windows command line under Debian's wine64: --version as the Linux
# build's, the demo catalog validated (see scripts/windows-check.sh).
test-windows: dist-windows build
	@scripts/deps.sh wine64
	scripts/windows-check.sh $(WINDOWS_CLI_EXE) $(OUT)/windows $(BIN)

# Callboard.app and its zip in dist/, on macOS only (cgo and Apple's SDK);
# .github/workflows/macos.yml runs it on a macOS runner.
ifeq ($(shell uname -s),Darwin)
dist-macos: frontend/node_modules/.installed
	go run ./internal/licenses -tags "$(WAILS_TAGS) embedui" -json frontend/public/licenses.json
	cd frontend && npm run build
	$(MACOS_CGO) go build -trimpath -tags "$(WAILS_TAGS) embedui" -ldflags "$(LDFLAGS) -w -s" -o $(MACOS_BIN)/callboard-window $(MACOS_WINDOW_PKG)
	CGO_ENABLED=0 go build -trimpath -tags embedui -ldflags "$(LDFLAGS) -w -s" -o $(MACOS_BIN)/callboard $(MACOS_CLI_PKG)
	VERSION=$(VERSION) scripts/dist-macos.sh $(MACOS_BIN)/callboard-window $(MACOS_BIN)/callboard dist
else
dist-macos:
	@echo "make dist-macos: Callboard.app can only be built on macOS (it needs cgo and Apple's SDK)." >&2
	@echo "Run it on a Mac, or see .github/workflows/macos.yml, which does on a macOS runner." >&2
	@exit 1
endif

# Remakes build/darwin/Callboard.icns (committed) from build/appicon.png.
icns:
	@scripts/deps.sh icnsutils
	tmp=$$(mktemp -d) && for s in 16 32 48 128 256 512 1024; do \
		convert build/appicon.png -resize $${s}x$$s -strip -define png:exclude-chunks=date,time PNG32:$$tmp/$$s.png; done && \
		png2icns build/darwin/Callboard.icns $$(for s in 16 32 48 128 256 512 1024; do echo $$tmp/$$s.png; done) && rm -rf $$tmp
