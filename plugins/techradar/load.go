package techradar

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/callboard/callboard/plugins/pluginv1"
)

// DefaultPath is the radar file looked for at the root of every synced
// location when the settings name none.
const DefaultPath = "techradar.yaml"

// Settings keys.
const (
	settingLocation = "location"
	settingPath     = "path"
)

// ErrNoRadar is returned when no synced location has a radar file.
var ErrNoRadar = errors.New("no radar file")

// Found is a radar read from a location's clone.
type Found struct {
	Radar    *Radar
	Location string
	// Source names the file as location:path, for errors and the page.
	Source string
}

// load reads the radar the settings name, or the first synced location
// (by id) with a DefaultPath at its root. A file that is there but wrong
// is an error naming file and line, not a reason to look elsewhere.
func load(config map[string]string, clones []*pluginv1.PageClone) (Found, error) {
	file := strings.TrimPrefix(path.Clean("/"+cmp.Or(config[settingPath], DefaultPath)), "/")
	want := config[settingLocation]
	clones = slices.Clone(clones)
	slices.SortFunc(clones, func(a, b *pluginv1.PageClone) int { return cmp.Compare(a.GetLocationId(), b.GetLocationId()) })
	for _, c := range clones {
		if want != "" && c.GetLocationId() != want {
			continue
		}
		source := c.GetLocationId() + ":" + file
		data, err := readFile(c.GetPath(), c.GetCommit(), file)
		if errors.Is(err, object.ErrFileNotFound) {
			continue
		}
		if err != nil {
			return Found{}, fmt.Errorf("%s: %w", source, err)
		}
		r, err := Parse(source, data)
		if err != nil {
			return Found{}, err
		}
		return Found{Radar: r, Location: c.GetLocationId(), Source: source}, nil
	}
	if want != "" {
		return Found{}, fmt.Errorf("location %q has no %s, or is not synced: %w", want, file, ErrNoRadar)
	}
	return Found{}, fmt.Errorf("no synced location has a %s at its root: %w", file, ErrNoRadar)
}

// readFile reads file from the repository at dir, at commit (HEAD when
// ""), refusing one over MaxFileSize.
func readFile(dir, commit, file string) ([]byte, error) {
	if dir == "" {
		return nil, object.ErrFileNotFound
	}
	repo, err := git.PlainOpen(dir)
	if err != nil {
		return nil, fmt.Errorf("open the clone: %w", err)
	}
	hash := plumbing.NewHash(commit)
	if commit == "" {
		head, err := repo.Head()
		if err != nil {
			return nil, fmt.Errorf("read HEAD: %w", err)
		}
		hash = head.Hash()
	}
	c, err := repo.CommitObject(hash)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", commit, err)
	}
	f, err := c.File(file)
	if err != nil {
		return nil, err
	}
	if f.Size > MaxFileSize {
		return nil, &Error{File: file, Msg: fmt.Sprintf("%d bytes, at most %d", f.Size, MaxFileSize)}
	}
	rd, err := f.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return io.ReadAll(io.LimitReader(rd, MaxFileSize+1))
}
