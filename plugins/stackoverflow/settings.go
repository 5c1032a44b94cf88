package stackoverflow

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// Defaults of the settings.
const (
	DefaultAPIURL   = "https://api.stackexchange.com/2.3"
	DefaultTeamsURL = "https://api.stackoverflowteams.com/2.3"
	DefaultSite     = "stackoverflow"
	defaultRefresh  = 60 * time.Minute
	// minRefresh keeps a day's fetches within the API's quota without a
	// key (300 requests a day an address).
	minRefresh = 15 * time.Minute
	maxTags    = 20
)

// Settings keys.
const (
	keyAPIURL   = "apiUrl"
	keySite     = "site"
	keyTags     = "tags"
	keyTeam     = "team"
	keyToken    = "token"
	keyKey      = "key"
	keyRefresh  = "refreshMinutes"
	keyCacheDir = "cacheDir"
)

var configFields = []*pluginv1.ConfigField{
	{Key: keyAPIURL, Title: "API URL", Description: "The Stack Exchange API: " + DefaultAPIURL + " when empty, " + DefaultTeamsURL + " when a team is set."},
	{Key: keySite, Title: "Site", Description: "The Stack Exchange site (" + DefaultSite + " when empty; serverfault, superuser, …). Not used for a team."},
	{Key: keyTags, Title: "Tags", Description: "Comma-separated tags; questions with any of them are searchable (at most 20)."},
	{Key: keyTeam, Title: "Team", Description: "The Stack Overflow for Teams team name (the slug in its URL); empty for a public site."},
	{Key: keyToken, Title: "Teams token", Description: "A Stack Overflow for Teams personal access token, sent only to the API URL's host and only for the team.", Secret: true},
	{Key: keyKey, Title: "App key", Description: "A Stack Apps key (optional) for a larger daily quota."},
	{Key: keyRefresh, Title: "Refresh every (minutes)", Description: "How often the questions are fetched again at most (60 when empty, at least 15); in between, search uses those kept on disk."},
	{Key: keyCacheDir, Title: "Cache folder", Description: "An absolute folder where the questions are kept for offline search; the user cache folder's callboard/plugins/stackoverflow when empty."},
}

// tagPattern is what Stack Exchange allows in a tag.
var tagPattern = regexp.MustCompile(`^[a-z0-9#+.-]{1,35}$`)

// settings are the plugin's settings, checked, defaults filled in.
type settings struct {
	api      *url.URL
	site     string
	tags     []string
	team     string
	token    string
	key      string
	refresh  time.Duration
	cacheDir string
}

// settingsOf checks the plugin's settings. Its errors never hold the token.
func settingsOf(req sdk.Request) (settings, error) {
	s := settings{
		site:     strings.TrimSpace(req.Config[keySite]),
		team:     strings.TrimSpace(req.Config[keyTeam]),
		token:    strings.TrimSpace(req.Secrets[keyToken]),
		key:      strings.TrimSpace(req.Config[keyKey]),
		refresh:  defaultRefresh,
		cacheDir: strings.TrimSpace(req.Config[keyCacheDir]),
	}
	raw := strings.TrimRight(strings.TrimSpace(req.Config[keyAPIURL]), "/")
	if raw == "" {
		raw = DefaultAPIURL
		if s.team != "" {
			raw = DefaultTeamsURL
		}
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return s, errors.New("the apiUrl setting is not an http(s) address")
	case u.User != nil:
		return s, errors.New("the apiUrl setting holds credentials: put the token in the token setting")
	case u.RawQuery != "" || u.Fragment != "":
		return s, errors.New("the apiUrl setting has a query or fragment")
	case u.Scheme == "http" && !loopback(u.Hostname()):
		// Questions and a token in clear text: only to this machine.
		return s, errors.New("the apiUrl setting is http: use https (http only on this machine)")
	}
	s.api = u
	if s.site == "" {
		s.site = DefaultSite
	}
	for t := range strings.SplitSeq(req.Config[keyTags], ",") {
		t = strings.ToLower(strings.TrimSpace(t))
		switch {
		case t == "":
			continue
		case !tagPattern.MatchString(t):
			return s, fmt.Errorf("the tags setting has %q, which is not a tag", t)
		case len(s.tags) == maxTags:
			return s, fmt.Errorf("the tags setting has more than %d tags", maxTags)
		}
		s.tags = append(s.tags, t)
	}
	if v := strings.TrimSpace(req.Config[keyRefresh]); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return s, fmt.Errorf("the refreshMinutes setting %q is not a number of minutes", v)
		}
		s.refresh = max(time.Duration(n)*time.Minute, minRefresh)
	}
	if s.cacheDir == "" {
		if dir, err := os.UserCacheDir(); err == nil {
			s.cacheDir = filepath.Join(dir, "callboard", "plugins", "stackoverflow")
		}
	} else if !filepath.IsAbs(s.cacheDir) {
		return s, fmt.Errorf("the cacheDir setting %q is not an absolute path", s.cacheDir)
	}
	return s, nil
}

// cacheKey names what was fetched: the same API, site or team and tags
// share a cache; other settings start another.
func (s settings) cacheKey() string {
	sum := sha256.Sum256([]byte(strings.Join([]string{s.api.String(), s.site, s.team, strings.Join(s.tags, ";")}, "\n")))
	return hex.EncodeToString(sum[:8])
}

// loopback says whether host is this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
