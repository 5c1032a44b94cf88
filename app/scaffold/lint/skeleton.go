package lint

import (
	"bytes"
	"errors"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callboard/callboard/app/nunjucks"
)

// Bounds on the skeleton files a lint reads.
const (
	maxSkeletonFiles = 10_000
	maxSkeletonFile  = 1 << 20
	maxSkeletonBytes = 64 << 20
)

// skeleton checks that the `values.x` a fetch:template step's skeleton
// reads (in file names and contents) are values the step passes. Steps
// whose skeleton is fetched by URL or computed, or that copy some files
// without templating (glob patterns), are not looked into: what they
// render is not known here.
func (l *linter) skeleton(s *yaml.Node, label string, params *parameters) {
	if l.opts.Skeletons == nil || scalar(lookup(s, "action")) != "fetch:template" {
		return
	}
	in := lookup(s, "input")
	url := scalar(lookup(in, "url"))
	dir := path.Clean(url)
	if url == "" || strings.Contains(url, "://") || strings.Contains(url, "${{") || !fs.ValidPath(dir) {
		return
	}
	for _, key := range []string{"copyWithoutTemplating", "copyWithoutRender", "cookiecutterCompat", "templateFileExtension"} {
		if lookup(in, key) != nil {
			return
		}
	}
	keys, ok := valueKeys(lookup(in, "values"), params)
	if !ok {
		return
	}
	files, read := 0, 0
	_ = fs.WalkDir(l.opts.Skeletons, dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		if files++; files > maxSkeletonFiles || read > maxSkeletonBytes {
			return fs.SkipAll
		}
		file := path.Join(path.Dir(l.file), name)
		l.skeletonText(file, strings.TrimPrefix(name, dir+"/"), keys, label, true)
		info, err := d.Info()
		if err != nil || info.Size() > maxSkeletonFile {
			return nil
		}
		data, err := fs.ReadFile(l.opts.Skeletons, name)
		if err != nil || bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 {
			return nil
		}
		read += len(data)
		l.skeletonText(file, string(data), keys, label, false)
		return nil
	})
}

// skeletonText checks the values one skeleton text reads: a file's
// contents, or its name (whose findings are at the file's line 1).
func (l *linter) skeletonText(file string, text string, keys map[string]bool, label string, name bool) {
	if !strings.Contains(text, "${{") && !strings.Contains(text, "{%") {
		return
	}
	refs, err := nunjucks.References(file, text, nunjucks.Options{})
	var ne *nunjucks.Error
	if errors.As(err, &ne) {
		what := "its content"
		if name {
			what, ne.Line, ne.Column = "its name", 1, 1
		}
		l.add(file, ne.Line, ne.Column, RuleExpression, Error, "%s: %s: %s", label, what, ne.Msg)
		return
	}
	for _, r := range refs {
		ln, col := r.Line, r.Column
		if name {
			ln, col = 1, 1
		}
		switch {
		case r.Path[0] != "values" && !skeletonGlobals[r.Path[0]]:
			// Most often a GitHub Actions expression in a workflow file,
			// which the scaffolder renders away.
			l.add(file, ln, col, RuleUndefinedVariable, Warning, "%s: %s is not defined when fetch:template renders this file, so it renders empty; a skeleton sees only values (wrap text meant for another tool, such as GitHub Actions' ${{ }}, in {%% raw %%}…{%% endraw %%})", label, strings.Join(r.Path, "."))
		case len(r.Path) < 2 || keys[r.Path[1]]:
		default:
			l.add(file, ln, col, RuleUndefinedValue, Error, "%s: values.%s: the step passes no value %s%s", label, r.Path[1], r.Path[1], suggest(r.Path[1], sortedKeys(keys)))
		}
	}
}

// skeletonGlobals are the names nunjucks defines for every template.
var skeletonGlobals = map[string]bool{"range": true, "cycler": true, "joiner": true}

// valueKeys are the names a fetch:template step's values input defines:
// its keys, or the parameters' when it is `${{ parameters }}`; ok is
// false when they cannot be known here.
func valueKeys(v *yaml.Node, params *parameters) (map[string]bool, bool) {
	keys := map[string]bool{}
	switch {
	case v == nil:
		return keys, true
	case v.Kind == yaml.MappingNode && !placeholder(v):
		for i := 0; i+1 < len(v.Content); i += 2 {
			keys[v.Content[i].Value] = true
		}
		return keys, true
	case v.Kind == yaml.ScalarNode && strings.Join(strings.Fields(v.Value), "") == "${{parameters}}" && params.known:
		params.usedAll = true
		for name := range params.defs {
			keys[name] = true
		}
		return keys, true
	}
	return nil, false
}

func sortedKeys(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }
