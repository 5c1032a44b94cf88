// Package catalogquery answers Backstage's catalog queries (filters,
// ordering, full text, facets) from an in-memory index of every entity's
// field values, the rows Backstage's search table holds.
package catalogquery
