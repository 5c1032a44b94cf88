package urlfetch

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/transport"

	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/remote"
)

// A tree entry is a folder per repository and ref: current.json names the
// commit in use, and beside it one shallow copy per commit, so a copy is
// never changed while someone reads it; a new commit is fetched beside
// the old one and current.json switched to it by a rename.

// current is what current.json holds.
type current struct {
	URL    string `json:"url"`
	Ref    string `json:"ref,omitempty"`
	Commit string `json:"commit"`
	// ReadAt is when the server last gave or confirmed Commit.
	ReadAt time.Time `json:"readAt"`
}

// entry is the folder of clone's ref.
func (f *Fetcher) entry(clone, ref string) string {
	sum := sha256.Sum256([]byte(clone + "\x00" + ref))
	return filepath.Join(f.o.Dir, "trees", hex.EncodeToString(sum[:16]))
}

func readCurrent(entry string) (current, bool, error) {
	data, err := os.ReadFile(filepath.Join(entry, "current.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return current{}, false, nil
	}
	if err != nil {
		return current{}, false, fmt.Errorf("read the kept copy's record: %w", err)
	}
	var c current
	if err := json.Unmarshal(data, &c); err != nil || c.Commit == "" {
		return current{}, false, nil // written by another version: fetched again
	}
	if _, err := os.Stat(filepath.Join(entry, c.Commit)); err != nil {
		return current{}, false, nil
	}
	return c, true, nil
}

// writeFile replaces name with data in one rename, so a reader in another
// process sees the old contents or the new.
func writeFile(name string, data []byte) error {
	tmp := name + ".tmp-" + randomHex()
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

func randomHex() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Folder returns the folder raw names (a forge's tree URL, or any URL
// into a repository): the repository at the commit the URL's ref names,
// fetched shallowly when it moved since the kept copy, or the kept copy
// when the server cannot be asked (Result.Stale says why). A ref that is
// a commit id is fetched once and never asked about again. Errors wrap
// remote.ErrBadURL for a URL that names no repository, remote.ErrNotAllowed
// for a host the user has not allowed, gitfetch.ErrNoRef for a ref the
// repository lacks.
func (f *Fetcher) Folder(ctx context.Context, raw string) (Result, error) {
	t, err := remote.Parse(raw)
	if err != nil {
		return Result{}, err
	}
	clone, err := cloneURL(t)
	if err != nil {
		return Result{}, err
	}
	if err := f.reader.Allowed(ctx, t.Host); err != nil {
		return Result{}, err
	}
	ref := t.RefName()
	entry := f.entry(clone, ref)
	defer f.lock(entry)()
	cur, have, err := readCurrent(entry)
	if err != nil {
		return Result{}, err
	}
	if have && gitfetch.IsCommitID(ref) && strings.HasPrefix(cur.Commit, strings.ToLower(ref)) {
		return f.open(ctx, entry, cur, t.Path, nil)
	}
	next, err := f.refresh(ctx, entry, clone, ref, cur, have)
	switch {
	case err == nil:
		return f.open(ctx, entry, next, t.Path, nil)
	case have && !final(err) && ctx.Err() == nil:
		f.o.Log.Info("folder fetched by URL taken from the kept copy", "url", raw, "commit", cur.Commit, "readAt", cur.ReadAt, "err", err)
		return f.open(ctx, entry, cur, t.Path, err)
	}
	return Result{}, err
}

// refresh asks the server which commit ref names and fetches it unless it
// is the one kept; it returns the new record.
func (f *Fetcher) refresh(ctx context.Context, entry, clone, ref string, cur current, have bool) (current, error) {
	ctx, cancel := context.WithTimeout(ctx, f.o.Timeout)
	defer cancel()
	auth, err := f.o.Credentials.AuthFor(ctx, clone)
	if err != nil {
		return current{}, fmt.Errorf("credentials for %s: %w", clone, err)
	}
	rr, err := gitfetch.RemoteCommit(ctx, clone, ref, auth)
	if err != nil {
		return current{}, err
	}
	next := current{URL: clone, Ref: ref, Commit: cur.Commit, ReadAt: f.o.Now().UTC()}
	if !have || !strings.HasPrefix(cur.Commit, rr.Commit) {
		if err := os.MkdirAll(entry, 0o700); err != nil {
			return current{}, fmt.Errorf("keep a fetched folder: %w", err)
		}
		tmp := filepath.Join(entry, ".new-"+randomHex())
		h, err := gitfetch.FetchShallow(ctx, clone, rr, auth, tmp)
		if err != nil {
			return current{}, err
		}
		next.Commit = h.Commit.String()
		// Another process may have fetched the same commit meanwhile.
		if err := os.Rename(tmp, filepath.Join(entry, next.Commit)); err != nil {
			os.RemoveAll(tmp)
			if _, statErr := os.Stat(filepath.Join(entry, next.Commit)); statErr != nil {
				return current{}, fmt.Errorf("keep a fetched folder: %w", err)
			}
		}
	}
	data, err := json.Marshal(next)
	if err != nil {
		return current{}, err
	}
	if err := writeFile(filepath.Join(entry, "current.json"), data); err != nil {
		return current{}, fmt.Errorf("keep a fetched folder: %w", err)
	}
	f.prune(entry, next.Commit)
	return next, nil
}

// prune removes the copies of other commits than keep, and fetches left
// half done by a process that stopped (another process may be fetching
// into a young one).
func (f *Fetcher) prune(entry, keep string) {
	items, err := os.ReadDir(entry)
	if err != nil {
		return
	}
	for _, it := range items {
		if !it.IsDir() || it.Name() == keep {
			continue
		}
		if strings.HasPrefix(it.Name(), ".new-") {
			if info, err := it.Info(); err != nil || f.o.Now().Sub(info.ModTime()) < 2*f.o.Timeout {
				continue
			}
		}
		if err := os.RemoveAll(filepath.Join(entry, it.Name())); err != nil {
			f.o.Log.Warn("remove an old fetched folder", "path", filepath.Join(entry, it.Name()), "err", err)
		}
	}
}

// open reads the kept copy cur; dir is the folder the URL names in it.
func (f *Fetcher) open(ctx context.Context, entry string, cur current, dir string, stale error) (Result, error) {
	h, err := gitfetch.OpenShallow(filepath.Join(entry, cur.Commit))
	if err != nil {
		return Result{}, fmt.Errorf("open the kept copy of %s: %w", cur.URL, err)
	}
	files, err := h.Files(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("read the kept copy of %s: %w", cur.URL, err)
	}
	return Result{Files: files, Path: dir, Commit: cur.Commit, ReadAt: cur.ReadAt, Stale: stale}, nil
}

// isRefusal says whether the server refused the repository to us.
func isRefusal(err error) bool {
	msg := err.Error()
	for _, e := range []error{transport.ErrRepositoryNotFound, transport.ErrAuthenticationRequired, transport.ErrAuthorizationFailed} {
		// go-git does not always wrap its sentinels, so its words count too.
		if errors.Is(err, e) || strings.Contains(msg, e.Error()) {
			return true
		}
	}
	return false
}

// cloneURL is the git URL of the repository t points into, as
// remote.Target.CloneURL gives it, refusing what names no repository's
// folder.
func cloneURL(t remote.Target) (string, error) {
	clone, err := t.CloneURL()
	switch {
	case err == nil:
		return clone, nil
	case t.Forge == remote.Plain:
		return "", fmt.Errorf("%w: %s is a file on a web server, not a folder of a repository; give a repository's folder URL (GitHub's tree/, GitLab's -/tree/…)", remote.ErrBadURL, t.URL)
	}
	return "", fmt.Errorf("%w: %w; give the repository's own URL", remote.ErrBadURL, err)
}
