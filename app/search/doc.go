// Package search is the full-text index over entities, docs and templates:
// bleve v2 (scorch) on disk, ranked so an exact name beats a prefix beats
// a title, tags, a description and a docs body, with one-typo tolerance
// and facets. It is derived data, kept in step with the store by the
// portal and rebuilt from it whenever missing.
package search
