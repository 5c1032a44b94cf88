package scorecard

import (
	"cmp"
	"errors"
	"io/fs"
	"path"
	"strings"

	"github.com/callboard/callboard/app/catalog"
)

// Where a failed check is fixed: an entity-field check at the line of the
// field in the entity's file (the line of the mapping it belongs in when
// it is missing), a file check in the file it reads, to be created when
// missing.

// fieldPath splits a check's field as fieldValue reads it: annotation and
// label keys whole.
func fieldPath(field string) []string {
	for _, p := range []string{"metadata.annotations.", "metadata.labels."} {
		if key, ok := strings.CutPrefix(field, p); ok {
			return append(strings.Split(strings.TrimSuffix(p, "."), "."), key)
		}
	}
	return strings.Split(field, ".")
}

// repoPath is a rule's file resolved against the entity's folder.
func repoPath(dir, name string) string {
	if strings.HasPrefix(name, "/") {
		return strings.TrimPrefix(path.Clean(name), "/")
	}
	return path.Join(dir, name)
}

// Locate fills in where each failed check of an entity's scores is fixed.
// file is the entity's catalog file in its repository, data its contents
// (nil when it cannot be read: field checks then get no line); files is
// the repository, nil when there is none.
func Locate(scores []EntityScore, ref catalog.Ref, file string, data []byte, files Files) {
	var doc *catalog.YAMLDocument
	if data != nil {
		for d, err := range catalog.ReadYAML(data) {
			if err != nil {
				continue
			}
			kind, _ := d.Scalar("kind")
			name, _ := d.Scalar("metadata", "name")
			ns, _ := d.Scalar("metadata", "namespace")
			if strings.EqualFold(kind, ref.Kind) && strings.EqualFold(name, ref.Name) &&
				strings.EqualFold(cmp.Or(ns, catalog.DefaultNamespace), ref.Namespace) {
				doc = &d
				break
			}
		}
	}
	dir := path.Dir(file)
	if dir == "." {
		dir = ""
	}
	for i := range scores {
		for j := range scores[i].Checks {
			ck := &scores[i].Checks[j]
			switch {
			case ck.Passed:
			case ck.Field != "":
				ck.Path = file
				if doc != nil {
					ck.Line = doc.KeyLine(fieldPath(ck.Field)...)
				}
			case ck.File != "" && files != nil:
				ck.Path = repoPath(dir, ck.File)
				_, err := files.Size(ck.Path)
				ck.Missing = errors.Is(err, fs.ErrNotExist)
			}
		}
	}
}
