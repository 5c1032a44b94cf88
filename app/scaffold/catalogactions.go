package scaffold

import (
	"cmp"
	"context"
	"errors"
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
		return inputErr("entity", "missing")
	}
	e, ok := entity.(*nunjucks.Object)
	if !ok {
		return inputErr("entity", "want an object, got %s", describe(entity))
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
	contents, err := str(c.Input, "repoContentsUrl")
	if err != nil {
		return err
	}
	infoPath, err := str(c.Input, "catalogInfoPath")
	if err != nil {
		return err
	}
	infoURL, err := str(c.Input, "catalogInfoUrl")
	if err != nil {
		return err
	}
	// The file is read from the repository the URL names: one a publish:*
	// step made is rooted at its sourcePath, as Backstage pushes only that
	// folder; any other is taken to be the project.
	var repo, file string
	switch {
	case infoURL != "":
		var ok bool
		if repo, file, ok = c.result.inPublished(infoURL); !ok {
			file = pathInRepo(infoURL)
		}
	case contents == "":
		return &InputError{Input: "repoContentsUrl", Err: errors.New("give catalogInfoUrl, or repoContentsUrl with catalogInfoPath")}
	default:
		repo, _, _ = c.result.inPublished(contents)
		file = cmp.Or(strings.TrimPrefix(infoPath, "/"), "catalog-info.yaml")
		infoURL = strings.TrimSuffix(contents, "/") + "/" + file
	}
	inProject := path.Join(repo, file)
	data, err := c.Workspace.ReadFile(inProject)
	if err != nil {
		if optional {
			c.Logf("No %s to register (optional)", inProject)
			return nil
		}
		return fmt.Errorf("the new project has no %s to register", inProject)
	}
	ref, err := firstEntityRef(data)
	if err != nil {
		if optional {
			c.Logf("%s: %v (optional, not registered)", inProject, err)
			return nil
		}
		return fmt.Errorf("%s: %w", inProject, err)
	}
	c.result.Register = append(c.result.Register, Register{Repo: repo, Path: file, EntityRef: ref})
	if c.DryRun {
		c.Logf("Dry run: %s (%s) would be added to the catalog", inProject, ref)
	} else {
		c.Logf("%s (%s) will be added to the catalog", inProject, ref)
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
