package catalog

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// locationTargets resolves a Location's target and targets as Backstage
// resolves them for a file of a repository registered by URL
// (LocationEntityProcessor's toAbsoluteUrl, then ScmIntegrations'
// resolveUrl): relative to the folder of the file that lists them, or to
// the repository root with a leading "/". Globs match the repository's
// files.
func locationTargets(files Files, file string, spec map[string]any) ([]job, []violation) {
	type target struct {
		value string
		at    []string
	}
	var raw []target
	if t, ok := spec["target"].(string); ok && t != "" {
		raw = append(raw, target{t, []string{"spec", "target"}})
	}
	ts, _ := spec["targets"].([]any)
	for i, t := range ts {
		raw = append(raw, target{t.(string), []string{"spec", "targets", strconv.Itoa(i)}})
	}
	optional := spec["presence"] == "optional"
	if typ, ok := spec["type"].(string); ok && typ != "url" && typ != "file" && len(raw) > 0 {
		return nil, []violation{{path: []string{"spec", "type"}, msg: fmt.Sprintf("location type %q cannot be read from a repository; use url or file", typ)}}
	}
	var out []job
	var vs []violation
	for _, rt := range raw {
		t, at := rt.value, rt.at
		if schemeRE.MatchString(t) {
			vs = append(vs, violation{at, fmt.Sprintf("target %s is a URL: only files of this repository are followed; add that repository as its own location", t)})
			continue
		}
		name, err := repoPath(file, targetPath(t), false)
		if err != nil {
			vs = append(vs, violation{at, "target " + err.Error()})
			continue
		}
		where := Error{Field: strings.Join(at, ".")}
		if !isGlob(name) {
			out = append(out, job{file: name, optional: optional, at: where})
			continue
		}
		all, err := files.List()
		if err != nil {
			vs = append(vs, violation{at, fmt.Sprintf("cannot list files for target %s: %v", t, err)})
			continue
		}
		n := 0
		for _, f := range all {
			if globMatch(name, f) {
				out = append(out, job{file: f, optional: true, at: where})
				n++
			}
		}
		if n == 0 && !optional {
			vs = append(vs, violation{at, fmt.Sprintf("target %s matches no file in the repository", t)})
		}
	}
	return out, vs
}

// targetPath is the path a relative target names once resolved as a URL
// reference, as Backstage resolves it: backslashes are slashes, a query or
// fragment is not part of the path, and percent escapes are decoded (its
// URL reader decodes them).
func targetPath(t string) string {
	t = strings.ReplaceAll(t, `\`, "/")
	if i := strings.IndexAny(t, "?#"); i >= 0 {
		t = t[:i]
	}
	if p, err := url.PathUnescape(t); err == nil {
		t = p
	}
	return t
}
