// Package buildinfo says which build of Callboard runs: its version, commit
// and build date as the build stamped them, and what it was built with.
package buildinfo
