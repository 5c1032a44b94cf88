// Package gitfetch clones and fetches catalog repositories with go-git and reads their files at a commit.
package gitfetch
