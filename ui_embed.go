//go:build embedui

package main

import (
	"embed"
	"io/fs"
)

//go:embed all:frontend/dist
var dist embed.FS

// uiFS is the built frontend, embedded by `make build` (tag embedui).
func uiFS() fs.FS {
	sub, err := fs.Sub(dist, "frontend/dist")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder exists
	}
	return sub
}
