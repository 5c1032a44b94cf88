package scaffold

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/nunjucks"
)

// maxSkeletonFile bounds one file of a skeleton.
const maxSkeletonFile = 64 << 20

// skeleton lists the files under dir of files, as paths relative to dir,
// sorted.
func skeleton(files catalog.Files, dir string) ([]string, error) {
	all, err := files.List()
	if err != nil {
		return nil, err
	}
	prefix := ""
	if dir != "" {
		prefix = strings.TrimSuffix(dir, "/") + "/"
	}
	var out []string
	for _, f := range all {
		if rest, ok := strings.CutPrefix(f, prefix); ok && rest != "" {
			out = append(out, rest)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s holds no files: %w", cmpOr(dir, "the repository"), fs.ErrNotExist)
	}
	slices.Sort(out)
	return out, nil
}

// skeletonReader reads a skeleton's files with their modes: a folder on
// disk through a catalog.DirReader, opening each folder once and each
// file once, anything else file by file.
type skeletonReader struct {
	files catalog.Files
	dir   *catalog.DirReader
}

func newSkeletonReader(files catalog.Files) *skeletonReader {
	r := &skeletonReader{files: files}
	if d, ok := files.(*catalog.DirFiles); ok {
		r.dir = d.Reader()
	}
	return r
}

func (r *skeletonReader) close() {
	if r.dir != nil {
		r.dir.Close()
	}
}

// read returns a file's content and the mode to write it with.
func (r *skeletonReader) read(name string) ([]byte, fs.FileMode, error) {
	if r.dir == nil {
		data, err := readSkeleton(r.files, name)
		return data, fileMode(r.files, name), err
	}
	data, mode, err := r.dir.ReadFileMode(name, maxSkeletonFile)
	if err != nil {
		return nil, 0, sizeRefusal(r.files, name, err)
	}
	return data, mode, nil
}

func tooLargeSkeleton(name string, size int64) error {
	return fmt.Errorf("%s is %d MiB: skeleton files over %d MiB are refused", name, size>>20, maxSkeletonFile>>20)
}

// sizeRefusal words err, a bounded read's failure, as the refusal of a
// file over maxSkeletonFile when that is why; the size is asked only
// then, to word it.
func sizeRefusal(files catalog.Files, name string, err error) error {
	if !errors.Is(err, fs.ErrNotExist) {
		if n, serr := files.Size(name); serr == nil && n > maxSkeletonFile {
			return tooLargeSkeleton(name, n)
		}
	}
	return err
}

func readSkeleton(files catalog.Files, name string) ([]byte, error) {
	// A folder on disk checks the size on the open file: one walk to the
	// file rather than two.
	if d, ok := files.(interface {
		ReadFileMax(string, int64) ([]byte, error)
	}); ok {
		data, err := d.ReadFileMax(name, maxSkeletonFile)
		if err != nil {
			return nil, sizeRefusal(files, name, err)
		}
		return data, nil
	}
	if n, err := files.Size(name); err == nil && n > maxSkeletonFile {
		return nil, tooLargeSkeleton(name, n)
	}
	return files.ReadFile(name)
}

// isBinary is the isbinaryfile test Backstage uses, in short: a NUL byte
// or much that is not text in the first 8 KiB.
func isBinary(data []byte) bool {
	head := data
	if len(head) > 8000 {
		head = head[:8000]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	bad := 0
	for len(head) > 0 {
		r, size := utf8.DecodeRune(head)
		if r == utf8.RuneError && size == 1 && len(head) >= 4 {
			bad++
		} else if r < 32 && r != '\n' && r != '\r' && r != '\t' && r != '\f' && r != '\b' && r != 27 {
			bad++
		}
		head = head[size:]
	}
	return bad*10 > len(data[:min(len(data), 8000)])
}

// templater is fetch:template's renderer: nunjucks configured as the
// action configures SecureTemplater.
func (c *Context) templater(cookiecutter, trim, lstrip bool) (*nunjucks.Env, error) {
	return nunjucks.New(nunjucks.Options{CookiecutterCompat: cookiecutter, TrimBlocks: trim, LstripBlocks: lstrip, Filters: c.filters})
}

// skipped is Backstage's containsSkippedContent: a rendered path that is
// empty, absolute or has an empty segment names a file whose name (or a
// folder's) rendered to nothing — the conditional-file idiom.
func skipped(p string) bool {
	return p == "" || strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") || strings.Contains(p, "//")
}

type templateInput struct {
	url, target, extension string
	values                 any
	copyOnly               []string
	cookiecutter, replace  bool
	trim, lstrip           bool
}

func readTemplateInput(in any) (templateInput, error) {
	var t templateInput
	var err error
	if t.url, err = str(in, "url"); err != nil {
		return t, err
	}
	if t.target, err = str(in, "targetPath"); err != nil {
		return t, err
	}
	t.values, _ = get(in, "values")
	if t.values == nil || t.values == nunjucks.Undefined {
		t.values = nunjucks.NewObject()
	}
	if t.copyOnly, err = stringList(in, "copyWithoutTemplating"); err != nil {
		return t, err
	}
	old, err := stringList(in, "copyWithoutRender")
	if err != nil {
		return t, err
	}
	if len(old) > 0 && len(t.copyOnly) > 0 {
		return t, fmt.Errorf("give copyWithoutTemplating or the older copyWithoutRender, not both")
	}
	t.copyOnly = append(t.copyOnly, old...)
	ext, _ := get(in, "templateFileExtension")
	switch e := ext.(type) {
	case bool:
		if e {
			t.extension = ".njk"
		}
	case string:
		t.extension = e
		if !strings.HasPrefix(e, ".") {
			t.extension = "." + e
		}
	}
	if t.extension != "" && len(t.copyOnly) > 0 {
		return t, fmt.Errorf("templateFileExtension and copyWithoutTemplating cannot be used together")
	}
	for key, into := range map[string]*bool{"cookiecutterCompat": &t.cookiecutter, "replace": &t.replace, "trimBlocks": &t.trim, "lstripBlocks": &t.lstrip} {
		if *into, err = boolean(in, key); err != nil {
			return t, err
		}
	}
	return t, nil
}

// fetch:template renders a skeleton folder into the workspace: file names
// and contents through nunjucks with `values` (or `cookiecutter`), some
// files copied as they are.
func fetchTemplate(ctx context.Context, c *Context) error {
	in, err := readTemplateInput(c.Input)
	if err != nil {
		return err
	}
	return renderSkeleton(ctx, c, in)
}

// fetch:cookiecutter runs cookiecutter (Python, often in Docker) in
// Backstage. Its skeletons speak Jinja through `{{ cookiecutter.x }}`,
// which fetch:template's cookiecutterCompat renders the same way, so the
// action needs neither here. `extensions` and `imageName` name Jinja
// extensions and the Docker image; there is nothing to load or pull.
func fetchCookiecutter(ctx context.Context, c *Context) error {
	in, err := readTemplateInput(c.Input)
	if err != nil {
		return err
	}
	if in.extension != "" {
		return inputErr("templateFileExtension", "fetch:cookiecutter renders every file; use copyWithoutRender for the ones to copy as they are")
	}
	in.cookiecutter = true
	c.Logf("Rendering the cookiecutter skeleton with Callboard's Jinja-compatible engine (no Python or Docker needed)")
	return renderSkeleton(ctx, c, in)
}

// renderSkeleton writes the skeleton folder in.url into the workspace,
// rendering names and contents as in says.
func renderSkeleton(ctx context.Context, c *Context, in templateInput) error {
	files, dir, err := c.source(ctx, in.url, true)
	if err != nil {
		return err
	}
	names, err := skeleton(files, dir)
	if err != nil {
		return fmt.Errorf("fetch %s: %w", in.url, err)
	}
	target, err := clean(in.target)
	if err != nil {
		return fmt.Errorf("targetPath: %w", err)
	}
	env, err := c.templater(in.cookiecutter, in.trim, in.lstrip)
	if err != nil {
		return err
	}
	key := "values"
	if in.cookiecutter {
		key = "cookiecutter"
	}
	data := map[string]any{key: in.values}
	c.Logf("Fetching template content from %s", in.url)
	skel := newSkeletonReader(files)
	defer skel.close()
	folders := c.Workspace.folders()
	defer folders.close()
	ws := folders.writer(ctx)
	defer ws.wait()
	written := 0
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		render := true
		out := name
		switch {
		case in.extension != "":
			render = path.Ext(name) == in.extension
			if render {
				out = strings.TrimSuffix(name, in.extension)
			}
			if out, err = env.RenderString(ctx, name, out, data); err != nil {
				return fmt.Errorf("render the file name %s: %w", name, err)
			}
		case matchesAny(in.copyOnly, name):
			render = false
		default:
			if out, err = env.RenderString(ctx, name, out, data); err != nil {
				return fmt.Errorf("render the file name %s: %w", name, err)
			}
		}
		if skipped(out) {
			c.Logf("Skipping %s: its name rendered empty", name)
			continue
		}
		dest := path.Join(target, out)
		if _, err := clean(dest); err != nil {
			return fmt.Errorf("%s renders to %s: %w", name, out, err)
		}
		if exists, err := ws.exists(dest); err != nil {
			return err
		} else if exists && !in.replace {
			c.Logf("Skipping %s: %s is already in the workspace", name, dest)
			continue
		}
		src := strings.TrimPrefix(path.Join(dir, name), "/")
		raw, mode, err := skel.read(src)
		if err != nil {
			return fmt.Errorf("read %s: %w", src, err)
		}
		content := raw
		if render && !isBinary(raw) {
			s, err := env.RenderString(ctx, name, string(raw), data)
			if err != nil {
				return fmt.Errorf("render %s: %w", name, err)
			}
			content = []byte(s)
		} else if !render {
			c.Logf("Copying %s without templating", name)
		}
		if err := ws.write(dest, content, mode); err != nil {
			return err
		}
		written++
	}
	if err := ws.wait(); err != nil {
		return err
	}
	c.Logf("Template result written to %s (%d files)", cmpOr(in.target, "the workspace"), written)
	return nil
}

// fileMode keeps a skeleton file's executable bit when the files know it.
func fileMode(files catalog.Files, name string) fs.FileMode {
	if m, ok := files.(interface{ Mode(string) fs.FileMode }); ok {
		if mode := m.Mode(name); mode != 0 {
			return mode
		}
	}
	return 0o644
}

func matchesAny(patterns []string, name string) bool {
	for _, p := range patterns {
		if catalog.MatchGlob(strings.TrimPrefix(p, "./"), name, true) {
			return true
		}
	}
	return false
}

// fetch:template:file renders one file to targetPath.
func fetchTemplateFile(ctx context.Context, c *Context) error {
	in, err := readTemplateInput(c.Input)
	if err != nil {
		return err
	}
	if in.target == "" {
		return inputErr("targetPath", "missing")
	}
	files, file, err := c.source(ctx, in.url, false)
	if err != nil {
		return err
	}
	data, err := readSkeleton(files, file)
	if err != nil {
		return fmt.Errorf("fetch %s: %w", in.url, err)
	}
	if exists, err := c.Workspace.Exists(in.target); err != nil {
		return err
	} else if exists && !in.replace {
		c.Logf("Skipping %s: already in the workspace", in.target)
		return nil
	}
	env, err := c.templater(in.cookiecutter, in.trim, in.lstrip)
	if err != nil {
		return err
	}
	key := "values"
	if in.cookiecutter {
		key = "cookiecutter"
	}
	out, err := env.RenderString(ctx, path.Base(file), string(data), map[string]any{key: in.values})
	if err != nil {
		return fmt.Errorf("render %s: %w", file, err)
	}
	return c.Workspace.WriteFile(in.target, []byte(out), fileMode(files, file))
}

// fetch:plain copies a folder as it is.
func fetchPlain(ctx context.Context, c *Context) error {
	url, err := str(c.Input, "url")
	if err != nil {
		return err
	}
	targetPath, err := str(c.Input, "targetPath")
	if err != nil {
		return err
	}
	target, err := clean(targetPath)
	if err != nil {
		return fmt.Errorf("targetPath: %w", err)
	}
	files, dir, err := c.source(ctx, url, true)
	if err != nil {
		return err
	}
	names, err := skeleton(files, dir)
	if err != nil {
		return fmt.Errorf("fetch %s: %w", url, err)
	}
	c.Logf("Fetching plain content from %s", url)
	skel := newSkeletonReader(files)
	defer skel.close()
	for _, name := range names {
		src := strings.TrimPrefix(path.Join(dir, name), "/")
		data, mode, err := skel.read(src)
		if err != nil {
			return err
		}
		if err := c.Workspace.WriteFile(path.Join(target, name), data, mode); err != nil {
			return err
		}
	}
	return nil
}

// fetch:plain:file copies one file as it is.
func fetchPlainFile(ctx context.Context, c *Context) error {
	url, err := str(c.Input, "url")
	if err != nil {
		return err
	}
	target, err := str(c.Input, "targetPath")
	if err != nil {
		return err
	}
	if target == "" {
		return inputErr("targetPath", "missing")
	}
	files, file, err := c.source(ctx, url, false)
	if err != nil {
		return err
	}
	data, err := readSkeleton(files, file)
	if err != nil {
		return fmt.Errorf("fetch %s: %w", url, err)
	}
	return c.Workspace.WriteFile(target, data, fileMode(files, file))
}
