// Package listing holds the catalog table in memory: one compact row per
// entity, with facet values interned and the rows pre-sorted by every
// column, so a filtered, faceted, sorted page of 100,000 entities takes a
// couple of milliseconds and never touches the store.
package listing
