// Package syncer keeps one location's entities in step with its git head: fetch, process, store.
package syncer
