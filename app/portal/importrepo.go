package portal

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
	"github.com/callboard/callboard/sync/outbox"
	"github.com/callboard/callboard/sync/syncer"
)

// importer registers an existing repository: it reads the repository
// before it becomes a location, previews what the catalog would make of
// it, writes a Component for one without catalog files, and adds it.
type importer struct {
	peeker    repoPeeker
	locations locationRegistry
	syncs     locationSyncer
	writer    fileCommitter
	rows      locationRows
	users     identifier
	gate      *gate
	log       *slog.Logger
	dataDir   string
	// maxBytes bounds a preview's clone; 0 is maxPeekBytes.
	maxBytes int64
}

// repoPeeker clones a repository one commit deep into a folder the
// caller owns, with the credentials of its host only.
type repoPeeker interface {
	Peek(ctx context.Context, url, branch, dir string) (gitfetch.Head, error)
}

// locationRegistry registers and unregisters locations (locations.go).
type locationRegistry interface {
	locationAdder
	RemoveLocation(ctx context.Context, id string) error
}

// locationSyncer syncs a location as API.Sync does, failure on its record.
type locationSyncer interface {
	Sync(ctx context.Context, locationID string) ([]Location, error)
}

// fileCommitter commits files to a location's clone through the outbox.
type fileCommitter interface {
	Write(ctx context.Context, locationID string, w syncer.Write) (store.OutboxEntry, error)
}

// locationRows lists the entities a location provides.
type locationRows interface {
	Rows(ctx context.Context, id string) (rows []store.Row, loc store.Location, ok bool, err error)
}

// Bounds of an import's look at a repository it does not know yet.
const (
	// peekTime bounds the clone of one commit and the reading of its files.
	peekTime = 2 * time.Minute
	// peekFiles bounds how many files the language guess counts.
	peekFiles = 200_000
	// maxImportYAML bounds a catalog file given to validate or commit, as
	// the catalog bounds each file it reads.
	maxImportYAML = 1 << 20
)

// catalogFileNames are where a repository's catalog file is looked for,
// in order: discovery's default (sync/discover) and the other spellings
// common in the wild. The first found is the location's path.
var catalogFileNames = []string{"catalog-info.yaml", "catalog-info.yml", ".backstage/catalog-info.yaml", "catalog/catalog-info.yaml"}

// PreviewImport answers API.PreviewImport.
func (s *importer) PreviewImport(ctx context.Context, src ImportSource) (ImportPreview, error) {
	loc, err := normalizeLocation(NewLocation{URL: src.URL, Branch: src.Branch})
	if err != nil {
		return ImportPreview{}, err
	}
	leave, err := s.gate.enter(ctx)
	if err != nil {
		return ImportPreview{}, err
	}
	defer leave()
	ctx, cancel := context.WithTimeout(ctx, peekTime)
	defer cancel()
	ctx, cancelSize := context.WithCancelCause(ctx)
	defer cancelSize(nil)
	dir, err := os.MkdirTemp(s.dataDir, importDirPrefix)
	if err != nil {
		return ImportPreview{}, fmt.Errorf("make a folder to read %s in: %w", gitfetch.Redact(loc.URL), err)
	}
	defer func() {
		if err := os.RemoveAll(dir); err != nil {
			s.log.Warn("delete an import's clone", "dir", dir, "err", err)
		}
	}()
	limit := cmp.Or(s.maxBytes, maxPeekBytes)
	stop := boundSize(ctx, cancelSize, dir, limit)
	head, err := s.peeker.Peek(ctx, loc.URL, loc.Branch, dir)
	stop()
	tooLarge := fmt.Errorf("read %s: the clone of one commit is over %s: %w", gitfetch.Redact(loc.URL), sizeOf(limit), ErrInvalid)
	if err != nil {
		switch {
		case errors.Is(context.Cause(ctx), errPeekTooLarge):
			return ImportPreview{}, tooLarge
		case ctx.Err() != nil:
			return ImportPreview{}, fmt.Errorf("read %s: gave up after %s: %w", gitfetch.Redact(loc.URL), peekTime, ErrInvalid)
		}
		return ImportPreview{}, fmt.Errorf("read %s: %v: %w", gitfetch.Redact(loc.URL), err, ErrInvalid)
	}
	// A clone that filled between two measures is refused all the same.
	if size, err := dirSize(dir); err != nil {
		return ImportPreview{}, fmt.Errorf("measure the clone of %s: %w", gitfetch.Redact(loc.URL), err)
	} else if size > limit {
		return ImportPreview{}, tooLarge
	}
	files, err := head.Files(ctx)
	if err != nil {
		return ImportPreview{}, fmt.Errorf("read the files of %s: %w", gitfetch.Redact(loc.URL), err)
	}
	p := ImportPreview{URL: gitfetch.Redact(loc.URL), Branch: head.Branch, Commit: head.Commit.String(), Entities: []ImportEntity{}, Errors: []ProcessingError{}}
	for _, name := range catalogFileNames {
		if _, err := files.Size(name); err == nil {
			p.Path = name
			break
		}
	}
	if p.Path != "" {
		v := validation(catalog.Process(ctx, files, catalog.Options{}, p.Path))
		p.Entities, p.Errors = v.Entities, v.Errors
		return p, nil
	}
	ident, err := s.users.identity(ctx)
	if err != nil {
		return ImportPreview{}, err
	}
	gen, err := generateComponent(loc.URL, files, ident)
	if err != nil {
		return ImportPreview{}, err
	}
	p.Generated = &gen
	return p, nil
}

// ValidateEntityYAML answers API.ValidateEntityYAML.
func (s *importer) ValidateEntityYAML(ctx context.Context, text string) (EntityValidation, error) {
	if len(text) > maxImportYAML {
		return EntityValidation{}, fmt.Errorf("a catalog file of %d bytes: at most %d: %w", len(text), maxImportYAML, ErrInvalid)
	}
	return validation(catalog.Process(ctx, catalog.MapFiles{catalogFileNames[0]: text}, catalog.Options{}, catalogFileNames[0])), nil
}

// Import answers API.Import.
func (s *importer) Import(ctx context.Context, req ImportRequest) (ImportResult, error) {
	if req.YAML != "" {
		v, err := s.ValidateEntityYAML(ctx, req.YAML)
		if err != nil {
			return ImportResult{}, err
		}
		if !v.Valid {
			return ImportResult{}, fmt.Errorf("the catalog file to commit: %s: %w", firstProblem(v), ErrInvalid)
		}
	}
	loc, err := s.locations.AddLocation(ctx, NewLocation{URL: req.URL, Branch: req.Branch, Path: req.Path})
	if err != nil {
		return ImportResult{}, err
	}
	// A repository that cannot be read is not left behind as a location.
	undo := func(cause error) (ImportResult, error) {
		if err := s.locations.RemoveLocation(context.WithoutCancel(ctx), loc.ID); err != nil {
			s.log.Warn("remove the location of a failed import", "location", loc.ID, "err", err)
		}
		return ImportResult{}, cause
	}
	if loc, err = s.sync(ctx, loc.ID); err != nil {
		return undo(err)
	} else if loc.HeadCommit == "" {
		// Never fetched: the repository is not there, or not for us.
		return undo(fmt.Errorf("import %s: %s: %w", loc.URL, loc.LastError, ErrInvalid))
	}
	res := ImportResult{Entities: []string{}}
	if req.YAML != "" {
		e, err := s.writer.Write(ctx, loc.ID, syncer.Write{
			Changes: []outbox.Change{{Path: loc.Path, Content: []byte(req.YAML)}},
			Message: "Register in the Backstage catalog\n\nAdd catalog-info.yaml, written by Callboard's import.",
		})
		if err != nil {
			return undo(fmt.Errorf("commit %s to %s: %w", loc.Path, loc.URL, syncError(err)))
		}
		res.Commit = e.Commit
		if loc, err = s.sync(ctx, loc.ID); err != nil {
			return ImportResult{}, err
		}
	}
	rows, _, _, err := s.rows.Rows(ctx, loc.ID)
	if err != nil {
		return ImportResult{}, err
	}
	for _, r := range rows {
		res.Entities = append(res.Entities, r.Ref)
	}
	res.Location = loc
	s.log.Info("repository imported", "location", loc.ID, "entities", len(rows), "generated", req.YAML != "")
	return res, nil
}

// sync syncs location id and returns it as it then stands.
func (s *importer) sync(ctx context.Context, id string) (Location, error) {
	locs, err := s.syncs.Sync(ctx, id)
	if err != nil {
		return Location{}, err
	}
	for _, l := range locs {
		if l.ID == id {
			return l, nil
		}
	}
	return Location{}, fmt.Errorf("location %q went away during its first sync: %w", id, ErrConflict)
}

// validation turns a processing result into verdicts with their errors.
func validation(res catalog.Result) EntityValidation {
	v := EntityValidation{Valid: len(res.Errors) == 0, Entities: []ImportEntity{}, Errors: []ProcessingError{}}
	for _, vd := range res.Verdicts {
		e := ImportEntity{Ref: vd.Ref, Kind: vd.Kind, File: vd.Source.File, Line: vd.Source.Line, Valid: vd.Valid(), Errors: []ProcessingError{}}
		for _, pe := range vd.Errors {
			e.Errors = append(e.Errors, processingError(pe))
		}
		v.Entities = append(v.Entities, e)
	}
	for _, pe := range res.Errors {
		if pe.Entity == "" {
			v.Errors = append(v.Errors, processingError(pe))
		}
	}
	if len(v.Entities) == 0 && len(v.Errors) == 0 {
		v.Valid = false
		v.Errors = append(v.Errors, ProcessingError{File: catalogFileNames[0], Message: "holds no entity"})
	}
	return v
}

func processingError(e catalog.Error) ProcessingError {
	return ProcessingError{File: e.File, Line: e.Line, Column: e.Column, Field: e.Field, Message: e.Message}
}

// firstProblem describes the first error of a refused validation.
func firstProblem(v EntityValidation) string {
	for _, e := range v.Entities {
		if len(e.Errors) > 0 {
			return describe(e.Errors[0])
		}
	}
	if len(v.Errors) > 0 {
		return describe(v.Errors[0])
	}
	return "refused"
}

func describe(e ProcessingError) string {
	return catalog.Error{File: e.File, Line: e.Line, Column: e.Column, Field: e.Field, Message: e.Message}.Error()
}
