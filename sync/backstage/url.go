package backstage

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ParseBaseURL reads the address of an organisation's Backstage
// (https://backstage.acme.example, or a path it is served under) into
// the base URL its API paths hang from, without a trailing slash. http is
// accepted on loopback hosts only, as the token travels with requests.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// The error would repeat the URL, secrets and all.
		return nil, fmt.Errorf("%w: the address cannot be read as a URL", ErrBadURL)
	}
	// A secret in the URL is never repeated.
	raw = (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
	switch {
	case u.Scheme != "https" && u.Scheme != "http", u.Host == "":
		return nil, fmt.Errorf("%w: %s: give the address as https://host", ErrBadURL, raw)
	case u.User != nil, u.RawQuery != "", u.Fragment != "":
		return nil, fmt.Errorf("%w: %s: give the address alone, without a user, query or fragment (the token goes to the keyring: callboard token set %s)", ErrBadURL, raw, u.Host)
	case u.Scheme == "http" && !loopback(u.Hostname()):
		return nil, fmt.Errorf("%w: %s is http; a token goes over https only (http is for loopback servers)", ErrBadURL, raw)
	}
	out := &url.URL{Scheme: u.Scheme, Host: strings.ToLower(u.Host), Path: strings.TrimRight(u.Path, "/")}
	return out, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ViewURL is an entity's page in the Backstage the base URL names, as
// Backstage's catalog routes it: /catalog/<namespace>/<kind>/<name>.
func ViewURL(base, namespace, kind, name string) string {
	return strings.TrimRight(base, "/") + "/catalog/" + url.PathEscape(strings.ToLower(namespace)) + "/" +
		url.PathEscape(strings.ToLower(kind)) + "/" + url.PathEscape(name)
}
