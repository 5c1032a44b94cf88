// Package scaffold runs Backstage software templates
// (scaffolder.backstage.io/v1beta3) on the laptop: steps with `if` and
// `each`, step inputs rendered by app/nunjucks exactly as Backstage's
// NunjucksWorkflowRunner renders them, and the built-in actions
// (fetch:*, fs:*, debug:*, catalog:*, publish:*) working in a private
// workspace that is moved into the target folder only when every step
// succeeded. Publishing is local-first: publish:* initialises a git
// repository and commits; pushing and registering in the catalog are left
// to the caller, which knows the final folder (Result.Publish,
// Result.Register).
package scaffold
