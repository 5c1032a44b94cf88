package catalogapi

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/sync/remote"
	"github.com/callboard/callboard/sync/urlfetch"
)

// RepoReader reads a repository the store does not hold, for POST
// /analyze-location: Folder the repository at the ref a URL names,
// shallow, bounded in time, with the token of its host only;
// *urlfetch.Fetcher is the one in use. Errors wrap remote.ErrNotAllowed
// for a host the user reads nothing from.
type RepoReader interface {
	Folder(ctx context.Context, url string) (urlfetch.Result, error)
}

// Bounds of reading a repository for an analysis: its catalog files are
// untrusted.
const (
	analyzeTimeout  = 60 * time.Second
	maxAnalyzeFiles = 20
	maxAnalyzeFile  = 1 << 20
	maxAnalyses     = 2
)

// remoteFiles are the entities of the catalog files named file in the
// folder t names (the repository's root when it names none), or the file
// itself when t names a file of that name, read from the repository as
// Backstage's SCM analyzers read it: not registered, each with the
// annotations Backstage's dry run gives it. None when the repository
// holds no such file. An error means the repository could not be read.
func (h *Handler) remoteFiles(ctx context.Context, t remote.Target, file string) ([]existingEntity, error) {
	ctx, cancel := context.WithTimeout(ctx, analyzeTimeout)
	defer cancel()
	select {
	case h.analyses <- struct{}{}:
		defer func() { <-h.analyses }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	res, err := h.repos.Folder(ctx, t.URL)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", t.URL, err)
	}
	names, err := catalogFiles(res.Files, res.Path, t.File(), file)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", t.URL, err)
	}
	out := []existingEntity{}
	for _, name := range names {
		if size, err := res.Files.Size(name); err != nil || size > maxAnalyzeFile {
			continue
		}
		data, err := res.Files.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read %s in %s: %w", name, t.URL, err)
		}
		target := t.URL
		if !t.File() {
			// Backstage names the default branch; the commit read stands
			// in when the URL names no ref.
			ref := t.Ref
			if ref == "" {
				ref = res.Commit
			}
			target = fileURL(t, ref, name)
		}
		opts := catalog.Options{LocationRef: func(string) string { return "url:" + target }}
		got := catalog.Process(ctx, catalog.MapFiles{name: string(data)}, opts, name)
		for _, e := range got.Entities {
			out = append(out, existingEntity{Location: locationSpec{Type: "url", Target: target}, Entity: withAddedAnnotations(e.Entity.Raw, target)})
		}
	}
	return out, nil
}

// catalogFiles are the files named file in the folder dir of files (its
// path when isFile), sorted, at most maxAnalyzeFiles.
func catalogFiles(files catalog.Files, dir string, isFile bool, file string) ([]string, error) {
	if isFile {
		if path.Base(dir) == file {
			return []string{dir}, nil
		}
		return nil, nil
	}
	all, err := files.List()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range all {
		if path.Base(f) != file || (dir != "" && dir != "." && !strings.HasPrefix(f, strings.TrimSuffix(dir, "/")+"/")) {
			continue
		}
		out = append(out, f)
	}
	slices.Sort(out)
	return out[:min(len(out), maxAnalyzeFiles)], nil
}

// fileURL is the web address of file p of t's repository at ref, in the
// forge's blob form.
func fileURL(t remote.Target, ref, p string) string {
	base := t.Scheme + "://" + t.Host + "/" + t.Repo
	esc := (&url.URL{Path: p}).EscapedPath()
	switch t.Forge {
	case remote.GitLab:
		return base + "/-/blob/" + ref + "/" + esc
	case remote.BitbucketCloud:
		return base + "/src/" + ref + "/" + esc
	case remote.Azure:
		return base + "?path=/" + url.QueryEscape(p) + "&version=GC" + ref
	}
	return base + "/blob/" + ref + "/" + esc
}

// withAddedAnnotations is raw with the annotations Backstage's
// processors add to an entity read from the file at target: its view
// and edit URLs and its folder.
func withAddedAnnotations(raw map[string]any, target string) map[string]any {
	md, _ := raw["metadata"].(map[string]any)
	if md == nil {
		return raw
	}
	ann, _ := md["annotations"].(map[string]any)
	if ann == nil {
		ann = map[string]any{}
		md["annotations"] = ann
	}
	if _, ok := ann["backstage.io/view-url"]; !ok {
		ann["backstage.io/view-url"] = target
	}
	if _, ok := ann["backstage.io/edit-url"]; !ok {
		edit := target
		if strings.Contains(edit, "/-/blob/") {
			edit = strings.Replace(edit, "/-/blob/", "/-/edit/", 1)
		} else {
			edit = strings.Replace(edit, "/blob/", "/edit/", 1)
		}
		ann["backstage.io/edit-url"] = edit
	}
	if _, ok := ann["backstage.io/source-location"]; !ok {
		ann["backstage.io/source-location"] = "url:" + target[:strings.LastIndex(target, "/")+1]
	}
	return raw
}
