// Package ci is Callboard's built-in GitHub Actions plugin: the workflows of
// an entity's repository read from its clone, and the repository's latest
// runs from the GitHub API, cached on disk for offline use. The callboard
// executable runs it as `callboard plugin-serve ci` (plugins/builtin).
package ci
