package catalog

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// TargetRouter says where a Location target given as an http(s) URL
// leads. Implementations must be safe for concurrent use.
type TargetRouter interface {
	// RouteTarget returns where url leads, or why it is not followed (the
	// message is shown after the target).
	RouteTarget(ctx context.Context, url string) (Route, error)
}

// Route is where a Location target URL leads: a file of the repository
// being processed (Path), a file of another repository (External), or
// else a file read with Options.Remote.
type Route struct {
	// Path is the file (or pattern) of this repository the URL names.
	Path string
	// External says the URL names a file of another repository, which the
	// caller syncs as a location of its own: Process reads nothing of it
	// and lists it in Result.External.
	External bool
	// Root is, for a file read with Options.Remote, what "/"-prefixed
	// targets and placeholders in it resolve against: its repository's
	// root as a URL ending in "/", or "" when it has none.
	Root string
}

// ExternalTarget is a Location target naming a file of another repository.
type ExternalTarget struct {
	URL      string
	Optional bool
	// Location is the ref of the Location entity listing it; At is where
	// (file, line, column and field).
	Location string
	At       Error
}

// locationTargets resolves a Location's target and targets as Backstage
// resolves them for a file of a repository registered by URL
// (LocationEntityProcessor's toAbsoluteUrl, then ScmIntegrations'
// resolveUrl): relative to the folder of the file that lists them, or to
// the repository root with a leading "/". Globs match the repository's
// files. URLs, and every target of a file read by URL, go where router
// says.
func locationTargets(ctx context.Context, files Files, router TargetRouter, from job, spec map[string]any) ([]job, []ExternalTarget, []violation) {
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
		return nil, nil, []violation{{path: []string{"spec", "type"}, msg: fmt.Sprintf("location type %q cannot be read from a repository; use url or file", typ)}}
	}
	var out []job
	var external []ExternalTarget
	var vs []violation
	for _, rt := range raw {
		t, at := rt.value, rt.at
		where := Error{Field: strings.Join(at, ".")}
		var name string
		switch {
		case isHTTP(t) || isHTTP(from.file) && !schemeRE().MatchString(t):
			u := t
			if !isHTTP(t) {
				var err error
				if u, err = resolveURL(from.file, from.root, t); err != nil {
					vs = append(vs, violation{at, fmt.Sprintf("target %s: %v", t, err)})
					continue
				}
			}
			if router == nil {
				vs = append(vs, violation{at, fmt.Sprintf("target %s is a URL, and targets are not followed by URL here", u)})
				continue
			}
			r, err := router.RouteTarget(ctx, u)
			switch {
			case err != nil:
				vs = append(vs, violation{at, fmt.Sprintf("target %s is not followed: %v", u, err)})
				continue
			case r.External:
				external = append(external, ExternalTarget{URL: u, Optional: optional, At: where})
				continue
			case r.Path == "" && isGlob(urlPath(u)):
				vs = append(vs, violation{at, fmt.Sprintf("target %s is a pattern, and the files of a server cannot be listed", u)})
				continue
			case r.Path == "":
				out = append(out, job{file: u, root: r.Root, optional: optional, at: targetAt{field: where.Field}})
				continue
			}
			name = r.Path
		case schemeRE().MatchString(t):
			vs = append(vs, violation{at, fmt.Sprintf("target %s is not a path or an http(s) URL", t)})
			continue
		default:
			var err error
			if name, err = repoPath(from.file, targetPath(t), false); err != nil {
				vs = append(vs, violation{at, "target " + err.Error()})
				continue
			}
		}
		if !isGlob(name) {
			out = append(out, job{file: name, optional: optional, at: targetAt{field: where.Field}})
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
				out = append(out, job{file: f, optional: true, at: targetAt{field: where.Field}})
				n++
			}
		}
		if n == 0 && !optional {
			vs = append(vs, violation{at, fmt.Sprintf("target %s matches no file in the repository", t)})
		}
	}
	return out, external, vs
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

// resolveURL resolves ref, a path written in the file read from base, as
// Backstage's resolveUrl does: "/x" from root (the file's repository as a
// URL, "" when it has none), anything else relative to base's folder;
// base's query is kept, a fragment dropped.
func resolveURL(base, root, ref string) (string, error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("%s is not a URL: %v", base, err)
	}
	ref = strings.ReplaceAll(ref, `\`, "/")
	if strings.HasPrefix(ref, "/") {
		if root == "" {
			return "", fmt.Errorf("%q is from the repository root, and %s is in no repository Callboard knows", ref, base)
		}
		if b, err = url.Parse(root); err != nil {
			return "", fmt.Errorf("%s is not a URL: %v", root, err)
		}
		ref = strings.TrimLeft(ref, "/")
	}
	r, err := url.Parse(ref)
	if err != nil {
		return "", fmt.Errorf("%q is not a path: %v", ref, err)
	}
	u := b.ResolveReference(r)
	u.RawQuery, u.Fragment = b.RawQuery, ""
	return u.String(), nil
}

// urlPath is u's path, where a URL target's pattern would be: a query
// (GitLab's ?ref=, Azure's ?path=) is part of the file's address.
func urlPath(u string) string {
	u, _, _ = strings.Cut(u, "#")
	u, _, _ = strings.Cut(u, "?")
	return u
}
