// Package ci is Callboard's built-in CI plugin: the GitHub Actions
// workflows of an entity's repository read from its clone, the latest runs
// of its GitHub repository or pipelines of its GitLab project from their
// APIs, cached on disk for offline use, with view actions for a run's jobs,
// a job's log folded by step, and re-running failed jobs. The callboard
// executable runs it as `callboard plugin-serve ci` (plugins/builtin).
package ci
