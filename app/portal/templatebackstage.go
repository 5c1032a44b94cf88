package portal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"gopkg.in/yaml.v3"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/scaffold"
	"github.com/callboard/callboard/sync/gitfetch"
)

// SourceTemplateAnnotation is how Backstage marks an entity its
// scaffolder made: the template's ref.
const SourceTemplateAnnotation = "backstage.io/source-template"

// Bounds of reading a Backstage-made project.
const (
	maxCatalogInfo     = 1 << 20
	maxProjectHistory  = 10000
	maxTemplateHistory = 10000
)

// backstageRecord stands in for the record of a project Backstage made:
// its catalog-info.yaml names the template (SourceTemplateAnnotation);
// the commit is the template's last commit before the project's first;
// the answers are the entity's fields where a question's name matches
// (name, title, description, owner, system, type, lifecycle), for the
// user to confirm once. A folder without that annotation has no record
// (scaffold.ErrNoRecord).
func (s *templateRuns) backstageRecord(ctx context.Context, dir string) (scaffold.Record, error) {
	none := fmt.Errorf("%s: %w", dir, scaffold.ErrNoRecord)
	doc, ok := readSourceTemplate(filepath.Join(dir, "catalog-info.yaml"))
	if !ok {
		return scaffold.Record{}, none
	}
	meta, _ := doc["metadata"].(map[string]any)
	ann, _ := meta["annotations"].(map[string]any)
	source, _ := ann[SourceTemplateAnnotation].(string)
	ref, err := catalog.ParseRef(source, "template", catalog.DefaultNamespace)
	if err != nil {
		return scaffold.Record{}, fmt.Errorf("catalog-info.yaml: %s %q: %v: %w", SourceTemplateAnnotation, source, err, ErrInvalid)
	}
	e, ok, err := s.db.Entity(ctx, ref.String())
	if err != nil {
		return scaffold.Record{}, err
	}
	if !ok {
		return scaffold.Record{}, fmt.Errorf("the project was made from %s, which no location holds: %w", ref, ErrNotFound)
	}
	loc, ok, err := s.db.Location(ctx, e.LocationID)
	if err != nil || !ok {
		return scaffold.Record{}, fmt.Errorf("location %s of %s: %w", e.LocationID, ref, ErrNotFound)
	}
	made, err := firstCommitTime(dir)
	if err != nil {
		return scaffold.Record{}, err
	}
	head, err := gitfetch.Open(s.clones.Clone(loc.ID), loc.Branch)
	if err != nil {
		return scaffold.Record{}, fmt.Errorf("template location %s: %w", loc.ID, err)
	}
	commit, err := commitBefore(head.Repository(), head.Commit, made)
	if err != nil {
		return scaffold.Record{}, fmt.Errorf("%s: %w", ref, err)
	}
	spec, _ := doc["spec"].(map[string]any)
	values := map[string]any{}
	for k, v := range map[string]any{"name": meta["name"], "title": meta["title"], "description": meta["description"],
		"owner": spec["owner"], "system": spec["system"], "type": spec["type"], "lifecycle": spec["lifecycle"]} {
		if str, ok := v.(string); ok && str != "" {
			values[k] = str
		}
	}
	b, err := json.Marshal(values)
	if err != nil {
		return scaffold.Record{}, err
	}
	return scaffold.Record{V: 1, Template: ref.String(), Location: loc.ID, File: e.Source.File, Commit: commit.String(), Values: b,
		Callboard: "backstage", Created: made.UTC().Format(time.RFC3339)}, nil
}

// readSourceTemplate is the first document of a catalog file that names
// its source template.
func readSourceTemplate(file string) (map[string]any, bool) {
	f, err := os.Open(file)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCatalogInfo))
	if err != nil {
		return nil, false
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	for range 100 {
		var doc map[string]any
		if err := dec.Decode(&doc); err != nil {
			return nil, false
		}
		meta, _ := doc["metadata"].(map[string]any)
		ann, _ := meta["annotations"].(map[string]any)
		if _, ok := ann[SourceTemplateAnnotation].(string); ok {
			return doc, true
		}
	}
	return nil, false
}

// firstCommitTime is when the checkout holding dir began: its oldest
// commit's committer time.
func firstCommitTime(dir string) (time.Time, error) {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w: the template's commit is told by the project's first commit", dir, scaffold.ErrNotCheckout)
	}
	head, err := repo.Head()
	if err != nil {
		return time.Time{}, fmt.Errorf("read HEAD of %s: %w", dir, err)
	}
	iter, err := repo.Log(&git.LogOptions{From: head.Hash()})
	if err != nil {
		return time.Time{}, fmt.Errorf("read the history of %s: %w", dir, err)
	}
	defer iter.Close()
	var first time.Time
	n := 0
	stop := errors.New("stop")
	err = iter.ForEach(func(c *object.Commit) error {
		if first.IsZero() || c.Committer.When.Before(first) {
			first = c.Committer.When
		}
		if n++; n >= maxProjectHistory {
			return stop
		}
		return nil
	})
	if err != nil && !errors.Is(err, stop) {
		return time.Time{}, fmt.Errorf("read the history of %s: %w", dir, err)
	}
	return first, nil
}

// commitBefore is the newest commit from tip made at or before t.
func commitBefore(repo *git.Repository, tip plumbing.Hash, t time.Time) (plumbing.Hash, error) {
	iter, err := repo.Log(&git.LogOptions{From: tip, Order: git.LogOrderCommitterTime})
	if err != nil {
		return plumbing.ZeroHash, err
	}
	defer iter.Close()
	found := plumbing.ZeroHash
	n := 0
	stop := errors.New("stop")
	err = iter.ForEach(func(c *object.Commit) error {
		if !c.Committer.When.After(t) {
			found = c.Hash
			return stop
		}
		if n++; n >= maxTemplateHistory {
			return stop
		}
		return nil
	})
	if err != nil && !errors.Is(err, stop) {
		return plumbing.ZeroHash, err
	}
	if found.IsZero() {
		return plumbing.ZeroHash, fmt.Errorf("no commit of the template's repository is older than the project (%s): %w", t.UTC().Format(time.RFC3339), ErrInvalid)
	}
	return found, nil
}
