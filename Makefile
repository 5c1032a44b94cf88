# Callboard: `make run` opens the app, `make test` runs every test.
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
BIN     := build/bin/callboard
TAGS    := webkit2_41 embedui
# Debian packages: to build the window, and to test it and the UI.
APT_BUILD := libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config gcc git
APT_TEST  := xvfb xauth xdotool imagemagick x11-utils chromium
OUT     := test-output

.PHONY: run build deps deps-test test test-go test-frontend test-e2e test-desktop screenshot lint clean

run: build
	./$(BIN)

build: deps frontend/node_modules/.installed
	go tool wails build -m -nosyncgomod -skipbindings -tags "$(TAGS)" -ldflags "-X main.version=$(VERSION)"

deps:
	@scripts/deps.sh $(APT_BUILD)

deps-test: deps
	@scripts/deps.sh $(APT_TEST)

frontend/node_modules/.installed: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

test: deps-test build test-go test-frontend test-e2e test-desktop

test-go:
	go vet ./...
	go test -race ./...

test-frontend: frontend/node_modules/.installed
	cd frontend && npm test

test-e2e: build
	scripts/e2e.sh $(BIN) $(OUT)/e2e

test-desktop: build
	scripts/desktop-smoke.sh $(BIN) $(OUT)/desktop

# Refreshes the README's screenshot from the desktop smoke test.
screenshot: test-desktop
	cp $(OUT)/desktop/window.png docs/screenshot.png

clean:
	rm -rf build/bin frontend/dist $(OUT)
