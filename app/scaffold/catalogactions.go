package scaffold

import (
	"cmp"
	"context"
	"fmt"
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/app/nunjucks"
)

// catalog:fetch reads entities from the local catalog: entityRef gives
// entity, entityRefs gives entities.
func catalogFetch(ctx context.Context, c *Context) error {
	if c.host == nil {
		return fmt.Errorf("no catalog to read from")
	}
	optional, err := boolean(c.Input, "optional")
	if err != nil {
		return err
	}
	kind, _ := str(c.Input, "defaultKind")
	ns, _ := str(c.Input, "defaultNamespace")
	if ns == "" {
		ns = catalog.DefaultNamespace
	}
	fetch := func(ref string) (any, error) {
		r, err := catalog.ParseRef(ref, kind, ns)
		if err != nil {
			return nil, fmt.Errorf("entity ref %q: %w", ref, err)
		}
		e, ok, err := c.host.Entity(ctx, r.String())
		if err != nil {
			return nil, err
		}
		if !ok {
			if optional {
				return nil, nil
			}
			return nil, fmt.Errorf("entity %s not found", r)
		}
		return e, nil
	}
	one, err := str(c.Input, "entityRef")
	if err != nil {
		return err
	}
	many, err := stringList(c.Input, "entityRefs")
	if err != nil {
		return err
	}
	if one == "" && many == nil {
		return fmt.Errorf("give entityRef or entityRefs")
	}
	if one != "" {
		e, err := fetch(one)
		if err != nil {
			return err
		}
		c.Output("entity", e)
	}
	if many != nil {
		list := []any{}
		for _, ref := range many {
			e, err := fetch(ref)
			if err != nil {
				return err
			}
			list = append(list, e)
		}
		c.Output("entities", list)
	}
	return nil
}

// catalog:write writes entity as YAML (default catalog-info.yaml), with
// the backstage.io/source-template annotation naming the template.
func catalogWrite(_ context.Context, c *Context) error {
	file, err := str(c.Input, "filePath")
	if err != nil {
		return err
	}
	if file == "" {
		file = "catalog-info.yaml"
	}
	entity, ok := get(c.Input, "entity")
	if !ok || entity == nunjucks.Undefined {
		return fmt.Errorf("input entity: missing")
	}
	e, ok := entity.(*nunjucks.Object)
	if !ok {
		return fmt.Errorf("input entity: want an object, got %s", describe(entity))
	}
	meta, _ := e.Get("metadata")
	m, ok := meta.(*nunjucks.Object)
	if !ok {
		m = nunjucks.NewObject()
		e.Set("metadata", m)
	}
	ann, _ := m.Get("annotations")
	a, ok := ann.(*nunjucks.Object)
	if !ok {
		a = nunjucks.NewObject()
		m.Set("annotations", a)
	}
	a.Set("backstage.io/source-template", c.Template.Ref)
	out, err := yaml.Marshal(toYAML(e))
	if err != nil {
		return err
	}
	c.Logf("Writing %s", file)
	return c.Workspace.WriteFile(file, out, 0o644)
}

// toYAML turns an engine value into a YAML node, keeping key order.
func toYAML(v any) *yaml.Node {
	switch x := v.(type) {
	case *nunjucks.Object:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, k := range x.Keys() {
			val, _ := x.Get(k)
			if val == nunjucks.Undefined {
				continue
			}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, toYAML(val))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, e := range x {
			n.Content = append(n.Content, toYAML(e))
		}
		return n
	}
	var n yaml.Node
	if err := n.Encode(nunjucks.Plain(v)); err != nil {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	}
	return &n
}

// catalog:register asks for the new project's catalog file to become a
// location of the local catalog once the project is in place. Its outputs
// are Backstage's: entityRef and catalogInfoUrl.
func catalogRegister(_ context.Context, c *Context) error {
	optional, err := boolean(c.Input, "optional")
	if err != nil {
		return err
	}
	contents, _ := str(c.Input, "repoContentsUrl")
	infoPath, _ := str(c.Input, "catalogInfoPath")
	infoURL, _ := str(c.Input, "catalogInfoUrl")
	file := strings.TrimPrefix(infoPath, "/")
	switch {
	case infoURL != "":
		file = pathInRepo(infoURL)
	case contents == "":
		return fmt.Errorf("give catalogInfoUrl, or repoContentsUrl with catalogInfoPath")
	case file == "":
		file = "catalog-info.yaml"
	}
	if infoURL == "" {
		infoURL = strings.TrimSuffix(contents, "/") + "/" + file
	}
	data, err := c.Workspace.ReadFile(file)
	if err != nil {
		if optional {
			c.Logf("No %s to register (optional)", file)
			return nil
		}
		return fmt.Errorf("the new project has no %s to register", file)
	}
	ref, err := firstEntityRef(data)
	if err != nil {
		if optional {
			c.Logf("%s: %v (optional, not registered)", file, err)
			return nil
		}
		return fmt.Errorf("%s: %w", file, err)
	}
	c.result.Register = append(c.result.Register, Register{Path: file, EntityRef: ref})
	if c.DryRun {
		c.Logf("Dry run: %s (%s) would be added to the catalog", file, ref)
	} else {
		c.Logf("%s (%s) will be added to the catalog", file, ref)
	}
	c.Output("entityRef", ref)
	c.Output("catalogInfoUrl", infoURL)
	return nil
}

// pathInRepo takes the file path out of a repository file URL
// (…/blob/BRANCH/PATH, …/-/blob/BRANCH/PATH, …/src/BRANCH/PATH).
func pathInRepo(url string) string {
	for _, marker := range []string{"/-/blob/", "/blob/", "/src/", "/browse/"} {
		if i := strings.Index(url, marker); i >= 0 {
			rest := url[i+len(marker):]
			if marker == "/browse/" {
				return strings.SplitN(rest, "?", 2)[0]
			}
			if _, p, ok := strings.Cut(rest, "/"); ok {
				return strings.SplitN(p, "?", 2)[0]
			}
		}
	}
	return path.Base(url)
}

// firstEntityRef reads the ref of the first entity in a catalog file,
// through the catalog's YAML budget like every file a template wrote.
func firstEntityRef(data []byte) (string, error) {
	for doc, err := range catalog.ReadYAML(data) {
		if err != nil {
			return "", fmt.Errorf("not a catalog file: %w", err)
		}
		kind, _ := doc.Scalar("kind")
		name, _ := doc.Scalar("metadata", "name")
		if kind == "" || name == "" {
			return "", fmt.Errorf("its first document has no kind and metadata.name")
		}
		ns, _ := doc.Scalar("metadata", "namespace")
		return strings.ToLower(kind) + ":" + cmp.Or(ns, catalog.DefaultNamespace) + "/" + name, nil
	}
	return "", fmt.Errorf("its first document has no kind and metadata.name")
}
