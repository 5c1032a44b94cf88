package deeplink

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// Scheme is the URL scheme the desktop registers Callboard for.
const Scheme = "callboard"

// Bounds on what a link may carry: it comes from anywhere a link can be
// clicked, so a huge or deep one is refused before anything reads it.
const (
	maxLink   = 4096
	maxText   = 1024 // a search query, a form value, a docs page path
	maxValues = 32   // form values in a create link
)

// ErrInvalid is wrapped by every refusal of Route: the link is not one
// Callboard opens.
var ErrInvalid = errors.New("not a Callboard link")

// ErrNoLink is Link's answer for a route no link opens.
var ErrNoLink = errors.New("this page has no callboard:// link")

var (
	// Backstage's rules for kinds, and for names (which namespaces, DNS
	// labels, also follow here); an entity the catalog holds meets them.
	kindRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9]{0,62}$`) })
	nameRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([a-zA-Z0-9]+[-_.])*[a-zA-Z0-9]+$`) })
	// An entity page's tab, as the UI names its own and plugins' tabs.
	tabRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}$`) })
	// A template parameter's name, as a form value's key.
	keyRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$`) })
	// An open docs preview's id (portal.DocsPreview.ID).
	previewIDRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-f]{16}$`) })
)

// Route returns the UI route (the frontend's hash path, e.g.
// /catalog/component/default/payments?tab=docs) that a callboard:// link
// opens:
//
//	callboard://                                      home
//	callboard://entity/<kind>:<namespace>/<name>[/<tab>]
//	callboard://create/template:<namespace>/<name>[?<parameter>=<value>...]
//	callboard://docs/<kind>:<namespace>/<name>[/<page path>][#<anchor>]
//	callboard://search?q=<text>
//	callboard://locations
//	callboard://docs-preview/<id>                     a docs preview already open
//	callboard://workbench?dir=<absolute path of a template folder>
//
// Anything else is an error wrapping ErrInvalid that says why.
func Route(link string) (string, error) {
	if len(link) > maxLink {
		return "", invalid("the link is %d bytes long, over %d", len(link), maxLink)
	}
	if i := strings.IndexFunc(link, isControlOrSpace); i >= 0 {
		return "", invalid("the link has a control character or space at byte %d", i)
	}
	scheme, rest, ok := strings.Cut(link, "://")
	if !ok || !strings.EqualFold(scheme, Scheme) {
		return "", invalid("%q does not start with %s://", clip(link), Scheme)
	}
	u, err := url.Parse(Scheme + "://" + rest)
	if err != nil {
		return "", invalid("%v", errors.Unwrap(err))
	}
	if u.User != nil || u.Port() != "" {
		return "", invalid("a link names a page, not a user or port")
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return "", invalid("its query: %v", err)
	}
	segs, err := segments(u.EscapedPath())
	if err != nil {
		return "", err
	}
	page := strings.ToLower(u.Hostname())
	if page != "docs" && len(segs) > 0 && segs[len(segs)-1] == "" {
		segs = segs[:len(segs)-1] // entity/a:b/c/ is entity/a:b/c
	}
	if page != "docs" && u.Fragment != "" {
		return "", invalid("only a docs link has an #anchor")
	}
	if page != "create" && page != "search" && page != "workbench" && len(q) > 0 {
		return "", invalid("a %s link takes no query", pageName(page))
	}
	switch page {
	case "":
		return ifNoPath(segs, "/")
	case "locations":
		return ifNoPath(segs, "/locations")
	case "search":
		return search(segs, q)
	case "entity":
		return entity(segs)
	case "create":
		return create(segs, q)
	case "docs":
		return docs(segs, u.Fragment)
	case "docs-preview":
		// By id only: a link from elsewhere shows a preview the user
		// opened, never opens a folder.
		if len(segs) != 1 || !previewIDRe().MatchString(segs[0]) {
			return "", invalid("a docs preview link is callboard://docs-preview/<id>, an open preview's id")
		}
		return "/docs/preview?" + url.Values{"id": {segs[0]}}.Encode(), nil
	case "workbench":
		return workbench(segs, q)
	}
	return "", invalid("unknown page %q: a link opens entity/…, create/…, docs/…, search, locations, workbench or the home page", clip(page))
}

func pageName(page string) string {
	if page == "" {
		return "home"
	}
	return page
}

func ifNoPath(segs []string, route string) (string, error) {
	if len(segs) > 0 {
		return "", invalid("%s takes no path", route)
	}
	return route, nil
}

func search(segs []string, q url.Values) (string, error) {
	if len(segs) > 0 {
		return "", invalid("a search link takes no path; write callboard://search?q=…")
	}
	for k, vs := range q {
		if k != "q" {
			return "", invalid("a search link takes only q, not %q", clip(k))
		}
		if len(vs) > 1 {
			return "", invalid("a search link takes one q")
		}
	}
	text := q.Get("q")
	if err := checkText("the search text", text); err != nil {
		return "", err
	}
	if text == "" {
		return "/search", nil
	}
	return "/search?" + url.Values{"q": {text}}.Encode(), nil
}

func entity(segs []string) (string, error) {
	if len(segs) < 2 || len(segs) > 3 {
		return "", invalid("an entity link is callboard://entity/<kind>:<namespace>/<name>[/<tab>]")
	}
	kind, ns, name, err := ref(segs[0], segs[1])
	if err != nil {
		return "", err
	}
	route := entityRoute(kind, ns, name)
	if len(segs) == 3 {
		tab := segs[2]
		if !tabRe().MatchString(tab) {
			return "", invalid("%q is not a tab's name", clip(tab))
		}
		if tab != "overview" {
			route += "?" + url.Values{"tab": {tab}}.Encode()
		}
	}
	return route, nil
}

func create(segs []string, q url.Values) (string, error) {
	if len(segs) != 2 {
		return "", invalid("a create link is callboard://create/template:<namespace>/<name>")
	}
	kind, ns, name, err := ref(segs[0], segs[1])
	if err != nil {
		return "", err
	}
	if kind != "template" {
		return "", invalid("a create link opens a template, not a %s", kind)
	}
	route := "/create/templates/" + ns + "/" + name
	if len(q) == 0 {
		return route, nil
	}
	if len(q) > maxValues {
		return "", invalid("a create link has %d values, over %d", len(q), maxValues)
	}
	values := make(map[string]string, len(q))
	for k, vs := range q {
		if !keyRe().MatchString(k) {
			return "", invalid("%q is not a form value's name", clip(k))
		}
		if len(vs) > 1 {
			return "", invalid("the form value %s is given %d times", k, len(vs))
		}
		if err := checkText("the form value "+k, vs[0]); err != nil {
			return "", err
		}
		values[k] = vs[0]
	}
	data, err := json.Marshal(values) // sorted keys: one route per link
	if err != nil {
		return "", fmt.Errorf("encode the form values: %w", err)
	}
	return route + "?" + url.Values{"formData": {string(data)}}.Encode(), nil
}

// workbench opens a template folder for its author (callboard scaffold
// edit DIR): the page only reads the folder, and names it.
func workbench(segs []string, q url.Values) (string, error) {
	if len(segs) > 0 {
		return "", invalid("a workbench link takes no path; write callboard://workbench?dir=…")
	}
	for k, vs := range q {
		if k != "dir" || len(vs) > 1 {
			return "", invalid("a workbench link takes one dir and nothing else")
		}
	}
	dir := q.Get("dir")
	if err := checkText("the folder", dir); err != nil {
		return "", err
	}
	if !isAbs(dir) {
		return "", invalid("the folder %q is not an absolute path", clip(dir))
	}
	return "/create/workbench?" + url.Values{"dir": {dir}}.Encode(), nil
}

// isAbs says whether p is an absolute path on Unix or Windows: a link
// names a folder of the machine it is opened on, whichever that is.
func isAbs(p string) bool {
	return strings.HasPrefix(p, "/") || len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') &&
		('a' <= p[0]|0x20 && p[0]|0x20 <= 'z')
}

func docs(segs []string, anchor string) (string, error) {
	if len(segs) < 2 {
		return "", invalid("a docs link is callboard://docs/<kind>:<namespace>/<name>[/<page path>]")
	}
	kind, ns, name, err := ref(segs[0], segs[1])
	if err != nil {
		return "", err
	}
	q := url.Values{"tab": {"docs"}}
	page := strings.Join(segs[2:], "/")
	if err := checkText("the docs page", page); err != nil {
		return "", err
	}
	if err := checkText("the anchor", anchor); err != nil {
		return "", err
	}
	if page != "" {
		q.Set("page", page)
	}
	if anchor != "" {
		q.Set("anchor", anchor)
	}
	return entityRoute(kind, ns, name) + "?" + q.Encode(), nil
}

// ref reads "<kind>:<namespace>" and "<name>", lower-cased as the catalog
// keeps refs.
func ref(kindNs, name string) (kind, ns, n string, err error) {
	kind, ns, ok := strings.Cut(kindNs, ":")
	if !ok {
		return "", "", "", invalid("%q is not <kind>:<namespace>", clip(kindNs))
	}
	if !kindRe().MatchString(kind) {
		return "", "", "", invalid("%q is not a kind", clip(kind))
	}
	for _, s := range []string{ns, name} {
		if len(s) > 63 || !nameRe().MatchString(s) {
			return "", "", "", invalid("%q is not a namespace or name: letters, digits and -_. between them, at most 63", clip(s))
		}
	}
	return strings.ToLower(kind), strings.ToLower(ns), strings.ToLower(name), nil
}

func entityRoute(kind, ns, name string) string {
	return "/catalog/" + kind + "/" + ns + "/" + name
}

// segments splits an escaped path into its unescaped segments, the last
// one empty after a trailing slash (a docs page as mkdocs names it,
// guide/setup/). Empty segments elsewhere, "." and ".." are refused: no
// link climbs.
func segments(escaped string) ([]string, error) {
	escaped = strings.TrimPrefix(escaped, "/")
	if escaped == "" {
		return nil, nil
	}
	raw := strings.Split(escaped, "/")
	out := make([]string, len(raw))
	for i, r := range raw {
		s, err := url.PathUnescape(r)
		if err != nil {
			return nil, invalid("its path: %v", err)
		}
		switch {
		case s == "" && i < len(raw)-1:
			return nil, invalid("its path has an empty segment")
		case s == "." || s == "..":
			return nil, invalid("its path has a %q segment", s)
		case strings.ContainsAny(s, "/\\"):
			return nil, invalid("its path segment %q holds a slash", clip(s))
		case strings.ContainsFunc(s, isControl):
			return nil, invalid("its path has a control character")
		}
		out[i] = s
	}
	return out, nil
}

func checkText(what, s string) error {
	if len(s) > maxText {
		return invalid("%s is %d bytes long, over %d", what, len(s), maxText)
	}
	if strings.ContainsFunc(s, isControl) {
		return invalid("%s has a control character", what)
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0xfffd }

func isControlOrSpace(r rune) bool { return isControl(r) || r == ' ' }

// clip keeps an error message short whatever the link held.
func clip(s string) string {
	if len(s) > 64 {
		return strings.ToValidUTF8(s[:64], "") + "…"
	}
	return s
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// Link returns the callboard:// link that opens route, a UI route, or
// ErrNoLink when no link opens that page. Route reads every link it
// returns, back to route itself for every route Route returns; what a
// link cannot carry (a filled-in form's non-text values, other query
// parameters) is left out.
func Link(route string) (string, error) {
	u, err := url.Parse(route)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, "/") {
		return "", ErrNoLink
	}
	q := u.Query()
	parts := strings.Split(strings.TrimPrefix(u.Path, "/"), "/")
	var link string
	switch {
	case u.Path == "/":
		link = Scheme + "://"
	case u.Path == "/locations":
		link = Scheme + "://locations"
	case u.Path == "/search":
		link = Scheme + "://search"
		if text := q.Get("q"); text != "" {
			link += "?" + url.Values{"q": {text}}.Encode()
		}
	case u.Path == "/create/workbench":
		link = Scheme + "://workbench?" + url.Values{"dir": {q.Get("dir")}}.Encode()
	case len(parts) == 4 && parts[0] == "catalog":
		link = entityLink(parts[1], parts[2], parts[3], q)
	case len(parts) == 4 && parts[0] == "create" && parts[1] == "templates":
		link = Scheme + "://create/template:" + url.PathEscape(parts[2]) + "/" + url.PathEscape(parts[3])
		if values := formValues(q.Get("formData")); len(values) > 0 {
			link += "?" + values.Encode()
		}
	default:
		return "", ErrNoLink
	}
	if _, err := Route(link); err != nil {
		return "", fmt.Errorf("%w: %v", ErrNoLink, err)
	}
	return link, nil
}

func entityLink(kind, ns, name string, q url.Values) string {
	ref := url.PathEscape(kind) + ":" + url.PathEscape(ns) + "/" + url.PathEscape(name)
	tab := q.Get("tab")
	if tab != "docs" {
		if tab == "" || tab == "overview" {
			return Scheme + "://entity/" + ref
		}
		return Scheme + "://entity/" + ref + "/" + url.PathEscape(tab)
	}
	link := Scheme + "://docs/" + ref
	if page := q.Get("page"); page != "" {
		segs := strings.Split(page, "/")
		for i, s := range segs {
			segs[i] = url.PathEscape(s)
		}
		link += "/" + strings.Join(segs, "/")
	}
	if anchor := q.Get("anchor"); anchor != "" {
		link += "#" + url.PathEscape(anchor)
	}
	return link
}

// formValues reads a template route's prefilled values back; what is
// not a string (a form the user filled in) has no place in a link.
func formValues(data string) url.Values {
	var values map[string]any
	if data == "" || json.Unmarshal([]byte(data), &values) != nil {
		return nil
	}
	out := url.Values{}
	for k, v := range values {
		if s, ok := v.(string); ok {
			out.Set(k, s)
		}
	}
	return out
}
