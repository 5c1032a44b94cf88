// Package forgetest serves, on loopback, the parts of GitHub's REST and
// GraphQL APIs and GitLab's REST API that package discover uses, in their
// documented shapes, with repositories behind git http-backend.
package forgetest
