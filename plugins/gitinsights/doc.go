// Package gitinsights is the built-in git-insights plugin: recent commits,
// commit activity, contributors, languages and code owners of an entity's
// folder, read offline from its local clone. The callboard executable runs
// it as `callboard plugin-serve git-insights` (plugins/builtin).
package gitinsights
