// Package listing holds the catalog table in memory: the store's row of
// every entity (store.Row), with facet values interned and the rows
// pre-sorted by every column, so a filtered, faceted, sorted page of
// 100,000 entities takes a couple of milliseconds and never touches the
// store; and keeps those rows in a cache file between starts.
package listing
