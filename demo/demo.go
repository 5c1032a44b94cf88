package demo

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
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

// build initialises a repository in dir, writes and stages every demo file
// and commits them on main. Its errors name files relative to dir: the
// caller knows dir under the name the user will recognise.
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
	err = fs.WalkDir(src, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("read embedded %s: %w", name, err)
		}
		if d.IsDir() {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := fs.ReadFile(src, name)
		if err != nil {
			return fmt.Errorf("read embedded %s: %w", name, err)
		}
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
	})
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	sig := signature
	if _, err := wt.Commit(commitMessage, &git.CommitOptions{Author: &sig, Committer: &sig}); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return acceptPushes(dir)
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
