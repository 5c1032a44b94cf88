// Package outbox keeps what the user writes to a catalog repository as
// commits in the local clone, outside the branch that mirrors the remote,
// and pushes them when the remote is reachable: rebased when that is clean,
// kept on a conflict branch when it is not, never dropped.
package outbox
