package scaffold

import (
	"context"
	"fmt"
	"path"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/nunjucks"
)

// fs:rename moves files: files is a list of {from, to, overwrite}.
func fsRename(_ context.Context, c *Context) error {
	v, _ := get(c.Input, "files")
	list, ok := v.([]any)
	if !ok {
		return inputErr("files", "want a list of {from, to}")
	}
	for i, f := range list {
		from, err := str(f, "from")
		if err != nil || from == "" {
			return inputErr(fmt.Sprintf("files[%d].from", i), "missing")
		}
		to, err := str(f, "to")
		if err != nil || to == "" {
			return inputErr(fmt.Sprintf("files[%d].to", i), "missing")
		}
		overwrite, err := boolean(f, "overwrite")
		if err != nil {
			return inputErr(fmt.Sprintf("files[%d]", i), "%w", err)
		}
		if ok, err := c.Workspace.Exists(from); err != nil {
			return err
		} else if !ok {
			return inputErr(fmt.Sprintf("files[%d]", i), "%s is not in the workspace", from)
		}
		if ok, err := c.Workspace.Exists(to); err != nil {
			return err
		} else if ok {
			if !overwrite {
				return inputErr(fmt.Sprintf("files[%d]", i), "%s is already there (set overwrite: true to replace it)", to)
			}
			if err := c.Workspace.Remove(to); err != nil {
				return err
			}
		}
		if err := c.Workspace.Rename(from, to); err != nil {
			return fmt.Errorf("rename %s to %s: %w", from, to, err)
		}
		c.Logf("Renamed %s to %s", from, to)
	}
	return nil
}

// fs:delete removes files and folders; files are paths or globs.
func fsDelete(_ context.Context, c *Context) error {
	patterns, err := stringList(c.Input, "files")
	if err != nil {
		return err
	}
	entries, err := c.Workspace.List(".", true)
	if err != nil {
		return err
	}
	for _, p := range patterns {
		if _, err := clean(p); err != nil {
			return err
		}
		for _, e := range entries {
			if e.Path == path.Clean(p) || catalog.MatchGlob(path.Clean(p), e.Path, true) {
				if err := c.Workspace.Remove(e.Path); err != nil {
					return err
				}
				c.Logf("Deleted %s", e.Path)
			}
		}
	}
	return nil
}

// fs:readdir lists folders: outputs files and folders, each a list of
// {name, path, fullPath}.
func fsReaddir(_ context.Context, c *Context) error {
	paths, err := stringList(c.Input, "paths")
	if err != nil {
		return err
	}
	recursive, err := boolean(c.Input, "recursive")
	if err != nil {
		return err
	}
	files, folders := []any{}, []any{}
	for _, p := range paths {
		entries, err := c.Workspace.List(p, recursive)
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		for _, e := range entries {
			o := nunjucks.NewObject()
			o.Set("name", path.Base(e.Path))
			o.Set("path", e.Path)
			o.Set("fullPath", path.Join(c.Workspace.Dir, e.Path))
			if e.Dir {
				folders = append(folders, o)
			} else {
				files = append(files, o)
			}
		}
	}
	c.Output("files", files)
	c.Output("folders", folders)
	return nil
}
