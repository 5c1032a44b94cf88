package gitinsights

import (
	"context"
	"errors"
	"strings"
	"time"
)

// errNoCommit is returned (wrapped) when the commit asked for is not in the
// repository.
var errNoCommit = errors.New("commit not in the repository")

// commit is one commit as the cards show it.
type commit struct {
	Hash   string
	Author string
	Email  string
	// When is the author date, in the author's time zone.
	When    time.Time
	Subject string
}

// tip is the commit the cards are about.
type tip struct {
	Hash string
	// Committed is its committer date: the charts end there.
	Committed time.Time
}

// history reads one repository (bare or not) at a commit, never changing
// it. rev is a commit hash or "HEAD"; folder is a slash-separated path
// from the root, "" for the whole repository. Every method returns an
// error wrapping errNoCommit when rev is not in the repository, and
// other errors when the repository cannot be read.
type history interface {
	// Tip resolves rev.
	Tip(ctx context.Context, rev string) (tip, error)
	// Log returns the commits reachable from rev that change something
	// under folder, newest first.
	Log(ctx context.Context, rev, folder string) ([]commit, error)
	// Paths returns the paths of the files under folder at rev
	// (submodules left out).
	Paths(ctx context.Context, rev, folder string) ([]string, error)
	// Lines returns the line counts of the text files under folder at rev
	// that languageOf counts, by path; it may leave out empty files.
	Lines(ctx context.Context, rev, folder string) (map[string]int, error)
	// Read returns the first of paths that is a file at rev, and its
	// content; name is "" when none is.
	Read(ctx context.Context, rev string, paths []string) (name string, data []byte, err error)
}

// valid replaces what is not UTF-8 (a commit in Latin-1, say): the
// protocol's strings must be UTF-8.
func valid(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
