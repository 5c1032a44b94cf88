package cli

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/sync/remote"
)

// validateReport is the stable JSON shape of `catalog validate --json`.
type validateReport struct {
	Entities []validateEntity `json:"entities"`
	Files    []validateFile   `json:"files"`
	Warnings []validateError  `json:"warnings"`
}

type validateEntity struct {
	Ref    string          `json:"ref"`
	Kind   string          `json:"kind"`
	File   string          `json:"file"`
	Line   int             `json:"line"`
	Column int             `json:"column,omitempty"`
	Valid  bool            `json:"valid"`
	Errors []validateError `json:"errors"`
}

type validateFile struct {
	File   string          `json:"file"`
	Errors []validateError `json:"errors"`
}

type validateError struct {
	File    string `json:"file,omitempty"`
	Field   string `json:"field,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
}

// catalogValidate checks catalog files the way Backstage's catalog would,
// without a data dir or a running instance: it is what CI runs.
func (r *runner) catalogValidate(ctx context.Context, args []string) error {
	fs := r.flags("catalog validate")
	offline := fs.Bool("offline", false, "read no files by URL: placeholders and Location targets naming URLs are then errors")
	paths, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usagef("catalog validate needs at least one file or directory")
	}
	cwd, err := os.Getwd()
	if err != nil {
		return fmt.Errorf("catalog validate: %w", err)
	}
	if r.env.Getenv("GOGC") == "" {
		// A one-shot run over a whole catalog: trading some memory for less
		// garbage collection makes it about a quarter faster.
		debug.SetGCPercent(400)
	}
	groups, err := validationRoots(paths)
	if err != nil {
		return err
	}
	// Lists are empty, never null, so a reader can range over them.
	rep := validateReport{Entities: []validateEntity{}, Files: []validateFile{}, Warnings: []validateError{}}
	var reader *remote.Reader
	if !*offline {
		reader = r.remoteReader()
	}
	for _, g := range groups {
		if err := validateRepo(ctx, cwd, g, reader, &rep); err != nil {
			return err
		}
	}
	if len(rep.Entities) == 0 && len(rep.Files) == 0 {
		return usagef("catalog validate: no catalog files in %s", strings.Join(paths, ", "))
	}
	invalid := len(rep.Files) > 0
	for _, e := range rep.Entities {
		invalid = invalid || !e.Valid
	}
	if r.json {
		if err := r.printJSON(rep); err != nil {
			return err
		}
	} else {
		printValidation(r, rep)
	}
	if invalid {
		return invalidError{"catalog validate: some entities or files are invalid"}
	}
	return nil
}

// repoRoots are the files to process inside one repository.
type repoRoots struct {
	dir      string // the repository root: nearest .git above, or the path itself
	files    []string
	fromDirs bool // files were found in directories, not named one by one
}

// validationRoots groups the given paths by repository. A directory
// contributes every catalog file under it: catalog-info.yaml files and YAML
// files that look like entities, skipping template skeletons (files with
// ${{ }} expressions are not entities until a template renders them).
func validationRoots(paths []string) ([]repoRoots, error) {
	var groups []repoRoots
	seen := map[string]bool{}
	add := func(dir, file string, fromDir bool) {
		if seen[filepath.Join(dir, file)] {
			return
		}
		seen[filepath.Join(dir, file)] = true
		for i := range groups {
			if groups[i].dir == dir {
				groups[i].files = append(groups[i].files, file)
				groups[i].fromDirs = groups[i].fromDirs || fromDir
				return
			}
		}
		groups = append(groups, repoRoots{dir: dir, files: []string{file}, fromDirs: fromDir})
	}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, usagef("catalog validate: %v", err)
		}
		fi, err := os.Stat(abs)
		if err != nil {
			return nil, usagef("catalog validate: %v", err)
		}
		if !fi.IsDir() {
			root := repoRoot(filepath.Dir(abs))
			rel, _ := filepath.Rel(root, abs)
			add(root, filepath.ToSlash(rel), false)
			continue
		}
		root := repoRoot(abs)
		found, err := catalogFiles(abs)
		if err != nil {
			return nil, fmt.Errorf("catalog validate: %w", err)
		}
		if len(found) == 0 {
			return nil, usagef("catalog validate: no YAML files in %s", p)
		}
		for _, f := range found {
			rel, _ := filepath.Rel(root, f)
			add(root, filepath.ToSlash(rel), true)
		}
	}
	return groups, nil
}

func repoRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

// skippedDirs are the folders a directory walk never enters: version
// control data, other projects' files (dependencies, virtual environments,
// tool caches), whose YAML is nobody's catalog, and template skeletons.
// Other dot-folders are entered: many repositories keep their catalog in
// .backstage/.
var skippedDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true, ".bzr": true, ".jj": true, "_darcs": true, "CVS": true,
	"node_modules": true, "bower_components": true, "vendor": true, ".venv": true, "venv": true,
	"__pycache__": true, ".tox": true, ".terraform": true, ".gradle": true, ".cache": true,
	"skeleton": true,
}

// catalogFiles finds the YAML files under dir that may hold entities,
// catalog-info.yaml files first (shallowest first) so Locations are
// followed in Backstage's order. Which of them really are catalog files is
// decided from their contents while they are processed (isCatalogFile).
func catalogFiles(dir string) ([]string, error) {
	var infos, others []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && skippedDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		ext := filepath.Ext(p)
		switch {
		case ext != ".yaml" && ext != ".yml" || d.Name() == "mkdocs.yml" || d.Name() == "mkdocs.yaml":
		case d.Name() == "catalog-info.yaml" || d.Name() == "catalog-info.yml":
			infos = append(infos, p)
		default:
			others = append(others, p)
		}
		return nil
	})
	slices.SortStableFunc(infos, func(a, b string) int { return strings.Count(a, "/") - strings.Count(b, "/") })
	return append(infos, others...), err
}

// isCatalogFile says whether a YAML file found in a directory holds
// entities: it names an apiVersion and a kind, and is not part of a
// template's skeleton (template expressions outside a Template entity).
func isCatalogFile(data []byte) bool {
	return looksLikeEntity(data) && !isSkeleton(data)
}

var templateKind = regexp.MustCompile(`(?m)^kind:\s*Template\s*$`)

// isSkeleton says a file is part of a template's skeleton: it holds
// template expressions but is not itself a Template entity.
func isSkeleton(data []byte) bool {
	return (bytes.Contains(data, []byte("${{")) || bytes.Contains(data, []byte("{{ cookiecutter"))) && !templateKind.Match(data)
}

func looksLikeEntity(data []byte) bool {
	return (bytes.HasPrefix(data, []byte("apiVersion:")) || bytes.Contains(data, []byte("\napiVersion:"))) &&
		(bytes.HasPrefix(data, []byte("kind:")) || bytes.Contains(data, []byte("\nkind:")))
}

// remoteReader reads placeholder files by URL for validate: from any host
// (the user chose the files to check), with the user's tokens for each
// host's own use (no host is trusted with CALLBOARD_GIT_TOKEN here), kept
// in memory for this run.
func (r *runner) remoteReader() *remote.Reader {
	return remote.New(remote.Options{Token: remote.GitTokens(r.credentials())})
}

// checkout is the repository dir is a checkout of, as a remote.Home: a
// URL into it at the branch checked out (or its commit) is read from the
// files in dir. Without a git checkout with an origin there is none.
func checkout(dir string) remote.Home {
	repo, err := git.PlainOpen(dir)
	if err != nil {
		return remote.Home{}
	}
	origin, err := repo.Remote("origin")
	if err != nil || len(origin.Config().URLs) == 0 {
		return remote.Home{}
	}
	home := remote.Home{URL: origin.Config().URLs[0]}
	head, err := repo.Head()
	if err != nil {
		return home
	}
	home.Commit = head.Hash().String()
	if head.Name().IsBranch() {
		home.Branch = head.Name().Short()
		def, err := repo.Reference(plumbing.NewRemoteHEADReferenceName("origin"), false)
		home.DefaultBranch = err == nil && def.Type() == plumbing.SymbolicReference && def.Target().Short() == "origin/"+home.Branch
	}
	return home
}

// validateTargets routes Location targets by URL for validate: into the
// checkout (home) they are its files; anything else, another repository
// included, is read by URL, so an organisation's root Location is
// checked without cloning what it lists.
type validateTargets struct{ home remote.Home }

func (v validateTargets) RouteTarget(_ context.Context, url string) (catalog.Route, error) {
	t, err := remote.Parse(url)
	if err != nil {
		return catalog.Route{}, err
	}
	if p, ok := t.In(v.home); ok {
		return catalog.Route{Path: p}, nil
	}
	if !t.File() && t.Forge != remote.Plain {
		return catalog.Route{}, fmt.Errorf("%w: point at a catalog file", remote.ErrNoFile)
	}
	return catalog.Route{Root: t.RootURL()}, nil
}

// validatePlaceholders is a remote session as the catalog's RemoteReader.
type validatePlaceholders struct{ sess *remote.Session }

func (p validatePlaceholders) ReadRemote(ctx context.Context, url string) (catalog.RemoteFile, error) {
	f, err := p.sess.Read(ctx, url)
	return catalog.RemoteFile{Path: f.Path, Data: f.Data, ReadAt: f.ReadAt}, err
}

func validateRepo(ctx context.Context, cwd string, g repoRoots, reader *remote.Reader, rep *validateReport) error {
	files, err := catalog.OpenDir(g.dir)
	if err != nil {
		return usagef("catalog validate: %v", err)
	}
	defer files.Close()
	display := func(file string) string {
		if strings.HasPrefix(file, "https://") || strings.HasPrefix(file, "http://") {
			return file // read by URL
		}
		if rel, err := filepath.Rel(cwd, filepath.Join(g.dir, file)); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
		return filepath.Join(g.dir, file)
	}
	opts := catalog.Options{LocationRef: func(file string) string { return "file:" + filepath.Join(g.dir, file) }}
	if g.fromDirs {
		opts.Candidate = isCatalogFile
	}
	if reader != nil {
		home := checkout(g.dir)
		opts.Remote = validatePlaceholders{reader.Session(home, remote.Budget{})}
		opts.Targets = validateTargets{home}
	}
	res := catalog.Process(ctx, files, opts, g.files...)
	conv := func(e catalog.Error, withFile bool) validateError {
		v := validateError{Field: e.Field, Line: e.Line, Column: e.Column, Message: e.Message}
		if withFile {
			v.File = display(e.File)
		}
		return v
	}
	// An entity with no kind or name has no ref for its errors to carry:
	// those shown under it are not shown again under its file.
	shown := map[catalog.Error]bool{}
	for _, v := range res.Verdicts {
		out := validateEntity{Ref: v.Ref, Kind: v.Kind, File: display(v.Source.File), Line: v.Source.Line, Column: v.Source.Column, Valid: v.Valid(), Errors: []validateError{}}
		for _, e := range v.Errors {
			out.Errors = append(out.Errors, conv(e, e.File != v.Source.File))
			shown[e] = true
		}
		rep.Entities = append(rep.Entities, out)
	}
	byFile := map[string]int{}
	for _, e := range res.Errors {
		if e.Entity != "" || shown[e] {
			continue
		}
		name := display(e.File)
		i, ok := byFile[name]
		if !ok {
			i = len(rep.Files)
			byFile[name] = i
			rep.Files = append(rep.Files, validateFile{File: name})
		}
		rep.Files[i].Errors = append(rep.Files[i].Errors, conv(e, false))
	}
	for _, w := range res.Warnings {
		rep.Warnings = append(rep.Warnings, conv(w, true))
	}
	return nil
}

func position(file string, line, col int) string {
	switch {
	case line == 0:
		return file
	case col == 0:
		return fmt.Sprintf("%s:%d", file, line)
	}
	return fmt.Sprintf("%s:%d:%d", file, line, col)
}

func (e validateError) String(file string) string {
	if e.File != "" {
		file = e.File
	}
	s := position(file, e.Line, e.Column) + ": "
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + e.Message
}

func printValidation(r *runner, rep validateReport) {
	w := r.env.Stdout
	width := 0
	for _, e := range rep.Entities {
		width = max(width, len(e.Ref))
	}
	valid := 0
	for _, e := range rep.Entities {
		verdict, ref := "ok  ", e.Ref
		if !e.Valid {
			verdict = "FAIL"
		} else {
			valid++
		}
		if ref == "" {
			ref = "(no kind or name)"
		}
		fmt.Fprintf(w, "%s  %-*s  %s\n", verdict, width, ref, position(e.File, e.Line, 0))
		for _, err := range e.Errors {
			fmt.Fprintf(w, "      %s\n", err.String(e.File))
		}
	}
	fileErrs := 0
	for _, f := range rep.Files {
		for _, err := range f.Errors {
			fmt.Fprintf(w, "FAIL  %s\n", err.String(f.File))
			fileErrs++
		}
	}
	for _, warn := range rep.Warnings {
		fmt.Fprintf(w, "warn  %s\n", warn.String(""))
	}
	fmt.Fprintf(w, "%s: %d valid, %d invalid; %s, %s\n", plural(len(rep.Entities), "entity", "entities"),
		valid, len(rep.Entities)-valid, plural(fileErrs, "file error", "file errors"), plural(len(rep.Warnings), "warning", "warnings"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
