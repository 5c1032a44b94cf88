package apigen

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// File is one generated file: its path from the module's root and its content.
type File struct {
	Path    string
	Content []byte
}

// Generate reads the declaration in the module root's app/portal and
// returns every file generated from it.
func Generate(ctx context.Context, root string) ([]File, error) {
	c, err := Load(ctx, filepath.Join(root, "app", "portal"))
	if err != nil {
		return nil, err
	}
	var out []File
	for _, g := range []struct {
		path string
		gen  func(*Contract) ([]byte, error)
	}{
		{"app/desktop/bridge_gen.go", bridgeFile},
		{"app/httpapi/routes_gen.go", routesFile},
		{"app/apiclient/client_gen.go", clientFile},
		{"app/events/names_gen.go", namesFile},
		{"frontend/src/api/types.gen.ts", func(c *Contract) ([]byte, error) { return typesFile(c), nil }},
		{"frontend/src/api/client.gen.ts", func(c *Contract) ([]byte, error) { return tsClientFile(c), nil }},
	} {
		b, err := g.gen(c)
		if err != nil {
			return nil, fmt.Errorf("generate %s: %w", g.path, err)
		}
		out = append(out, File{Path: g.path, Content: b})
	}
	return out, nil
}

// ModuleRoot is the folder of the go.mod above dir.
func ModuleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
	}
}
