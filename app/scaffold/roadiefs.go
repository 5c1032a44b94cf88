package scaffold

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dlclark/regexp2"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/nunjucks"
)

// Bounds on Roadie's file actions: a template names the files, so what
// they read, what a regular expression may cost and what a zip may weigh
// are limited.
const (
	maxRoadieRead    = 32 << 20
	maxRoadieZip     = 256 << 20
	maxRoadieRegexp  = 5 * time.Second
	maxRoadieJSONata = 10 * time.Second
)

// roadiePath reads the path input key and returns it relative to the
// workspace and as the absolute path Roadie's actions output.
func roadiePath(c *Context, key string) (rel, abs string, err error) {
	p, err := requiredString(c.Input, key)
	if err != nil {
		return "", "", err
	}
	rel, err = clean(p)
	if err != nil {
		return "", "", fmt.Errorf("input %s: %w", key, errOutsideWorkspace)
	}
	return rel, filepath.Join(c.Workspace.Dir, filepath.FromSlash(rel)), nil
}

// requiredString reads a string input the action's schema requires.
func requiredString(in any, key string) (string, error) {
	v, ok := get(in, key)
	if !ok || v == nunjucks.Undefined {
		return "", fmt.Errorf("input %s: required", key)
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("input %s: want a string, got %s", key, describe(v))
	}
	return s, nil
}

// readText reads a workspace file within maxRoadieRead, as Node's
// Buffer.toString() decodes it (an invalid byte becomes U+FFFD).
func readText(c *Context, rel, abs string) (string, error) {
	data, err := c.Workspace.readHead(rel, maxRoadieRead+1)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", abs, err)
	}
	if len(data) > maxRoadieRead {
		return "", fmt.Errorf("read %s: larger than %d MiB", abs, maxRoadieRead>>20)
	}
	return jsText(data), nil
}

func jsText(data []byte) string {
	if utf8.Valid(data) {
		return string(data)
	}
	var b strings.Builder
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if r == utf8.RuneError && n == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.Write(data[:n])
		}
		data = data[n:]
	}
	return b.String()
}

// existingMode is the mode of an existing file, 0 when there is none.
func existingMode(c *Context, rel string) fs.FileMode {
	info, err := c.Workspace.root.Lstat(rel)
	if err != nil {
		return 0
	}
	return info.Mode()
}

// roadiehq:utils:fs:write writes content, making folders; with
// preserveFormatting, JSON content is written again with two spaces.
func roadieWrite(_ context.Context, c *Context) error {
	rel, abs, err := roadiePath(c, "path")
	if err != nil {
		return err
	}
	content, err := requiredString(c.Input, "content")
	if err != nil {
		return err
	}
	pretty, err := boolean(c.Input, "preserveFormatting")
	if err != nil {
		return err
	}
	if pretty {
		if v, err := nunjucks.DecodeJSON([]byte(content)); err == nil {
			if s, ok := jsonStringify(v, nil, "  "); ok {
				content = s
			}
		}
	}
	if err := c.Workspace.WriteFile(rel, []byte(content), existingMode(c, rel).Perm()); err != nil {
		return err
	}
	c.Output("path", abs)
	return nil
}

// roadiehq:utils:fs:append appends content, making the file (not its
// folder) when missing.
func roadieAppend(_ context.Context, c *Context) error {
	rel, abs, err := roadiePath(c, "path")
	if err != nil {
		return err
	}
	content, err := requiredString(c.Input, "content")
	if err != nil {
		return err
	}
	if dir := path.Dir(rel); dir != "." {
		if info, err := c.Workspace.root.Stat(dir); err != nil || !info.IsDir() {
			return fmt.Errorf("ENOENT: no such file or directory, open '%s'", abs)
		}
	}
	var old string
	if ok, err := c.Workspace.Exists(rel); err != nil {
		return err
	} else if ok {
		if old, err = readText(c, rel, abs); err != nil {
			return err
		}
	}
	if err := c.Workspace.WriteFile(rel, []byte(old+content), existingMode(c, rel).Perm()); err != nil {
		return err
	}
	c.Output("path", abs)
	return nil
}

// roadiehq:utils:fs:parse reads a file, as text or parsed as yaml, json
// or multiyaml.
func roadieParse(_ context.Context, c *Context) error {
	rel, abs, err := roadiePath(c, "path")
	if err != nil {
		return err
	}
	parser, err := str(c.Input, "parser")
	if err != nil {
		return err
	}
	if parser != "" && parser != "yaml" && parser != "json" && parser != "multiyaml" {
		return fmt.Errorf(`input parser: want "yaml", "json" or "multiyaml", got %q`, parser)
	}
	text, err := readText(c, rel, abs)
	if err != nil {
		return err
	}
	var content any = text
	switch parser {
	case "yaml":
		content, err = parseYAML([]byte(text))
	case "json":
		content, err = nunjucks.DecodeJSON([]byte(text))
	case "multiyaml":
		var docs []any
		docs, err = parseYAMLDocuments([]byte(text))
		content = docs
		if docs == nil {
			content = []any{}
		}
	}
	if err != nil {
		return fmt.Errorf("parse %s as %s: %w", rel, parser, err)
	}
	c.Output("content", content)
	return nil
}

// roadiehq:utils:fs:replace replaces text in the files a glob names.
// Symbolic links are not followed, unlike Roadie's (fast-glob follows
// them out of the workspace).
func roadieReplace(ctx context.Context, c *Context) error {
	v, _ := get(c.Input, "files")
	list, ok := v.([]any)
	if !ok {
		return errors.New("files must be an Array")
	}
	entries, err := c.Workspace.List(".", true)
	if err != nil {
		return err
	}
	for _, f := range list {
		file, _ := get(f, "file")
		pattern, ok := file.(string)
		if !ok || pattern == "" {
			return errNoFile
		}
		find, _ := get(f, "find")
		with, _ := get(f, "replaceWith")
		findS, ok1 := find.(string)
		withS, ok2 := with.(string)
		if !ok1 || !ok2 || findS == "" || withS == "" {
			return errors.New("each file must have a find and replaceWith property")
		}
		rx, err := boolean(f, "matchRegex")
		if err != nil {
			return err
		}
		dot, err := boolean(f, "includeDotFiles")
		if err != nil {
			return err
		}
		glob, err := clean(pattern)
		if err != nil || !insideWorkspace(c, literalPrefix(glob)) {
			return errOutsideWorkspace
		}
		var re *regexp2.Regexp
		if rx {
			if re, err = regexp2.Compile(findS, regexp2.ECMAScript); err != nil {
				return errBadRegexp(findS, err)
			}
			re.MatchTimeout = maxRoadieRegexp
		}
		for _, e := range entries {
			if !e.Mode.IsRegular() || !catalog.MatchGlob(glob, e.Path, dot) {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			abs := filepath.Join(c.Workspace.Dir, filepath.FromSlash(e.Path))
			text, err := readText(c, e.Path, abs)
			if err != nil {
				return err
			}
			var out string
			if re != nil {
				out, err = replaceRegexp(re, text, withS)
				if err != nil {
					return fmt.Errorf("replace in %s: %w", e.Path, err)
				}
			} else {
				out = replaceLiteral(text, findS, withS)
			}
			if err := c.Workspace.WriteFile(e.Path, []byte(out), e.Mode.Perm()); err != nil {
				return err
			}
		}
	}
	return nil
}

// literalPrefix is the folders of a glob before its first wildcard.
func literalPrefix(glob string) string {
	parts := strings.Split(glob, "/")
	for i, p := range parts {
		if strings.ContainsAny(p, "*?[{") {
			return strings.Join(parts[:i], "/")
		}
	}
	return path.Dir(glob)
}

// insideWorkspace says whether rel, followed through symbolic links,
// stays in the workspace (or does not exist), as Backstage's
// resolveSafeChildPath checks.
func insideWorkspace(c *Context, rel string) bool {
	if rel == "" || rel == "." {
		return true
	}
	_, err := c.Workspace.root.Stat(rel)
	return err == nil || errors.Is(err, fs.ErrNotExist)
}

// replaceLiteral is String.prototype.replaceAll with a string pattern:
// the replacement's $$, $& and $` $' patterns apply.
func replaceLiteral(s, find, with string) string {
	var b strings.Builder
	last := 0
	for i := 0; ; {
		j := strings.Index(s[i:], find)
		if j < 0 {
			break
		}
		at := i + j
		b.WriteString(s[last:at])
		expandReplacement(&b, with, s, at, at+len(find), nil)
		last = at + len(find)
		i = last
	}
	b.WriteString(s[last:])
	return b.String()
}

// replaceRegexp is String.prototype.replaceAll with a global regular
// expression.
func replaceRegexp(re *regexp2.Regexp, s, with string) (string, error) {
	runes := []rune(s)
	var b strings.Builder
	last := 0
	m, err := re.FindStringMatch(s)
	for ; err == nil && m != nil; m, err = re.FindNextMatch(m) {
		start, end := m.Index, m.Index+m.Length
		b.WriteString(string(runes[last:start]))
		groups := m.Groups()
		caps := make([]*string, 0, len(groups))
		names := map[string]*string{}
		for _, g := range groups[1:] {
			var p *string
			if len(g.Captures) > 0 {
				v := g.String()
				p = &v
			}
			caps = append(caps, p)
			if _, err := strconv.Atoi(g.Name); err != nil {
				names[g.Name] = p
			}
		}
		expandReplacement(&b, with, s, len(string(runes[:start])), len(string(runes[:end])), &captures{list: caps, names: names})
		last = end
	}
	if err != nil {
		return "", err
	}
	b.WriteString(string(runes[last:]))
	return b.String(), nil
}

type captures struct {
	list  []*string
	names map[string]*string
}

// expandReplacement writes a replacement string with JavaScript's
// GetSubstitution: s[start:end] is the match.
func expandReplacement(b *strings.Builder, with, s string, start, end int, caps *captures) {
	for i := 0; i < len(with); i++ {
		ch := with[i]
		if ch != '$' || i+1 >= len(with) {
			b.WriteByte(ch)
			continue
		}
		next := with[i+1]
		switch {
		case next == '$':
			b.WriteByte('$')
			i++
		case next == '&':
			b.WriteString(s[start:end])
			i++
		case next == '`':
			b.WriteString(s[:start])
			i++
		case next == '\'':
			b.WriteString(s[end:])
			i++
		case caps != nil && next >= '0' && next <= '9':
			n := int(next - '0')
			width := 1
			if i+2 < len(with) && with[i+2] >= '0' && with[i+2] <= '9' {
				if nn := n*10 + int(with[i+2]-'0'); nn >= 1 && nn <= len(caps.list) {
					n, width = nn, 2
				}
			}
			if n < 1 || n > len(caps.list) {
				b.WriteByte(ch)
				continue
			}
			if p := caps.list[n-1]; p != nil {
				b.WriteString(*p)
			}
			i += width
		case caps != nil && next == '<' && len(caps.names) > 0:
			close := strings.IndexByte(with[i+2:], '>')
			if close < 0 {
				b.WriteByte(ch)
				continue
			}
			if p := caps.names[with[i+2:i+2+close]]; p != nil {
				b.WriteString(*p)
			}
			i += 2 + close
		default:
			b.WriteByte(ch)
		}
	}
}

// roadiehq:utils:zip zips a file or folder of the workspace into
// outputPath. Symbolic links are left out (Roadie's adm-zip follows them
// out of the workspace).
func roadieZip(ctx context.Context, c *Context) error {
	src, _, err := roadiePath(c, "path")
	if err != nil {
		return err
	}
	dst, _, err := roadiePath(c, "outputPath")
	if err != nil {
		return err
	}
	input, _ := str(c.Input, "path")
	outputPath, _ := str(c.Input, "outputPath")
	info, err := c.Workspace.root.Lstat(src)
	if err != nil {
		return errNothingToZip(input)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&limitWriter{w: &buf, left: maxRoadieZip})
	add := func(name, rel string, mode fs.FileMode) error {
		if mode.IsDir() {
			_, err := zw.CreateHeader(&zip.FileHeader{Name: name + "/", Method: zip.Store})
			return err
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		f, err := c.Workspace.root.Open(rel)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(w, f)
		return err
	}
	switch {
	case info.IsDir():
		entries, err := c.Workspace.List(src, true)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := ctx.Err(); err != nil {
				return err
			}
			if !e.Dir && !e.Mode.IsRegular() {
				c.Logf("Left %s out of the zip: a symbolic link", e.Path)
				continue
			}
			name := strings.TrimPrefix(e.Path, src+"/")
			if src == "." {
				name = e.Path
			}
			if err := add(name, e.Path, e.Mode); err != nil {
				return fmt.Errorf("zip %s: %w", e.Path, err)
			}
		}
	case info.Mode().IsRegular():
		if err := add(path.Base(src), src, info.Mode()); err != nil {
			return fmt.Errorf("zip %s: %w", src, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("zip %s: %w", input, err)
	}
	if err := c.Workspace.WriteFile(dst, buf.Bytes(), 0); err != nil {
		return err
	}
	c.Output("outputPath", outputPath)
	return nil
}

// limitWriter fails once more than left bytes are written.
type limitWriter struct {
	w    io.Writer
	left int64
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if int64(len(p)) > l.left {
		return 0, fmt.Errorf("the zip grows past %d MiB", maxRoadieZip>>20)
	}
	l.left -= int64(len(p))
	return l.w.Write(p)
}

// roadieMaxSleep is the longest roadiehq:utils:sleep runs, as Roadie's
// maxSleep option (which it leaves unset) would bound it.
const roadieMaxSleep = 600

// roadiehq:utils:sleep waits amount seconds (cancellable).
func roadieSleep(ctx context.Context, c *Context) error {
	v, _ := get(c.Input, "amount")
	n, ok := v.(float64)
	if !ok || n != n {
		return errors.New("amount must be a number")
	}
	if n > roadieMaxSleep {
		return fmt.Errorf("sleep amount can not be greater than maxSleep. amount: %s, maxSleep: %d", jsNumber(n), roadieMaxSleep)
	}
	c.Logf("Waiting %s seconds", jsNumber(n))
	t := time.NewTimer(time.Duration(max(n, 0) * float64(time.Second)))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
