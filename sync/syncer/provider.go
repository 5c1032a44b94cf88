package syncer

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
)

// Provider returns the catalog files a plugin provides, by path. An error
// means the plugin could not answer (it crashed, hung, or is not
// installed): the location then keeps its last good entities and is
// marked failed, as when a git remote cannot be reached.
type Provider func(ctx context.Context, plugin string) (map[string][]byte, error)

// PluginScheme starts the URL of a location whose files a plugin
// provides: "plugin:<name>". Such a location has no repository.
const PluginScheme = "plugin:"

// AnnotationPlugin names the plugin an entity came from.
const AnnotationPlugin = "callboard.dev/plugin"

// ErrNoProvider is the error of a plugin location synced by a Syncer made
// without a Provider.
var ErrNoProvider = errors.New("plugins are not available here")

// PluginOf returns the plugin a location URL names, or ok false when the
// URL is not a plugin's.
func PluginOf(url string) (plugin string, ok bool) {
	plugin, ok = strings.CutPrefix(url, PluginScheme)
	if !ok || plugin == "" {
		return "", false
	}
	return plugin, true
}

// syncProvided is run for a plugin location: the plugin's files take the
// place of a fetch, and go through the same processing and store as a
// repository's files, every file a root.
func (s *Syncer) syncProvided(ctx context.Context, loc store.Location, plugin string) (string, error) {
	progress, throttled := s.reporters(ctx, loc)
	progress("fetch", 0, 0)
	if err := s.db.CheckSpace(); err != nil {
		return "", err
	}
	if s.provider == nil {
		return "", fmt.Errorf("plugin %s: %w", plugin, ErrNoProvider)
	}
	files, err := s.provider(ctx, plugin)
	if err != nil {
		return "", fmt.Errorf("plugin %s: %w", plugin, err)
	}
	commit := pseudoCommit(files)
	if commit == loc.HeadCommit && loc.LastError == "" {
		progress("done", 1, 1)
		return commit, s.db.MarkSynced(ctx, loc.ID, s.now())
	}
	progress("process", 0, len(files))
	res := processProvided(ctx, plugin, files, func(done, known int) { throttled("process", done, known) })
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return commit, s.save(ctx, loc.ID, commit, res, store.Snapshot{}, progress)
}

// processProvided processes a plugin's files, each one a root, and marks
// the entities with the plugin's name. A path that is not a plain relative
// path is refused with an error naming it.
func processProvided(ctx context.Context, plugin string, files map[string][]byte, report func(done, known int)) catalog.Result {
	mf := make(catalog.MapFiles, len(files))
	var bad []catalog.Error
	for name, data := range files {
		if clean := path.Clean(name); name == "" || clean != name || path.IsAbs(name) || clean == ".." || strings.HasPrefix(clean, "../") {
			bad = append(bad, catalog.Error{File: name, Message: "the plugin named a file by a path that is not a plain relative path; it was left out"})
			continue
		}
		mf[name] = string(data)
	}
	roots := slices.Sorted(maps.Keys(mf))
	opts := catalog.Options{LocationRef: func(file string) string { return PluginScheme + plugin + "/" + file }, Progress: report}
	res := catalog.Process(ctx, mf, opts, roots...)
	res.Errors = append(res.Errors, bad...)
	for i := range res.Entities {
		e := &res.Entities[i].Entity
		if e.Metadata.Annotations == nil {
			e.Metadata.Annotations = map[string]string{}
		}
		e.Metadata.Annotations[AnnotationPlugin] = plugin
		if md, ok := e.Raw["metadata"].(map[string]any); ok {
			if ann, ok := md["annotations"].(map[string]any); ok {
				ann[AnnotationPlugin] = plugin
			}
		}
	}
	return res
}

// pseudoCommit stands for a commit of a plugin's files: the hex SHA-256
// of their paths and contents, in path order, each length-prefixed.
func pseudoCommit(files map[string][]byte) string {
	h := sha256.New()
	var n [8]byte
	for _, name := range slices.Sorted(maps.Keys(files)) {
		for _, b := range [][]byte{[]byte(name), files[name]} {
			binary.BigEndian.PutUint64(n[:], uint64(len(b)))
			h.Write(n[:])
			h.Write(b)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
