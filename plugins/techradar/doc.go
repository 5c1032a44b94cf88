// Package techradar is the built-in Tech Radar plugin: a page drawing a
// technology radar from a YAML or JSON file in a synced location
// (Callboard's own shape or Backstage's tech-radar data as-is), a Home card
// of the entries that moved lately, and "Show on radar" on the pages of
// the entities an entry links to. The callboard executable runs it as
// `callboard plugin-serve techradar` (plugins/bundled).
package techradar
