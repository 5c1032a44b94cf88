// Package catalog holds the entity model and turns catalog files at one commit into entities, relations and processing errors.
package catalog
