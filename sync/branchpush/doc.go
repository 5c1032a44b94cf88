// Package branchpush takes a branch of the user's own checkout (a
// project's template update) to its origin, and a pull request from it.
package branchpush
