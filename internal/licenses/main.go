// Command licenses lists the third-party software a Callboard build bundles
// — the Go modules linked into the binary and the npm packages the UI
// ships — with each one's license text, for the About dialog and the
// packages' copyright file. Its output depends only on the module cache
// and frontend/node_modules, so it is the same for the same inputs.
//
//	go run ./internal/licenses -tags "webkit2_41 embedui" -json frontend/public/licenses.json -text build/dist/copyright
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
)

func main() {
	tags := flag.String("tags", "", "build tags of the binary, as go build takes them")
	pkg := flag.String("pkg", ".", "the binary's main package")
	frontend := flag.String("frontend", "frontend", "the frontend folder: its package-lock.json and node_modules")
	jsonOut := flag.String("json", "", "write the list as JSON here (for the About dialog)")
	textOut := flag.String("text", "", "write the list as plain text here (for the packages' copyright file)")
	common := flag.String("common", "", "in the text, refer to the licenses this folder holds (Debian's /usr/share/common-licenses) instead of repeating them")
	flag.Parse()
	if err := run(context.Background(), *tags, *pkg, *frontend, *jsonOut, *textOut, *common); err != nil {
		fmt.Fprintln(os.Stderr, "licenses:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, tags, pkg, frontend, jsonOut, textOut, common string) error {
	goMods, err := goModules(ctx, tags, pkg)
	if err != nil {
		return err
	}
	npm, err := npmPackages(frontend)
	if err != nil {
		return err
	}
	list := List{Go: goMods, NPM: npm}
	if jsonOut != "" {
		if err := writeFile(jsonOut, list.JSON()); err != nil {
			return err
		}
	}
	if textOut != "" {
		if err := writeFile(textOut, list.Text(common)); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, data []byte) error {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
