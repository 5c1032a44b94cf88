package scaffold

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/callboard/callboard/app/scaffold/merge3"
	"github.com/callboard/callboard/app/scaffold/treediff"
)

// Labels of the sides of a conflict in a file an update merges.
const (
	ProjectLabel  = "project"
	TemplateLabel = "template"
)

// maxProjectFile bounds a project file an update reads to merge.
const maxProjectFile = 1 << 20

// FileAction is what an update does to one file the template changed.
type FileAction string

const (
	// FileUpdate takes the template's new file: the project had not
	// changed it.
	FileUpdate FileAction = "update"
	// FileMerge writes the clean merge of both sides' changes.
	FileMerge FileAction = "merge"
	// FileConflict writes the merge with conflict markers (or, for a
	// file that cannot be merged line by line, leaves the project's).
	FileConflict FileAction = "conflict"
	// FileAdd adds a file the template gained.
	FileAdd FileAction = "add"
	// FileRemove removes a file the template dropped, unchanged in the
	// project.
	FileRemove FileAction = "remove"
	// FileRename moves the project's file where the template moved it,
	// with both sides' changes.
	FileRename FileAction = "rename"
	// FileKeep leaves a file alone though the template changed it: the
	// project already has the change, deleted the file, or changed a
	// file the template dropped.
	FileKeep FileAction = "keep"
)

// FileChange is one file the template changed between the two commits,
// and what the update does with it. Old and New are the template's
// renders, Current the project's file, Merged what the update writes;
// nil where there is none (or it is not text within the bounds).
type FileChange struct {
	Path string     `json:"path"`
	From string     `json:"from,omitempty"` // a rename's old path
	Do   FileAction `json:"action"`
	// Why says, for FileKeep and a file that cannot be merged, why.
	Why       string `json:"why,omitempty"`
	Conflicts int    `json:"conflicts,omitempty"`
	Exec      bool   `json:"exec,omitempty"`
	Old       []byte `json:"-"`
	New       []byte `json:"-"`
	Current   []byte `json:"-"`
	Merged    []byte `json:"-"`
	// link is the target when the file is a symbolic link.
	link string
}

// Writes says whether the change writes a file at Path.
func (c FileChange) Writes() bool {
	switch c.Do {
	case FileUpdate, FileMerge, FileAdd, FileRename:
		return true
	case FileConflict:
		return c.Merged != nil
	}
	return false
}

// Plan is what an update does: a change per file the template changed,
// by path, and the conflicts left.
type Plan struct {
	Files     []FileChange `json:"files"`
	Conflicts int          `json:"conflicts"`
}

// Render runs t with values as a dry run and reads the whole project it
// makes, within treediff's bounds (the record and .git left out): what
// the template gives those answers, nothing written outside a private
// workspace.
func (r *Runner) Render(ctx context.Context, t Template, values any, secrets map[string]string, user User, workDir string) (*treediff.Tree, error) {
	var tree *treediff.Tree
	res := r.Run(ctx, t, Request{Values: values, Secrets: secrets, User: user, DryRun: true, WorkDir: workDir, TaskID: "update",
		Inspect: func(project fs.FS, _ Result) error {
			var err error
			tree, err = treediff.Read(project, func(p string) bool { return p == ".git" || p == RecordPath })
			return err
		}}, nil)
	if res.Status != Completed {
		return nil, fmt.Errorf("render %s: %s", t.Ref, res.Error)
	}
	return tree, nil
}

// projectFile is a file of the project as an update sees it.
type projectFile struct {
	exists bool
	data   []byte // nil past maxProjectFile
	link   string
	isLink bool
	exec   bool
	hash   [sha256.Size]byte
}

func readProjectFile(project fs.FS, p string) (projectFile, error) {
	fi, err := fs.Lstat(project, p)
	if errors.Is(err, fs.ErrNotExist) {
		return projectFile{}, nil
	}
	if err != nil {
		return projectFile{}, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		target, err := fs.ReadLink(project, p)
		if err != nil {
			return projectFile{}, err
		}
		return projectFile{exists: true, isLink: true, link: target, hash: sha256.Sum256([]byte(target))}, nil
	}
	if !fi.Mode().IsRegular() {
		return projectFile{}, fmt.Errorf("%s: not a regular file (%s)", p, fi.Mode().Type())
	}
	f, err := project.Open(p)
	if err != nil {
		return projectFile{}, err
	}
	defer f.Close()
	h := sha256.New()
	var buf bytes.Buffer
	n, err := io.Copy(io.MultiWriter(h, &limited{&buf, maxProjectFile}), f)
	if err != nil {
		return projectFile{}, fmt.Errorf("read %s: %w", p, err)
	}
	pf := projectFile{exists: true, exec: fi.Mode()&0o111 != 0}
	copy(pf.hash[:], h.Sum(nil))
	if n <= maxProjectFile {
		pf.data = buf.Bytes()
	}
	return pf, nil
}

// limited keeps at most n bytes and drops the rest.
type limited struct {
	w *bytes.Buffer
	n int
}

func (l *limited) Write(p []byte) (int, error) {
	if room := l.n + 1 - l.w.Len(); room > 0 {
		l.w.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func sameFile(a treediff.File, b projectFile) bool {
	return b.exists && a.Hash == b.hash && (a.Link != "") == b.isLink && (a.Link != "" || a.Exec == b.exec)
}

func sameRender(a, b treediff.File) bool {
	return a.Hash == b.Hash && a.Link == b.Link && a.Exec == b.Exec
}

// PlanUpdate works out, file by file, how the template's change from old
// to new (two renders with the project's answers) goes into project:
// a file the project left as the old render takes the new one; a file
// the project changed, which the template did not, is left alone (and
// not listed); a file both changed is merged as `git merge-file` merges
// it, conflicts marked. A file the template dropped while another,
// similar one appeared is a rename: the project's file follows it.
func PlanUpdate(old, new *treediff.Tree, project fs.FS) (Plan, error) {
	var plan Plan
	paths := map[string]bool{}
	for p := range old.Files {
		paths[p] = true
	}
	for p := range new.Files {
		paths[p] = true
	}
	var removed, added []string
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		_, inOld := old.Files[p]
		_, inNew := new.Files[p]
		switch {
		case inOld && !inNew:
			removed = append(removed, p)
		case !inOld && inNew:
			added = append(added, p)
		}
	}
	renames := matchRenames(old, new, removed, added, project)
	renamedTo := map[string]string{}
	for from, to := range renames {
		renamedTo[to] = from
	}
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		o, inOld := old.Files[p]
		n, inNew := new.Files[p]
		if inOld && inNew && sameRender(o, n) {
			continue
		}
		if _, ok := renames[p]; ok {
			continue // handled at its new path
		}
		var c FileChange
		var err error
		switch from, ok := renamedTo[p]; {
		case ok:
			c, err = planRename(from, p, old.Files[from], n, project)
		case inOld && inNew:
			c, err = planChanged(p, o, n, project)
		case inNew:
			c, err = planAdded(p, n, project)
		default:
			c, err = planRemoved(p, o, project)
		}
		if err != nil {
			return Plan{}, fmt.Errorf("plan %s: %w", p, err)
		}
		plan.Conflicts += c.Conflicts
		plan.Files = append(plan.Files, c)
	}
	return plan, nil
}

func change(p string, do FileAction, o, n treediff.File, cur projectFile) FileChange {
	return FileChange{Path: p, Do: do, Old: o.Data, New: n.Data, Current: cur.data, Exec: n.Exec, link: n.Link}
}

func planChanged(p string, o, n treediff.File, project fs.FS) (FileChange, error) {
	cur, err := readProjectFile(project, p)
	if err != nil {
		return FileChange{}, err
	}
	switch {
	case !cur.exists:
		c := change(p, FileKeep, o, n, cur)
		c.Why = "the project deleted it"
		return c, nil
	case sameFile(n, cur):
		c := change(p, FileKeep, o, n, cur)
		c.Why = "the project has the template's change already"
		return c, nil
	case sameFile(o, cur):
		c := change(p, FileUpdate, o, n, cur)
		c.Merged = n.Data
		return c, nil
	}
	return merged(change(p, FileMerge, o, n, cur), o, n, cur), nil
}

// merged merges the three sides of c; a side that is a link, binary or
// past the bounds leaves the project's file, as a conflict.
func merged(c FileChange, o, n treediff.File, cur projectFile) FileChange {
	unmergeable := func(why string) FileChange {
		c.Do, c.Conflicts, c.Merged, c.Why = FileConflict, 1, nil, why+": the project's file is kept; merge it by hand"
		return c
	}
	switch {
	case o.Link != "" || n.Link != "" || cur.isLink:
		return unmergeable("a symbolic link")
	case (o.Size > 0 && o.Data == nil) || n.Data == nil && n.Size > 0 || cur.data == nil:
		return unmergeable("too large to merge")
	}
	res, err := merge3.Merge(o.Data, cur.data, n.Data, ProjectLabel, TemplateLabel)
	if err != nil {
		return unmergeable("binary")
	}
	c.Merged, c.Conflicts = res.Text, res.Conflicts
	if res.Conflicts > 0 {
		c.Do = FileConflict
	}
	// The template's change of the executable bit goes in unless the
	// project changed the bit itself.
	c.Exec = cur.exec
	if o.Exec == cur.exec {
		c.Exec = n.Exec
	}
	return c
}

func planAdded(p string, n treediff.File, project fs.FS) (FileChange, error) {
	cur, err := readProjectFile(project, p)
	if err != nil {
		return FileChange{}, err
	}
	switch {
	case !cur.exists:
		c := change(p, FileAdd, treediff.File{}, n, cur)
		if n.Data == nil && n.Link == "" && n.Size > 0 {
			c.Do, c.Why, c.Conflicts = FileConflict, "too large to add: copy it from the template by hand", 1
			return c, nil
		}
		c.Merged = n.Data
		return c, nil
	case sameFile(n, cur):
		c := change(p, FileKeep, treediff.File{}, n, cur)
		c.Why = "the project has the same file already"
		return c, nil
	}
	// Both added the file: merged over an empty base, as git merges an
	// add/add conflict.
	return merged(change(p, FileMerge, treediff.File{}, n, cur), treediff.File{Exec: cur.exec}, n, cur), nil
}

func planRemoved(p string, o treediff.File, project fs.FS) (FileChange, error) {
	cur, err := readProjectFile(project, p)
	if err != nil {
		return FileChange{}, err
	}
	c := change(p, FileRemove, o, treediff.File{}, cur)
	switch {
	case !cur.exists:
		c.Do, c.Why = FileKeep, "the project deleted it already"
	case !sameFile(o, cur):
		c.Do, c.Why = FileKeep, "the template dropped it, the project changed it: kept"
	}
	return c, nil
}

func planRename(from, to string, o, n treediff.File, project fs.FS) (FileChange, error) {
	cur, err := readProjectFile(project, from)
	if err != nil {
		return FileChange{}, err
	}
	c := change(to, FileRename, o, n, cur)
	c.From = from
	if sameFile(o, cur) {
		c.Merged = n.Data
		return c, nil
	}
	c = merged(c, o, n, cur)
	if c.Do == FileMerge {
		c.Do = FileRename
	}
	return c, nil
}

// renameThreshold is how alike, by lines, a dropped and an added file
// must be to count as one file moved (git's default: 50%).
const renameThreshold = 0.5

// matchRenames pairs files the template dropped with files it added that
// are alike, best pairs first; a pair is left out when the project has
// no file at the old path or has one at the new path already.
func matchRenames(old, new *treediff.Tree, removed, added []string, project fs.FS) map[string]string {
	type pair struct {
		from, to string
		score    float64
	}
	var pairs []pair
	for _, r := range removed {
		if _, err := fs.Lstat(project, r); err != nil {
			continue
		}
		for _, a := range added {
			if _, err := fs.Lstat(project, a); err == nil {
				continue
			}
			if s := similarity(old.Files[r], new.Files[a]); s >= renameThreshold {
				pairs = append(pairs, pair{r, a, s})
			}
		}
	}
	slices.SortStableFunc(pairs, func(x, y pair) int {
		switch {
		case x.score > y.score:
			return -1
		case x.score < y.score:
			return 1
		}
		return strings.Compare(x.from+"\x00"+x.to, y.from+"\x00"+y.to)
	})
	out := map[string]string{}
	taken := map[string]bool{}
	for _, p := range pairs {
		if _, ok := out[p.from]; ok || taken[p.to] {
			continue
		}
		out[p.from] = p.to
		taken[p.to] = true
	}
	return out
}

// similarity is the share of lines two files have in common: 1 for the
// same content, by hash, whatever its size.
func similarity(a, b treediff.File) float64 {
	if a.Hash == b.Hash {
		return 1
	}
	if a.Data == nil || b.Data == nil || a.Link != "" || b.Link != "" {
		return 0
	}
	count := map[string]int{}
	la, lb := splitLines(a.Data), splitLines(b.Data)
	if len(la)+len(lb) == 0 {
		return 0
	}
	for _, l := range la {
		count[l]++
	}
	common := 0
	for _, l := range lb {
		if count[l] > 0 {
			count[l]--
			common++
		}
	}
	return float64(2*common) / float64(len(la)+len(lb))
}

func splitLines(b []byte) []string {
	s := string(b)
	if s == "" {
		return nil
	}
	return strings.SplitAfter(strings.TrimSuffix(s, "\n"), "\n")
}
