// Package store keeps locations, entities, relations and processing errors in Badger, replacing a location's set atomically.
package store
