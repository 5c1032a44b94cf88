// Command apigen writes the files generated from the portal API's
// declaration (app/portal.API and its events); `go generate ./...` runs it.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/callboard/callboard/internal/apigen"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "apigen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	root, err := apigen.ModuleRoot(".")
	if err != nil {
		return err
	}
	files, err := apigen.Generate(ctx, root)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(root, f.Path), f.Content, 0o644); err != nil {
			return err
		}
	}
	return nil
}
