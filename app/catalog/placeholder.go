package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Placeholders: a mapping with exactly one key, "$text", "$json" or "$yaml",
// is replaced by the contents of the file its value names, read as text,
// JSON or a single YAML document — Backstage's PlaceholderProcessor rules.
// A path is a file of the same repository at the same commit; an http(s)
// URL is read through Options.Remote, which hands a URL into the same
// repository back as a path, so that one is read from the commit too.

// RemoteReader reads the files URL placeholders name. Implementations must
// be safe for concurrent use.
type RemoteReader interface {
	// ReadRemote returns the file url names. A RemoteFile with Path set
	// means url points into the repository being processed at the commit
	// processed: that file is read as a local placeholder. An error says
	// why nothing could be read; messages show it after the URL.
	ReadRemote(ctx context.Context, url string) (RemoteFile, error)
}

// RemoteFile is a file read by URL.
type RemoteFile struct {
	// Path is the repository path a URL into this repository names.
	Path string
	Data []byte
	// ReadAt is when the file's server last gave or confirmed Data.
	ReadAt time.Time
	// Stale, when set, says why the server could not be asked now: Data
	// is the copy kept from ReadAt.
	Stale string
}

// Remote says when the files an entity's placeholders name by URL were
// read, so the entity can say how old its remote parts are.
type Remote struct {
	URLs []string `json:"urls"`
	// ReadAt is when the oldest of them was last read from (or confirmed
	// by) its server.
	ReadAt time.Time `json:"readAt"`
	// Stale, when set, says why some could not be read now: the copies
	// kept from ReadAt were used.
	Stale string `json:"stale,omitempty"`
}

// failedPlaceholder stands for a placeholder that could not be replaced,
// until its container takes it out.
type failedPlaceholder struct{}

// hasPlaceholder says whether any mapping in v has a "$" key, without
// allocating: most entities have none and skip substitution entirely.
func hasPlaceholder(v any) bool {
	switch x := v.(type) {
	case []any:
		for _, item := range x {
			if hasPlaceholder(item) {
				return true
			}
		}
	case map[string]any:
		for k, item := range x {
			if strings.HasPrefix(k, "$") || hasPlaceholder(item) {
				return true
			}
		}
	}
	return false
}

// substitution replaces the placeholders of one entity. left is how many
// bytes the entity may still grow by before it passes MaxEntitySize.
type substitution struct {
	ctx    context.Context
	files  Files
	remote RemoteReader // nil: URLs are not read
	file   string       // the repository path of the file the entity came from, or its URL
	root   string       // for a file read by URL, what "/" paths resolve against (Route.Root)
	left   int
	errs   []violation
	read   *Remote // what was read by URL
	// urls are the URLs read, by a hash of what each gave (and whether it
	// was a kept copy); failed says one could not be read, so the result
	// cannot be reused.
	urls   map[string]string
	failed bool
}

// substitute replaces the placeholders of entity m, which is size bytes
// as JSON, refusing any that would take it past MaxEntitySize. A
// placeholder that fails is reported and taken out (a null in a list);
// the others are still replaced, so the entity's other errors can be
// found too.
func (s *substitution) substitute(m map[string]any, size int) map[string]any {
	s.left = MaxEntitySize - size
	v, _ := s.value(m, nil)
	return v.(map[string]any)
}

// value returns v with every placeholder replaced, and whether any was.
// Containers are copied only when something inside them changed.
func (s *substitution) value(v any, path []string) (any, bool) {
	switch x := v.(type) {
	case []any:
		var out []any
		for i, item := range x {
			r, changed := s.value(item, append(path, strconv.Itoa(i)))
			if changed && out == nil {
				out = slices.Clone(x)
			}
			if _, gone := r.(failedPlaceholder); gone {
				r = nil
			}
			if out != nil {
				out[i] = r
			}
		}
		if out == nil {
			return v, false
		}
		return out, true
	case map[string]any:
		if len(x) == 1 {
			for k, arg := range x {
				if strings.HasPrefix(k, "$") {
					r, err := s.resolve(k[1:], arg, path)
					if err != nil {
						s.errs = append(s.errs, *err)
						return failedPlaceholder{}, true
					}
					return r, true
				}
			}
		}
		for k := range x {
			if strings.HasPrefix(k, "$") {
				return v, false // only a lone $ key is a placeholder; its siblings are left alone
			}
		}
		var out map[string]any
		for _, k := range sortedKeys(x) {
			r, changed := s.value(x[k], append(path, k))
			if changed && out == nil {
				out = maps.Clone(x)
			}
			if _, gone := r.(failedPlaceholder); gone {
				delete(out, k)
			} else if out != nil {
				out[k] = r
			}
		}
		if out == nil {
			return v, false
		}
		return out, true
	}
	return v, false
}

// resolve returns the value of one placeholder. Its file's size is
// checked against what the entity may still grow by before it is read,
// and the value read is charged for what it takes as JSON.
func (s *substitution) resolve(kind string, arg any, path []string) (any, *violation) {
	fail := func(format string, args ...any) (any, *violation) {
		return nil, &violation{path: slices.Clone(path), msg: "placeholder $" + kind + " " + fmt.Sprintf(format, args...)}
	}
	if kind != "text" && kind != "json" && kind != "yaml" {
		return map[string]any{"$" + kind: arg}, nil // unknown resolvers leave the value alone
	}
	ref, ok := arg.(string)
	if !ok {
		return fail("needs a string: a path relative to this file, or from the repository root with a leading /, or an https URL")
	}
	room := float64(max(s.left, 0)) / (1 << 20)
	var name string // the file read, as messages name it
	var data []byte
	if isHTTP(s.file) && !schemeRE().MatchString(ref) {
		// The entity's file was read by URL: its paths are URLs too.
		u, err := resolveURL(s.file, s.root, ref)
		if err != nil {
			return fail("cannot be read: %v", err)
		}
		ref = u
	}
	switch {
	case isHTTP(ref):
		if s.remote == nil {
			return fail("points at %s, and files are not read by URL here", ref)
		}
		f, err := s.remote.ReadRemote(s.ctx, ref)
		if err != nil {
			s.failed = true
			return fail("cannot read %s: %v", ref, err)
		}
		if f.Path == "" {
			name, data = ref, f.Data
			s.noteRead(ref, f)
			break
		}
		ref = "/" + f.Path // a URL into this repository: its file at this commit
		fallthrough
	default:
		if schemeRE().MatchString(ref) {
			return fail("points at %s: give a path in this repository or an http(s) URL", ref)
		}
		var err error
		if name, err = repoPath(s.file, ref, false); err != nil {
			return fail("cannot be read: %v", err)
		}
		if size, err := s.files.Size(name); err == nil && size > int64(s.left) {
			return fail("would make the entity larger than %d MB: %s is %.1f MB, and the entity has room for %.1f MB more", MaxEntitySize>>20, name, float64(size)/(1<<20), room)
		}
		data, err = ReadLimited(s.files, name)
		if isNotExist(err) {
			return fail("cannot be read: %s", missing(name, err))
		}
		if err != nil {
			return fail("cannot read %s: %v", name, err)
		}
	}
	var v any
	switch kind {
	case "text":
		v = strings.ToValidUTF8(string(data), "\uFFFD")
	case "json":
		if err := json.Unmarshal(data, &v); err != nil {
			return fail("cannot parse %s as JSON: %v", name, err)
		}
	default:
		docs, errs := readDocuments(data)
		switch {
		case len(errs) > 0:
			return fail("cannot parse %s as YAML: %v", name, &errs[0])
		case len(docs) != 1:
			return fail("expects exactly one YAML document in %s, found %d", name, len(docs))
		}
		v = docs[0].value
	}
	size := jsonSize(v, max(s.left, 0))
	if size > s.left {
		return fail("would make the entity larger than %d MB: %s, stored as JSON, takes more than the %.1f MB the entity has room for", MaxEntitySize>>20, name, room)
	}
	s.left -= size
	return v, nil
}

// remoteKey identifies what a URL gave, for the FileCache: its bytes, and
// whether they are a kept copy (an entity that says it shows one is not
// the same as one that does not).
func remoteKey(f RemoteFile) string {
	sum := sha256.Sum256(f.Data)
	if f.Stale != "" {
		return string(sum[:]) + "\x00kept"
	}
	return string(sum[:])
}

// isHTTP says whether ref is an http or https URL.
func isHTTP(ref string) bool {
	scheme, _, ok := strings.Cut(ref, "://")
	return ok && (strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "http"))
}

// noteRead records a file read by URL in the entity's Remote.
func (s *substitution) noteRead(url string, f RemoteFile) {
	if s.urls == nil {
		s.urls = map[string]string{}
	}
	s.urls[url] = remoteKey(f)
	s.read = s.read.with(url, f)
}

// with is r (nil for none yet) with f, read from url, added.
func (r *Remote) with(url string, f RemoteFile) *Remote {
	if r == nil {
		r = &Remote{ReadAt: f.ReadAt}
	}
	if !slices.Contains(r.URLs, url) {
		r.URLs = append(r.URLs, url)
	}
	if f.ReadAt.Before(r.ReadAt) {
		r.ReadAt = f.ReadAt
	}
	if f.Stale != "" && r.Stale == "" {
		r.Stale = url + ": " + f.Stale
	}
	return r
}
