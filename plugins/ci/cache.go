package ci

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/callboard/callboard/plugins/sdk"
)

// cachedRuns is one repository's latest runs as last fetched: one file per
// API host and owner/repo.
type cachedRuns struct {
	API       string    `json:"api"`
	Repo      string    `json:"repo"`
	FetchedAt time.Time `json:"fetchedAt"`
	Runs      []run     `json:"runs"`
	// Entity is the entity whose page fetched them last, for the Home
	// card of red CI on what the user owns.
	Entity cachedEntity `json:"entity"`
}

// cachedEntity is who shows a repository's runs: its ref and owner.
type cachedEntity struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Owner     string `json:"owner"`
}

// entityOf is ent as the cache keeps it.
func entityOf(ent sdk.Entity) cachedEntity {
	owner, _ := ent.Spec["owner"].(string)
	ns := ent.Metadata.Namespace
	if ns == "" {
		ns = "default"
	}
	return cachedEntity{Kind: ent.Kind, Namespace: ns, Name: ent.Metadata.Name, Owner: owner}
}

// runCache keeps the last runs fetched of each repository in a folder.
type runCache struct {
	dir string
}

// path is the file of owner/repo of the API at base: dir/host/owner/repo.json,
// lower-cased as GitHub's names are case-insensitive. owner and repo are
// checked by parseSlug, so they stay inside dir.
func (c runCache) path(base, owner, repo string) string {
	host := base
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		host = u.Host
	}
	host = strings.NewReplacer(":", "_", "/", "_", `\`, "_").Replace(strings.ToLower(host))
	return filepath.Join(c.dir, host, strings.ToLower(owner), strings.ToLower(repo)+".json")
}

// load returns the cached runs of owner/repo; ok is false when there are
// none. A file that cannot be decoded is an error.
func (c runCache) load(base, owner, repo string) (v cachedRuns, ok bool, err error) {
	p := c.path(base, owner, repo)
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return cachedRuns{}, false, nil
	}
	if err != nil {
		return cachedRuns{}, false, fmt.Errorf("read cache: %w", err)
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return cachedRuns{}, false, fmt.Errorf("decode cache %s: %w", p, err)
	}
	return v, true, nil
}

// store writes v as the runs of owner/repo, replacing the file whole so a
// reader never sees half of it.
func (c runCache) store(base, owner, repo string, v cachedRuns) error {
	p := c.path(base, owner, repo)
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode cache: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return fmt.Errorf("cache dir: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".runs-*.tmp")
	if err != nil {
		return fmt.Errorf("write cache: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, p)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write cache %s: %w", p, err)
	}
	return nil
}
