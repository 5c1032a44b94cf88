// Package frontend holds the built user interface that both executables
// serve: the window through Wails' asset server, `callboard serve` to a
// browser. Go embeds only files under a package's own folder, hence a Go
// package here beside the sources.
package frontend
