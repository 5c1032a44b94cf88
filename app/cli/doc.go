// Package cli parses Callboard's command line and runs each subcommand against the portal.
package cli
