package portal

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/callboard/callboard/app/store"
	"github.com/callboard/callboard/sync/gitfetch"
)

// locations keeps the list of catalog repositories: registering,
// listing and removing them, and the demo organisation's at first start.
type locations struct {
	db      locationsStore
	syncer  cloneForgetter
	events  publisher
	log     *slog.Logger
	dataDir string
}

// locationsStore is what the locations area reads and writes.
type locationsStore interface {
	locationLister
	locationReader
	PutLocation(ctx context.Context, loc store.Location) error
	RemoveLocation(ctx context.Context, id string) error
	// SetDerived sets the locations parent lists (derived.go).
	SetDerived(ctx context.Context, parent string, targets []store.DerivedTarget, keep []string, rules store.DerivedRules) (store.DerivedChange, error)
	outboxLister
	orgStore
	reviewStore
	// The settings record whether the user removed the demo (demo.go).
	settingsStore
}

// cloneForgetter deletes what the syncer keeps of a removed location.
type cloneForgetter interface {
	Forget(ctx context.Context, locationID string) error
}

// ListLocations answers API.ListLocations.
func (s *locations) ListLocations(ctx context.Context) ([]Location, error) {
	locs, err := s.db.Locations(ctx)
	if err != nil {
		return nil, err
	}
	entries, err := s.db.Outbox(ctx, "")
	if err != nil {
		return nil, err
	}
	out := make([]Location, 0, len(locs))
	for _, l := range locs {
		dto := locationDTO(l)
		for _, e := range entries {
			switch {
			case e.LocationID != l.ID:
			case e.State == store.StateConflict:
				dto.Conflicts++
			case e.Review != nil:
				dto.InReview++
			default:
				dto.Unpushed++
			}
		}
		out = append(out, dto)
	}
	return out, nil
}

// AddLocation answers API.AddLocation.
func (s *locations) AddLocation(ctx context.Context, in NewLocation) (Location, error) {
	if in.Backstage {
		return s.addBackstage(ctx, in)
	}
	if in.Discover != nil {
		return s.addOrg(ctx, in)
	}
	loc, err := normalizeLocation(in)
	if err != nil {
		return Location{}, err
	}
	locs, err := s.db.Locations(ctx)
	if err != nil {
		return Location{}, err
	}
	// The demo's id stays its own, so restoring it never meets another.
	taken := map[string]bool{DemoLocationID: true}
	for _, l := range locs {
		if l.URL == loc.URL && l.Branch == loc.Branch && (l.Path == loc.Path || l.Derived) {
			return Location{}, fmt.Errorf("%s is already registered as location %q%s: %w", loc.URL, l.ID, listedBy(l), ErrConflict)
		}
		taken[l.ID] = true
	}
	loc.ID = locationID(loc.URL, taken)
	if err := s.db.PutLocation(ctx, loc); err != nil {
		return Location{}, err
	}
	s.log.Info("location added", "location", loc.ID, "url", loc.URL)
	return locationDTO(loc), nil
}

// RemoveLocation answers API.RemoveLocation.
func (s *locations) RemoveLocation(ctx context.Context, id string) error {
	if loc, ok, err := s.db.Location(ctx, id); err != nil {
		return err
	} else if !ok {
		return fmt.Errorf("location %q: %w", id, ErrNotFound)
	} else if err := refusePluginLocation(id, loc.URL); err != nil {
		return err
	} else if len(loc.Parents) > 0 {
		return fmt.Errorf("location %q is listed by the Location entities of %s: remove its target there and it goes by itself: %w", id, strings.Join(loc.ListedBy(), " and "), ErrConflict)
	}
	entries, err := s.db.Outbox(ctx, id)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("location %q has %d change(s) made in the app that its remote does not have (%s): sync once the remote is reachable, or settle the conflicts, then remove it: %w",
			id, len(entries), strings.Join(entries[0].Paths, ", "), ErrConflict)
	}
	sources, err := s.sourcesOf(ctx, id)
	if err != nil {
		return err
	}
	if err := s.unlist(ctx, id); err != nil {
		return err
	}
	if err := s.db.RemoveLocation(ctx, id); err != nil {
		return err
	}
	if err := s.syncer.Forget(ctx, id); err != nil {
		s.log.Warn("delete the clone of a removed location", "location", id, "err", err)
	}
	s.log.Info("location removed", "location", id)
	for _, src := range sources {
		if err := s.RemoveLocation(ctx, src); err != nil {
			s.log.Warn("remove a source clone of a removed Backstage", "location", src, "err", err)
		}
	}
	return nil
}

// scpLike matches git's scp-like ssh syntax, user@host:path.
var scpLike = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:`) })

// normalizeLocation checks a new location and fills in its defaults: a
// local path becomes absolute and must be a directory.
func normalizeLocation(in NewLocation) (store.Location, error) {
	loc := store.Location{URL: strings.TrimSpace(in.URL), Branch: strings.TrimSpace(in.Branch), Path: strings.TrimSpace(in.Path)}
	switch {
	case loc.URL == "":
		return loc, fmt.Errorf("a location needs a repository URL or path: %w", ErrInvalid)
	case strings.Contains(loc.URL, "://"):
		// A token in the URL would be stored, listed, logged and become
		// the location's id and folder name; the error never repeats it.
		if err := gitfetch.CheckURL(loc.URL); err != nil {
			return loc, fmt.Errorf("%w: %w", err, ErrInvalid)
		}
		u, err := url.Parse(loc.URL)
		if err != nil || u.Host == "" && u.Scheme != "file" {
			return loc, fmt.Errorf("%q is not a repository URL: %w", loc.URL, ErrInvalid)
		}
	case scpLike().MatchString(loc.URL):
	default:
		abs, err := filepath.Abs(loc.URL)
		if err != nil {
			return loc, fmt.Errorf("%q: %v: %w", loc.URL, err, ErrInvalid)
		}
		if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
			return loc, fmt.Errorf("%s is not a directory (give a git repository's URL or its local path): %w", abs, ErrInvalid)
		}
		loc.URL = abs
	}
	if strings.ContainsAny(loc.Branch, " ~^:?*[\\") || strings.HasPrefix(loc.Branch, "-") {
		return loc, fmt.Errorf("%q is not a branch name: %w", loc.Branch, ErrInvalid)
	}
	if loc.Path == "" {
		loc.Path = "catalog-info.yaml"
	}
	clean := path.Clean(strings.TrimPrefix(loc.Path, "./"))
	if path.IsAbs(loc.Path) || clean == ".." || strings.HasPrefix(clean, "../") || clean == "." {
		return loc, fmt.Errorf("path %q must name a file or glob inside the repository, e.g. catalog-info.yaml: %w", loc.Path, ErrInvalid)
	}
	loc.Path = clean
	return loc, nil
}

// locationID names a location after its repository (payments for
// https://host/org/payments.git), made unique among taken.
func locationID(rawURL string, taken map[string]bool) string {
	base := rawURL
	if i := strings.LastIndexAny(base, "/:"); i >= 0 {
		base = base[i+1:]
	}
	base = strings.TrimSuffix(strings.ToLower(base), ".git")
	var b strings.Builder
	for _, r := range base {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	id := strings.Trim(b.String(), "-")
	if id == "" {
		id = "location"
	}
	for n, candidate := 2, id; ; n++ {
		if !taken[candidate] {
			return candidate
		}
		candidate = fmt.Sprintf("%s-%d", id, n)
	}
}

func locationDTO(l store.Location) Location {
	dto := Location{ID: l.ID, URL: gitfetch.Redact(l.URL), Branch: l.Branch, Path: l.Path, HeadCommit: l.HeadCommit,
		LastError: l.LastError, Entities: l.Entities, ProcessErrs: len(l.Errors), Status: "pending"}
	// Stored before such URLs were refused: never synced again (AuthFor
	// refuses it), shown with why and what to do until it is removed.
	if err := gitfetch.CheckURL(l.URL); err != nil {
		dto.LastError = "this location's URL holds a secret, so Callboard no longer syncs it: remove the location and add it again without the secret (" + err.Error() + ")"
		dto.Status = "error"
		return dto
	}
	addLinks(&dto, l)
	dto.Org, dto.RepoID = orgSummary(l.Org), l.RepoID
	dto.Backstage = backstageSummary(l.Backstage)
	dto.SourceOf = l.SourceOf
	dto.ReviewMode, dto.ReviewDetected, dto.ReviewForge = l.Review.Mode, l.Review.Detected, l.Review.Forge
	if !l.LastSuccess.IsZero() {
		dto.LastSyncAt = l.LastSuccess.UTC().Format(time.RFC3339)
		dto.Status = "ok"
	}
	switch {
	case l.LastError != "" && !l.LastSuccess.IsZero():
		dto.Status = "stale"
		dto.StaleSince = l.StaleSince.UTC().Format(time.RFC3339)
	case l.LastError != "":
		dto.Status = "error"
	}
	return dto
}
