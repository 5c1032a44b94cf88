package updates

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// ErrFeed is wrapped by every error about what a feed holds: not JSON, no
// release, a version that is not one.
var ErrFeed = errors.New("not a release feed")

// MaxNotes is how much of a release's notes is kept: enough for any
// changelog worth reading in a notice.
const MaxNotes = 64 << 10

// Release is what a feed says of the latest release.
type Release struct {
	// Version is the release's version as the feed gives it ("v1.4.0").
	Version string `json:"version"`
	// URL is the release's page, https; "" when the feed gives none.
	URL string `json:"url,omitempty"`
	// Notes are the release notes, markdown, cut at MaxNotes.
	Notes string `json:"notes,omitempty"`
}

// feedEntry is one release in any of the shapes read: GitHub's
// (tag_name, html_url, body) or the plain feed (version, url, notes).
type feedEntry struct {
	Version    string `json:"version"`
	URL        string `json:"url"`
	Notes      string `json:"notes"`
	TagName    string `json:"tag_name"`
	HTMLURL    string `json:"html_url"`
	Body       string `json:"body"`
	Draft      bool   `json:"draft"`
	Prerelease bool   `json:"prerelease"`
}

// Parse reads a release feed: GitHub's latest release
// (/repos/OWNER/REPO/releases/latest), its list of releases (the first
// that is neither a draft nor a pre-release), or a plain
// {"version", "url", "notes"} object an organisation hosts itself.
func Parse(data []byte) (Release, error) {
	data = bytes.TrimSpace(data)
	var entries []feedEntry
	if len(data) > 0 && data[0] == '[' {
		if err := json.Unmarshal(data, &entries); err != nil {
			return Release{}, fmt.Errorf("%w: %v", ErrFeed, err)
		}
	} else {
		var e feedEntry
		if err := json.Unmarshal(data, &e); err != nil {
			return Release{}, fmt.Errorf("%w: %v", ErrFeed, err)
		}
		entries = []feedEntry{e}
	}
	for _, e := range entries {
		if e.Draft || e.Prerelease {
			continue
		}
		return e.release()
	}
	return Release{}, fmt.Errorf("%w: it lists no release", ErrFeed)
}

func (e feedEntry) release() (Release, error) {
	r := Release{Version: strings.TrimSpace(e.Version), URL: strings.TrimSpace(e.URL), Notes: e.Notes}
	if r.Version == "" {
		r.Version, r.URL, r.Notes = strings.TrimSpace(e.TagName), strings.TrimSpace(e.HTMLURL), e.Body
	}
	if _, ok := parseVersion(r.Version); !ok {
		return Release{}, fmt.Errorf("%w: version %.40q is not a semantic version", ErrFeed, r.Version)
	}
	// A link the notice offers to open must be a web page, not a
	// javascript: or file: URL a hostile feed slipped in.
	if r.URL != "" {
		u, err := url.Parse(r.URL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return Release{}, fmt.Errorf("%w: release URL %.80q is not https", ErrFeed, r.URL)
		}
	}
	r.Notes = cut(strings.ToValidUTF8(r.Notes, "\uFFFD"), MaxNotes)
	return r, nil
}

// cut shortens s to at most n bytes, on a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
