// Package launch holds what Callboard's two executables do at start: the
// `callboard` CLI (built without cgo, so a command starts in milliseconds)
// and `callboard-window` (the Wails window, which links GTK and WebKit).
// It takes the git tokens, wires the build and the built-in plugins into
// the CLI's Env, and has each executable find the other.
package launch
