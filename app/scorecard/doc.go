// Package scorecard evaluates Scorecard entities' checks over the catalog's
// entities, their repositories' files and the facts plugins reported.
package scorecard
