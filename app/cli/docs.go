package cli

import (
	"context"
	"errors"
	"fmt"
	iofs "io/fs"
	"net"
	"net/url"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/deeplink"
	"github.com/callboard/callboard/app/httpapi"
	"github.com/callboard/callboard/app/instance"
	"github.com/callboard/callboard/app/techdocs"
)

// docsBuild renders a TechDocs site to static HTML, as mkdocs build does;
// --strict fails (exit 1) on broken links and pages that do not render.
func (r *runner) docsBuild(ctx context.Context, args []string) error {
	fs := r.flags("docs build")
	out := fs.String("out", "", "the folder to write the site to (required)")
	strict := fs.Bool("strict", false, "exit 1 when a page has a broken link or does not render")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *out == "" {
		return usagef("docs build takes the folder holding mkdocs.yml and --out OUT, e.g. callboard docs build . --out site")
	}
	dir, err := catalog.OpenDir(pos[0])
	if err != nil {
		return usagef("docs build: %v", err)
	}
	defer dir.Close()
	site, err := techdocs.Load(dir, ".")
	if err != nil {
		return usagef("docs build: %v", err)
	}
	// A build is a burst of short-lived garbage (a page's parse tree,
	// tokens, HTML): collecting a quarter as often cut its CPU time by a
	// sixth on a site of 378 real READMEs, for 50 MB more at the peak.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	start := time.Now()
	res, err := site.Build(ctx, dir, *out)
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(r.env.Stderr, "warning: "+w)
	}
	if r.json {
		if err := r.printJSON(map[string]any{"pages": res.Pages, "assets": res.Assets, "warnings": res.Warnings, "out": *out}); err != nil {
			return err
		}
	} else {
		abs, _ := filepath.Abs(*out)
		fmt.Fprintf(r.env.Stdout, "built %s: %d pages, %d files, %d warnings in %s → %s\n", site.Name, res.Pages, res.Assets, len(res.Warnings), time.Since(start).Round(time.Millisecond), abs)
	}
	if *strict && len(res.Warnings) > 0 {
		return invalidError{fmt.Sprintf("docs build: %d warnings in strict mode", len(res.Warnings))}
	}
	return nil
}

// docsServe previews a docs folder as its author writes it: in the window
// (the running instance's, when there is one), or, without a display or
// with --http, in a browser from a loopback address. Saving a page or
// mkdocs.yml re-renders the page shown.
func (r *runner) docsServe(ctx context.Context, args []string) error {
	fs := r.flags("docs serve")
	addr := fs.String("http", "", "serve the preview to a browser at this loopback ADDR (host:port) instead of the window")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("docs serve takes the folder holding mkdocs.yml, e.g. callboard docs serve .")
	}
	dir, err := filepath.Abs(pos[0])
	if err != nil {
		return usagef("docs serve: %v", err)
	}
	if err := checkDocsFolder(dir); err != nil {
		return usagef("docs serve: %v", err)
	}
	route := "/docs/preview?" + url.Values{"dir": {dir}}.Encode()
	noDisplay := runtime.GOOS == "linux" && r.env.Getenv("DISPLAY") == "" && r.env.Getenv("WAYLAND_DISPLAY") == ""
	if *addr != "" || noDisplay || r.env.NewWindow == nil && r.env.ExecWindow == nil {
		listen := cmpOr(*addr, "127.0.0.1:7007")
		host, _, err := net.SplitHostPort(listen)
		if err != nil || !httpapi.IsLoopback(host) {
			return usagef("--http %q: want a loopback host:port, e.g. 127.0.0.1:7007", listen)
		}
		return r.serveHTTP(ctx, listen, "", route)
	}
	if root, err := instance.DataDir(r.dataDir); err == nil {
		if client, err := instance.Dial(ctx, root); err == nil {
			p, err := client.OpenDocsPreview(ctx, dir)
			if err != nil {
				return fmt.Errorf("preview %s in the instance running on %s: %w", dir, root, err)
			}
			return r.forwardLink(ctx, client, root, deeplink.Scheme+"://docs-preview/"+p.ID)
		}
	}
	if r.env.NewWindow == nil {
		args := []string{"docs", "serve", dir}
		if r.dataDir != "" {
			args = append(args, "--data-dir", r.dataDir)
		}
		err := r.env.ExecWindow(args)
		if errors.Is(err, iofs.ErrNotExist) {
			return usagef("this build has no desktop window (%v); add --http ADDR to preview in a browser", err)
		}
		return err
	}
	return r.runWindow(ctx, "", route)
}

// checkDocsFolder says why dir does not read as a docs site, or nil.
func checkDocsFolder(dir string) error {
	files, err := catalog.OpenDir(dir)
	if err != nil {
		return err
	}
	defer files.Close()
	_, err = techdocs.Load(files, ".")
	return err
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
