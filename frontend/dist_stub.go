//go:build !embedui

package frontend

import (
	"io/fs"
	"testing/fstest"
)

// Dist stands in for the frontend in builds without it (go test, go vet,
// go run on a fresh checkout), so they never need frontend/dist.
func Dist() fs.FS {
	return fstest.MapFS{"index.html": {Data: []byte(`<!doctype html><meta name="color-scheme" content="light dark"><title>Callboard</title>
<p>This callboard binary was built without its user interface. Build it with <code>make build</code>.</p>`)}}
}
