package portal

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/remote"
)

// Entities read from a Backstage have no file of the location's: their
// files are in the repositories Backstage read them from, which their
// managed-by-location (a file) or source-location (a folder) names.

// sourceURL is the repository URL entity e was read from: its
// managed-by-location's file, else its source-location's folder (folder
// true); "" when it names neither as a url: location.
func sourceURL(e catalog.Entity) (raw string, folder bool) {
	ann := e.Metadata.Annotations
	if u, ok := strings.CutPrefix(ann[catalog.AnnotationLocation], "url:"); ok {
		return u, false
	}
	if u, ok := strings.CutPrefix(ann["backstage.io/source-location"], "url:"); ok {
		return u, true
	}
	return "", false
}

// backstageTemplateSource is where a template a Backstage lists was read
// from: the repository its managed-by-location names, fetched by URL as
// fetch steps are (the clone of a location on it when the user has one,
// else a shallow fetch kept for offline, the token only to its host), so
// its skeletons resolve against the template's own folder there.
func (s *templateRuns) backstageTemplateSource(ctx context.Context, e store.Entity, loc store.Location) (scaffold.Source, error) {
	raw, folder := sourceURL(e.Entity)
	ref := e.Entity.Ref()
	if raw == "" {
		return scaffold.Source{}, fmt.Errorf("template %s was read from the Backstage at %s, which names no repository it came from "+
			"(neither %s nor backstage.io/source-location is a url: location): its skeletons cannot be read: %w",
			ref, loc.Backstage.BaseURL, catalog.AnnotationLocation, ErrConflict)
	}
	t, err := remote.Parse(raw)
	if err != nil {
		return scaffold.Source{}, fmt.Errorf("template %s comes from %s: %w", ref, raw, err)
	}
	f, err := s.fetchByURL(ctx, raw, true)
	if err != nil {
		return scaffold.Source{}, fmt.Errorf("template %s: read its repository %s: %w", ref, raw, err)
	}
	file := f.Path
	if folder {
		// Only the folder is known: relative URLs resolve against it.
		file = path.Join(f.Path, "template.yaml")
	}
	home := remote.Home{URL: raw, Branch: t.RefName(), Commit: f.Commit, DefaultBranch: t.Ref == ""}
	if clone, err := t.CloneURL(); err == nil {
		home.URL = clone
	}
	return scaffold.Source{Files: f.Files, File: file, Home: home}, nil
}
