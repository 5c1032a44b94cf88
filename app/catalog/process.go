package catalog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Files reads a repository's files at one commit. Names are slash-separated
// and relative to the repository root. ReadFile returns an error wrapping
// fs.ErrNotExist for a missing file.
type Files interface {
	ReadFile(name string) ([]byte, error)
}

// Source is where an entity's document starts.
type Source struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// Processed is an accepted entity with its origin.
type Processed struct {
	Entity Entity `json:"entity"`
	Source Source `json:"source"`
}

// Result is everything processing a location produced.
type Result struct {
	Entities []Processed
	Edges    []Edge
	Errors   []Error
}

// kinds maps each kind this model knows (lower-cased) to its canonical spelling.
var kinds = map[string]string{
	"component": "Component", "api": "API", "resource": "Resource", "system": "System",
	"domain": "Domain", "group": "Group", "user": "User", "location": "Location",
	"template": "Template",
}

var (
	namePattern   = regexp.MustCompile(`^[a-zA-Z0-9]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?$`)
	nsPattern     = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	rootFieldsSet = map[string]bool{"apiVersion": true, "kind": true, "metadata": true, "spec": true, "relations": true, "status": true}
)

// Process reads root and every file its Location entities reach, and returns
// the entities, their relations and the processing errors. It does no I/O
// beyond files; a bad document is reported and the others still count.
func Process(ctx context.Context, files Files, root string) Result {
	p := processor{files: files, seen: map[string]bool{}, refs: map[string]Source{}}
	p.file(ctx, path.Clean(root))
	return p.res
}

type processor struct {
	files Files
	seen  map[string]bool
	refs  map[string]Source
	res   Result
}

func (p *processor) fail(file string, line int, field, format string, args ...any) {
	p.res.Errors = append(p.res.Errors, Error{File: file, Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (p *processor) file(ctx context.Context, name string) {
	if ctx.Err() != nil || p.seen[name] {
		return // a file reached twice (a cycle or a diamond) is read once
	}
	p.seen[name] = true
	data, err := p.files.ReadFile(name)
	if err != nil {
		p.fail(name, 0, "", "cannot read file: %v", err)
		return
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			// The decoder cannot resync after a syntax error: the rest of the file is lost.
			p.fail(name, yamlLine(err), "", "invalid YAML: %v", trimYAMLErr(err))
			return
		}
		if len(doc.Content) == 0 {
			continue // an empty document between two "---"
		}
		p.document(ctx, name, doc.Content[0])
	}
}

func (p *processor) document(ctx context.Context, file string, node *yaml.Node) {
	line := node.Line
	var raw map[string]any
	if node.Kind != yaml.MappingNode {
		p.fail(file, line, "", "document is not a mapping")
		return
	}
	if err := node.Decode(&raw); err != nil {
		p.fail(file, line, "", "cannot decode entity: %v", trimYAMLErr(err))
		return
	}
	e, ok := p.entity(file, node, raw)
	if !ok {
		return
	}
	ref := e.Ref().String()
	if prev, dup := p.refs[ref]; dup {
		p.fail(file, line, "metadata.name", "%s is already defined at %s:%d", ref, prev.File, prev.Line)
		return
	}
	src := Source{File: file, Line: line}
	p.refs[ref] = src
	edges, problems := relations(&e)
	for _, msg := range problems {
		p.fail(file, line, "", "%s", msg)
	}
	p.res.Entities = append(p.res.Entities, Processed{Entity: e, Source: src})
	p.res.Edges = append(p.res.Edges, edges...)
	if strings.EqualFold(e.Kind, "location") {
		p.location(ctx, file, line, &e)
	}
}

// entity checks the envelope and metadata and builds the typed entity.
func (p *processor) entity(file string, node *yaml.Node, raw map[string]any) (Entity, bool) {
	line := node.Line
	for k := range raw {
		if !rootFieldsSet[k] {
			p.fail(file, keyLine(node, k), k, "unknown root field")
			return Entity{}, false
		}
	}
	apiVersion, _ := raw["apiVersion"].(string)
	kind, _ := raw["kind"].(string)
	if !strings.Contains(apiVersion, "/") {
		p.fail(file, keyLine(node, "apiVersion"), "apiVersion", "must be a string of the form group/version, got %v", raw["apiVersion"])
		return Entity{}, false
	}
	canon, known := kinds[strings.ToLower(kind)]
	if !known {
		p.fail(file, keyLine(node, "kind"), "kind", "unknown kind %q: no processor handles it", kind)
		return Entity{}, false
	}
	md, _ := raw["metadata"].(map[string]any)
	if md == nil {
		p.fail(file, line, "metadata", "is required and must be a mapping")
		return Entity{}, false
	}
	e := Entity{APIVersion: apiVersion, Kind: canon, Raw: raw}
	e.Spec, _ = raw["spec"].(map[string]any)
	m := &e.Metadata
	m.Name, _ = md["name"].(string)
	m.Namespace, _ = md["namespace"].(string)
	m.Title, _ = md["title"].(string)
	m.Description, _ = md["description"].(string)
	if m.Namespace == "" {
		m.Namespace = DefaultNamespace
	}
	mdNode := valueNode(node, "metadata")
	switch {
	case m.Name == "":
		p.fail(file, keyLine(mdNode, "name"), "metadata.name", "is required")
		return Entity{}, false
	case len(m.Name) > 63 || !namePattern.MatchString(m.Name):
		p.fail(file, keyLine(mdNode, "name"), "metadata.name", "%q is not a valid name: up to 63 of [a-zA-Z0-9-_.], starting and ending with a letter or digit", m.Name)
		return Entity{}, false
	case len(m.Namespace) > 63 || !nsPattern.MatchString(m.Namespace):
		p.fail(file, keyLine(mdNode, "namespace"), "metadata.namespace", "%q is not a valid namespace", m.Namespace)
		return Entity{}, false
	}
	m.Labels = stringMap(md["labels"])
	m.Annotations = stringMap(md["annotations"])
	if tags, ok := md["tags"].([]any); ok {
		for _, t := range tags {
			if s, ok := t.(string); ok {
				m.Tags = append(m.Tags, s)
			}
		}
	}
	return e, true
}

// location follows a Location entity's targets inside the repository.
func (p *processor) location(ctx context.Context, file string, line int, e *Entity) {
	targets := e.SpecStrings("targets")
	if t := e.SpecString("target"); t != "" {
		targets = append(targets, t)
	}
	for _, t := range targets {
		if strings.Contains(t, "://") {
			p.fail(file, line, "spec.targets", "target %q is a URL: only paths inside this repository are followed", t)
			continue
		}
		target := path.Clean(path.Join(path.Dir(file), t))
		if path.IsAbs(t) || target == ".." || strings.HasPrefix(target, "../") {
			p.fail(file, line, "spec.targets", "target %q is outside the repository", t)
			continue
		}
		p.file(ctx, target)
	}
}

func stringMap(v any) map[string]string {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, x := range m {
		out[k] = fmt.Sprint(x)
	}
	return out
}

func valueNode(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// keyLine is the line of key in mapping n, or of n itself when key is absent.
func keyLine(n *yaml.Node, key string) int {
	if n == nil {
		return 0
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i].Line
		}
	}
	return n.Line
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

func yamlLine(err error) int {
	m := yamlLineRE.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	var n int
	fmt.Sscan(m[1], &n)
	return n
}

func trimYAMLErr(err error) string {
	return strings.TrimPrefix(err.Error(), "yaml: ")
}
