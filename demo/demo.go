package demo

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// RootFile is the catalog file a location for the demo should read.
const RootFile = "catalog-info.yaml"

// Branch is the branch WriteRepo commits to.
const Branch = "main"

// The repository's files live under repo/ so the package's Go files are not
// part of it; "all:" keeps any dot-file the demo may hold.
//
//go:embed all:repo
var files embed.FS

// olderFiles are files of the first commit that differ from repo/: the
// go-service template as it was when harbour-radar was made from it.
//
//go:embed all:older
var olderFiles embed.FS

// FS returns the demo catalog files, rooted at the repository root.
func FS() fs.FS {
	// fs.Sub fails only for an invalid path, and "repo" is a valid one.
	sub, _ := fs.Sub(files, "repo")
	return sub
}

// signature is fixed, time included, so every first start produces the same
// commit hash: the demo is recognisable and tests can compare runs.
var signature = object.Signature{
	Name:  "Callboard Demo",
	Email: "demo@callboard.invalid",
	When:  time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC),
}

const commitMessage = "Marigold Ferries demo catalog\n\nWritten by Callboard on first start.\n"

// WriteRepo writes the demo catalog into dir as a git repository with one commit on branch "main"
// (fixed author "Callboard Demo <demo@callboard.invalid>" and a fixed time so the hash is stable).
// If dir already holds a git repository it leaves it alone and returns created=false.
// It creates dir if needed. Errors are wrapped with what failed and where.
//
// The repository is built in a temporary sibling directory and renamed into
// place, so a crash or a cancelled ctx never leaves a half-written repository
// that a later start would take for the finished one. A dir that exists, is
// not empty and is not a repository is refused rather than written into.
func WriteRepo(ctx context.Context, dir string) (created bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("write demo repository into %s: %w", dir, err)
	}
	if ok, err := isRepo(dir); err != nil || ok {
		if ok {
			// Written by a Callboard from before edits were pushed to it.
			err = acceptPushes(dir)
		}
		return false, err
	}
	if err := checkEmpty(dir); err != nil {
		return false, err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return false, fmt.Errorf("create demo repository parent %s: %w", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return false, fmt.Errorf("create demo repository staging dir in %s: %w", parent, err)
	}
	defer func() {
		if tmp != "" {
			os.RemoveAll(tmp) // best effort: a leftover only costs disk space
		}
	}()
	// MkdirTemp makes the dir private; the repository should look like any
	// other folder the user made.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return false, fmt.Errorf("set mode of %s: %w", tmp, err)
	}
	if err := build(ctx, tmp); err != nil {
		return false, fmt.Errorf("write demo repository into %s: %w", dir, err)
	}
	// An empty dir (made by the caller) is in the way of the rename; os.Remove
	// removes it only while it is empty.
	err = os.Remove(dir)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		err = os.Rename(tmp, dir)
	}
	if err != nil {
		// Another process may have written the same repository meanwhile.
		if ok, _ := isRepo(dir); ok {
			return false, nil
		}
		return false, fmt.Errorf("move demo repository into %s: %w", dir, err)
	}
	tmp = ""
	return true, nil
}

// isRepo reports whether dir holds a git repository (bare or not).
func isRepo(dir string) (bool, error) {
	_, err := git.PlainOpen(dir)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, git.ErrRepositoryNotExists):
		return false, nil
	}
	return false, fmt.Errorf("open %s as a git repository: %w", dir, err)
}

// checkEmpty fails unless dir is missing or an empty directory.
func checkEmpty(dir string) error {
	f, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("inspect %s: %w", dir, err)
	}
	defer f.Close()
	_, err = f.Readdirnames(1)
	switch {
	case errors.Is(err, io.EOF):
		return nil
	case err != nil:
		return fmt.Errorf("inspect %s: %w", dir, err)
	}
	return fmt.Errorf("write demo repository into %s: directory is not empty and is not a git repository", dir)
}

// build initialises a repository in dir and commits the demo on main in
// two commits: the organisation as it was, with an older go-service
// template (older/ over repo/, without projects/), then as it is, with
// harbour-radar, a project made from that older template whose record
// names the first commit, so a new user finds a template update waiting.
// Its errors name files relative to dir: the caller knows dir under the
// name the user will recognise.
func build(ctx context.Context, dir string) error {
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName(Branch)},
	})
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return fmt.Errorf("open worktree: %w", err)
	}
	src := FS()
	old, _ := fs.Sub(olderFiles, "older") // a valid path: fs.Sub cannot fail
	err = writeTree(ctx, dir, wt, src, func(name string) bool { return !strings.HasPrefix(name, ProjectDir+"/") })
	if err == nil {
		err = writeTree(ctx, dir, wt, old, nil)
	}
	if err != nil {
		return err
	}
	sig := signature
	first, err := wt.Commit(commitMessage, &git.CommitOptions{Author: &sig, Committer: &sig})
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if err := writeTree(ctx, dir, wt, src, nil); err != nil {
		return err
	}
	record, err := projectRecord(first.String())
	if err != nil {
		return err
	}
	if err := writeFile(dir, wt, ProjectDir+"/"+recordPath, record); err != nil {
		return err
	}
	sig.When = sig.When.Add(24 * time.Hour)
	if _, err := wt.Commit(updateMessage, &git.CommitOptions{Author: &sig, Committer: &sig}); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return acceptPushes(dir)
}

// writeTree writes and stages the files of src that keep accepts (nil:
// all).
func writeTree(ctx context.Context, dir string, wt *git.Worktree, src fs.FS, keep func(name string) bool) error {
	return fs.WalkDir(src, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("read embedded %s: %w", name, err)
		}
		if d.IsDir() || (keep != nil && !keep(name)) {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := fs.ReadFile(src, name)
		if err != nil {
			return fmt.Errorf("read embedded %s: %w", name, err)
		}
		return writeFile(dir, wt, name, data)
	})
}

func writeFile(dir string, wt *git.Worktree, name string, data []byte) error {
	dst := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("create folder of %s: %w", name, err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	// SkipStatus: a full worktree status per file would make the write
	// quadratic, and every file here is wanted, ignored or not.
	if err := wt.AddWithOptions(&git.AddOptions{Path: name, SkipStatus: true}); err != nil {
		return fmt.Errorf("stage %s: %w", name, err)
	}
	return nil
}

// ProjectDir is the demo's project made from an older go-service.
const ProjectDir = "projects/harbour-radar"

// recordPath is where a project keeps what made it (scaffold.RecordPath:
// the demo writes the record's format itself rather than depend on the
// engine).
const recordPath = ".callboard/template.json"

const updateMessage = "go-service: show the health check and the layout in the README\n\nNew services start with the curl that checks them and a map of the code.\n"

// projectRecord is harbour-radar's record: made from go-service at commit
// first, with the answers its files show.
func projectRecord(first string) ([]byte, error) {
	rec := map[string]any{
		"v":        1,
		"template": "template:default/go-service",
		"location": "demo",
		"file":     "templates/go-service/template.yaml",
		"commit":   first,
		"values": json.RawMessage(`{"name": "harbour-radar", "description": "Shows where each ferry is in the harbour.", ` +
			`"owner": "group:default/team-harbour", "system": "fleet-telemetry", "port": 8080, "repoUrl": "github.com?owner=marigold-ferries&repo=harbour-radar"}`),
		"callboardVersion": "demo",
		"created":          signature.When.Format(time.RFC3339),
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rec); err != nil {
		return nil, fmt.Errorf("record of %s: %w", ProjectDir, err)
	}
	return b.Bytes(), nil
}

// acceptPushes lets git push to the demo repository's checked-out branch,
// updating its files, so edits made in the app reach it like any remote.
func acceptPushes(dir string) error {
	repo, err := git.PlainOpen(dir)
	if err != nil {
		return fmt.Errorf("open demo repository %s: %w", dir, err)
	}
	cfg, err := repo.Config()
	if err != nil {
		return fmt.Errorf("read the config of %s: %w", dir, err)
	}
	section := cfg.Raw.Section("receive")
	if section.Option("denyCurrentBranch") == "updateInstead" {
		return nil
	}
	section.SetOption("denyCurrentBranch", "updateInstead")
	if err := repo.SetConfig(cfg); err != nil {
		return fmt.Errorf("write the config of %s: %w", dir, err)
	}
	return nil
}
