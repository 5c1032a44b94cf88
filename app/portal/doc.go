// Package portal is the one service every front end calls: the Wails window, the HTTP API and the CLI.
package portal
