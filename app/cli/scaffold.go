package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/instance"
	"github.com/callboard/callboard/app/nunjucks"
	"github.com/callboard/callboard/app/portal"
	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/remote"
	"github.com/callboard/callboard/sync/urlfetch"
)

// scaffold runs a software template: a catalog template by ref, or one
// from a folder (a platform team trying a template before publishing it).
// Exit 1 when the run fails.
func (r *runner) scaffold(ctx context.Context, args []string) error {
	fs := r.flags("scaffold")
	valuesFile := fs.String("values", "", "the form's answers as a JSON file (- for stdin)")
	out := fs.String("out", "", "the folder to put the new project in (required, unless --dry-run)")
	dry := fs.Bool("dry-run", false, "show the files and logs without writing anything")
	overwrite := fs.Bool("overwrite", false, "write into --out even when it has files")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (*out == "" && !*dry) {
		return usagef("scaffold takes a template (a catalog ref or a template.yaml) and --out DIR, e.g. callboard scaffold template:go-service --values answers.json --out ~/src/radar")
	}
	values, err := r.readValues("scaffold", *valuesFile)
	if err != nil {
		return err
	}
	target := ""
	if *out != "" {
		if target, err = filepath.Abs(*out); err != nil {
			return usagef("scaffold: --out: %v", err)
		}
	}
	file, isPath, err := templateFile(pos[0])
	if err != nil {
		return usagef("scaffold: %v", err)
	}
	var run portal.ScaffoldRun
	if isPath {
		run, err = r.scaffoldFolder(ctx, file, values, target, *dry, *overwrite)
	} else {
		conn, err := r.open(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		run, err = conn.api.Scaffold(ctx, portal.ScaffoldRequest{Template: pos[0], Values: values, Target: target, DryRun: *dry, Overwrite: *overwrite, Wait: true})
		if err != nil {
			return err
		}
	}
	if err != nil {
		return err
	}
	if r.json {
		if err := r.printJSON(run); err != nil {
			return err
		}
	} else {
		r.printRun(run)
	}
	if run.Status != string(scaffold.Completed) {
		return invalidError{fmt.Sprintf("scaffold: %s: %s", run.Status, run.Error)}
	}
	return nil
}

// readValues reads the form's answers from file (- for stdin; "" for
// none, {}).
func (r *runner) readValues(cmd, file string) (json.RawMessage, error) {
	if file == "" {
		return json.RawMessage(`{}`), nil
	}
	var data []byte
	var err error
	if file == "-" {
		data, err = io.ReadAll(r.env.Stdin)
	} else {
		data, err = os.ReadFile(file)
	}
	if err != nil {
		return nil, usagef("%s: read the values: %v", cmd, err)
	}
	if !json.Valid(data) {
		return nil, usagef("%s: %s is not JSON", cmd, file)
	}
	return data, nil
}

// templateFile finds the template file a path names: the file itself, or
// in a folder its template.yaml (template.yml), else the one YAML file
// there holding a Template. isPath is false for an argument that is no
// path, a catalog ref.
func templateFile(p string) (file string, isPath bool, err error) {
	fi, err := os.Stat(p)
	switch {
	case err == nil && !fi.IsDir():
		return p, true, nil
	case err == nil:
		return templateInFolder(p)
	case strings.HasPrefix(p, ".") || strings.HasPrefix(p, "~") || filepath.IsAbs(p) ||
		strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml"):
		// No entity ref looks like this: the user meant a file.
		return "", true, fmt.Errorf("%s: no such file or folder", p)
	}
	return "", false, nil
}

func templateInFolder(dir string) (string, bool, error) {
	for _, name := range []string{"template.yaml", "template.yml"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err == nil && !fi.IsDir() {
			return filepath.Join(dir, name), true, nil
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", true, err
	}
	var found []string
	for _, e := range entries {
		if ext := filepath.Ext(e.Name()); e.IsDir() || ext != ".yaml" && ext != ".yml" {
			continue
		}
		if data, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil && len(data) <= catalog.MaxFileSize && templateKind.Match(data) {
			found = append(found, e.Name())
		}
	}
	switch len(found) {
	case 0:
		return "", true, fmt.Errorf("%s has no template.yaml, nor any YAML file with kind: Template; give the folder holding the template, its file, or a catalog ref such as template:default/go-service", dir)
	case 1:
		return filepath.Join(dir, found[0]), true, nil
	}
	return "", true, fmt.Errorf("%s holds several templates (%s): name the file", dir, strings.Join(found, ", "))
}

// scaffoldFolder runs a template read from a folder, without the
// catalog: it is read through catalog.Process as a catalog would read it
// (placeholders resolved, those naming a URL read online), with its
// repository (the git checkout holding it, else its folder) as the files
// relative fetch URLs and placeholders reach. Fetch URLs into that
// repository read its files; others are fetched and kept in the data dir,
// for offline use. Catalog actions that need the catalog fail,
// registering is left to the user.
func (r *runner) scaffoldFolder(ctx context.Context, file string, values json.RawMessage, target string, dry, overwrite bool) (portal.ScaffoldRun, error) {
	t, closeFiles, err := r.loadFolderTemplate(ctx, "scaffold", file)
	if err != nil {
		return portal.ScaffoldRun{}, err
	}
	defer closeFiles()
	v, err := nunjucks.DecodeJSON(values)
	if err != nil {
		return portal.ScaffoldRun{}, usagef("scaffold: values: %v", err)
	}
	work, err := os.MkdirTemp("", "callboard-scaffold-")
	if err != nil {
		return portal.ScaffoldRun{}, err
	}
	defer os.RemoveAll(work)
	res := scaffold.NewRunner(r.folderHost(), nil).Run(ctx, t, scaffold.Request{Values: v, DryRun: dry, Target: target, Overwrite: overwrite, WorkDir: work}, nil)
	run := portal.ResultRun(res, dry)
	run.Template, run.Title, run.Target, run.DryRun = t.Ref, t.Title, target, dry
	for _, p := range res.Publish {
		run.Publish = append(run.Publish, portal.PublishState{Remote: p.Remote, Branch: p.Branch, Status: "local"})
	}
	return run, nil
}

// loadFolderTemplate reads the template in file through catalog.Process,
// with its repository (the git checkout holding it, else its folder) as
// the files relative fetch URLs and placeholders reach; closeFiles closes
// those files once the template has run.
func (r *runner) loadFolderTemplate(ctx context.Context, cmd, file string) (t scaffold.Template, closeFiles func(), err error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return t, nil, usagef("%s: %v", cmd, err)
	}
	root := repoRoot(filepath.Dir(abs))
	dir, err := catalog.OpenDir(root)
	if err != nil {
		return t, nil, usagef("%s: %v", cmd, err)
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		dir.Close()
		return t, nil, usagef("%s: %v", cmd, err)
	}
	src := scaffold.Source{Files: dir, File: filepath.ToSlash(rel), Home: checkout(root)}
	opts := catalog.Options{Remote: validatePlaceholders{r.remoteReader().Session(src.Home, remote.Budget{})}}
	if t, err = scaffold.Load(ctx, src, "", opts); err != nil {
		dir.Close()
		return t, nil, usagef("%s: %v", cmd, err)
	}
	return t, func() { dir.Close() }, nil
}

// folderHost fetches what a template run from a folder names by URL, with
// the user's tokens for each host's own use, kept under the data dir; nil
// (URLs into other repositories refused) when there is no data dir.
func (r *runner) folderHost() scaffold.Host {
	root, err := instance.DataDir(r.dataDir)
	if err != nil {
		return nil
	}
	home, _ := os.UserHomeDir()
	creds := gitfetch.Credentials{Tokens: r.env.Tokens, Getenv: r.env.Getenv, Home: home, Keyring: &gitfetch.Keyring{Getenv: r.env.Getenv}}
	return fetchHost{urlfetch.New(urlfetch.Options{Dir: filepath.Join(root, "cache", "fetched"), Credentials: creds})}
}

// fetchHost is a scaffold.Host without a catalog.
type fetchHost struct{ f *urlfetch.Fetcher }

func (fetchHost) Entity(context.Context, string) (any, bool, error) { return nil, false, nil }

func (h fetchHost) Folder(ctx context.Context, url string) (scaffold.Fetched, error) {
	res, err := h.f.Folder(ctx, url)
	return fetched(res), err
}

func (h fetchHost) File(ctx context.Context, url string) (scaffold.Fetched, error) {
	res, err := h.f.File(ctx, url)
	return fetched(res), err
}

func fetched(r urlfetch.Result) scaffold.Fetched {
	return scaffold.Fetched{Files: r.Files, Path: r.Path, Commit: r.Commit, ReadAt: r.ReadAt, Stale: r.Stale}
}

func (r *runner) printRun(run portal.ScaffoldRun) {
	w := r.env.Stdout
	for _, s := range run.Steps {
		fmt.Fprintf(w, "%-9s %s (%s) %d ms\n", s.Status, s.Name, s.Action, s.DurationMS)
		for _, l := range s.Log {
			fmt.Fprintf(w, "          %s\n", l)
		}
	}
	if run.DryRun {
		fmt.Fprintln(w, "\nfiles (dry run, nothing written):")
		for _, f := range run.Files {
			if !f.Dir {
				fmt.Fprintf(w, "  %s (%d bytes)\n", f.Path, f.Size)
			}
		}
	} else if run.Status == string(scaffold.Completed) {
		fmt.Fprintf(w, "\ncreated %s (%d files)\n", run.Target, countFiles(run.Files))
	}
	for _, p := range run.Publish {
		switch p.Status {
		case "pushed":
			fmt.Fprintf(w, "pushed %s to %s\n", p.Branch, p.Remote)
		case "pending":
			fmt.Fprintf(w, "not pushed yet (%s): the next sync tries again\n", p.Error)
		}
	}
	for _, ref := range run.Registered {
		fmt.Fprintf(w, "registered %s in the catalog\n", ref)
	}
	for _, l := range run.Links {
		fmt.Fprintf(w, "%s: %s\n", strings.TrimSpace(cmp.Or(l.Title, "link")), cmp.Or(l.URL, l.EntityRef))
	}
	for _, t := range run.Texts {
		fmt.Fprintf(w, "%s\n%s\n", t.Title, t.Content)
	}
}

func countFiles(files []portal.ScaffoldFile) int {
	n := 0
	for _, f := range files {
		if !f.Dir {
			n++
		}
	}
	return n
}
