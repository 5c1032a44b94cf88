package catalog

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// The checks Backstage's catalog makes before a kind's own validator, in its
// order: the envelope (before processing), then the entity policies —
// schema valid, default namespace, no foreign root fields, field formats.

var envelopeSchema = obj(req("apiVersion", "kind", "metadata"), map[string]*schema{
	"apiVersion": str(),
	"kind":       str(),
	"metadata":   obj(req("name"), map[string]*schema{"name": str(), "namespace": str()}),
})

// stringValues is Backstage's labels and annotations schema: the value of
// every key matching "^.+$" is a string. JavaScript's "." matches no line
// terminator, so an empty or multi-line key is not checked.
func stringValues() *schema {
	return &schema{types: tObject, additional: anyStr(), additionalIf: func(k string) bool {
		return k != "" && !strings.ContainsAny(k, "\n\r\u2028\u2029")
	}}
}

var entitySchema = obj(req("apiVersion", "kind", "metadata"), map[string]*schema{
	"apiVersion": str(),
	"kind":       str(),
	"metadata": obj(req("name"), map[string]*schema{
		"uid": str(), "etag": str(), "name": str(), "namespace": str(), "title": str(), "description": anyStr(),
		"labels":      stringValues(),
		"annotations": stringValues(),
		"tags":        strs(),
		"links": list(obj(req("url"), map[string]*schema{
			"url": str(), "title": str(), "icon": str(), "type": str(),
		})),
	}),
	"spec": object(),
})

// rootFields are the only top-level fields a catalog file may hold
// (relations and status are computed by the catalog, never written).
var rootFields = map[string]bool{"apiVersion": true, "kind": true, "metadata": true, "spec": true}

// checkEntitySchema is Backstage's SchemaValidEntityPolicy followed by
// NoForeignRootFieldsEntityPolicy.
func checkEntitySchema(raw map[string]any) []violation {
	var out []violation
	entitySchema.validate(raw, nil, &out)
	if len(out) > 0 {
		return out
	}
	for _, k := range sortedKeys(raw) {
		if !rootFields[k] {
			msg := "is not a field of a catalog entity: use apiVersion, kind, metadata and spec"
			if k == "relations" || k == "status" {
				msg = "is computed by the catalog and cannot be written in a catalog file"
			}
			return []violation{{path: []string{k}, msg: msg}}
		}
	}
	return nil
}

// The format checks below are Backstage's regular expressions written out
// by hand: they run for every name, label and tag of the catalog.

func isLowerAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

func isAlnum(c byte) bool { return isLowerAlnum(c) || c >= 'A' && c <= 'Z' }

// isDNSLabel is ^[a-z0-9]+(?:-+[a-z0-9]+)*$, 1 to 63 characters.
func isDNSLabel(s string) bool {
	if len(s) < 1 || len(s) > 63 || !isLowerAlnum(s[0]) || !isLowerAlnum(s[len(s)-1]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isLowerAlnum(s[i]) && s[i] != '-' {
			return false
		}
	}
	return true
}

func isDNSSubdomain(s string) bool {
	if len(s) < 1 || len(s) > 253 {
		return false
	}
	for _, l := range strings.Split(s, ".") {
		if !isDNSLabel(l) {
			return false
		}
	}
	return true
}

// isObjectName is ^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$, 1 to 63 characters.
func isObjectName(s string) bool {
	if len(s) < 1 || len(s) > 63 || !isAlnum(s[0]) || !isAlnum(s[len(s)-1]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// prefixed checks "suffix" or "prefix/suffix" with a DNS subdomain prefix.
func prefixed(s string, suffix func(string) bool) bool {
	parts := strings.Split(s, "/")
	switch len(parts) {
	case 1:
		return suffix(parts[0])
	case 2:
		return isDNSSubdomain(parts[0]) && suffix(parts[1])
	}
	return false
}

func isAPIVersion(s string) bool {
	return prefixed(s, func(v string) bool {
		if len(v) < 1 || len(v) > 63 {
			return false
		}
		for i := 0; i < len(v); i++ {
			if !isAlnum(v[i]) {
				return false
			}
		}
		return true
	})
}

// isKind is ^[a-zA-Z][a-z0-9A-Z]*$, 1 to 63 characters.
func isKind(s string) bool {
	if len(s) < 1 || len(s) > 63 || isLowerAlnum(s[0]) && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return true
}

// isTag is ^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$, 1 to 63 characters.
func isTag(s string) bool {
	if len(s) < 1 || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isLowerAlnum(c) && c != ':' && c != '+' && c != '#' && c != '-' {
			return false
		}
	}
	return true
}

func isNonEmpty(s string) bool { return strings.TrimFunc(s, isJSSpace) != "" }

// isJSSpace is what JavaScript's String.prototype.trim removes.
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

const (
	expectName      = "a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total"
	expectPrefixed  = "a valid prefix and/or suffix"
	expectNamespace = "a string that is sequences of [a-z0-9] separated by [-], at most 63 characters in total"
	expectTag       = "a string that is sequences of [a-z0-9:+#] separated by [-], at most 63 characters in total"
	expectKind      = "a string that is a sequence of [a-zA-Z][a-z0-9A-Z], at most 63 characters in total"
)

// checkFieldFormats is Backstage's FieldFormatEntityPolicy: it runs after
// the schema, so every value it reads has the right type.
func checkFieldFormats(e map[string]any) *violation {
	md := e["metadata"].(map[string]any)
	bad := func(path []string, expect string, v any) *violation {
		return &violation{path: path, msg: fmt.Sprintf("must be %s, is %q", expect, fmt.Sprint(v))}
	}
	if v := e["apiVersion"].(string); !isAPIVersion(v) {
		return bad([]string{"apiVersion"}, "group/version, e.g. backstage.io/v1alpha1", v)
	}
	if v := e["kind"].(string); !isKind(v) {
		return bad([]string{"kind"}, expectKind, v)
	}
	if v := md["name"].(string); !isObjectName(v) {
		return bad([]string{"metadata", "name"}, expectName, v)
	}
	if v, ok := md["namespace"].(string); ok && !isDNSLabel(v) {
		return bad([]string{"metadata", "namespace"}, expectNamespace, v)
	}
	for _, field := range []string{"labels", "annotations"} {
		m, _ := md[field].(map[string]any)
		for _, k := range sortedKeys(m) {
			if !prefixed(k, isObjectName) {
				return &violation{path: []string{"metadata", field, k}, msg: fmt.Sprintf("key %q is not %s (an optional DNS prefix and /, then a name of up to 63 of [a-zA-Z0-9-_.])", k, expectPrefixed)}
			}
			s, isString := m[k].(string)
			if field == "labels" && (!isString || s != "" && !isObjectName(s)) {
				return bad([]string{"metadata", field, k}, expectName+" (or empty)", s)
			}
			if field == "annotations" && !isString {
				return &violation{path: []string{"metadata", field, k}, msg: "must be a string"}
			}
		}
	}
	tags, _ := md["tags"].([]any)
	for i, t := range tags {
		if !isTag(t.(string)) {
			return bad([]string{"metadata", "tags", strconv.Itoa(i)}, expectTag, t)
		}
	}
	links, _ := md["links"].([]any)
	for i, l := range links {
		link := l.(map[string]any)
		at := func(f string) []string { return []string{"metadata", "links", strconv.Itoa(i), f} }
		if u := link["url"].(string); !isURL(u) {
			return bad(at("url"), "an absolute URL, e.g. https://example.com/dashboard", u)
		}
		for _, f := range []string{"title", "icon"} {
			if s, ok := link[f].(string); ok && !isNonEmpty(s) {
				return &violation{path: at(f), msg: "must not be blank"}
			}
		}
	}
	return nil
}

var stripTabsAndNewlines = strings.NewReplacer("\t", "", "\n", "", "\r", "")

var schemeRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`) })

// special are the schemes whose URLs must have a host, per the WHATWG URL
// standard that Backstage's `new URL(value)` check follows.
var special = map[string]bool{"http": true, "https": true, "ws": true, "wss": true, "ftp": true, "file": true}

// isURL approximates "new URL(s) does not throw": an absolute URL with a
// scheme; special schemes need a valid host and port.
func isURL(s string) bool {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	s = stripTabsAndNewlines.Replace(s)
	m := schemeRE().FindString(s)
	if m == "" {
		return false
	}
	scheme := strings.ToLower(m[:len(m)-1])
	rest := s[len(m):]
	if !special[scheme] {
		if !strings.HasPrefix(rest, "//") {
			return true
		}
		return validAuthority(rest[2:], false)
	}
	rest = strings.TrimLeft(rest, `/\`)
	return validAuthority(rest, scheme != "file")
}

func validAuthority(rest string, needHost bool) bool {
	if i := strings.IndexAny(rest, `/\?#`); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	host, port := rest, ""
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 || net.ParseIP(host[1:end]) == nil || !strings.Contains(host[1:end], ":") {
			return false
		}
		after := host[end+1:]
		if after != "" && !strings.HasPrefix(after, ":") {
			return false
		}
		host, port = host[:end+1], strings.TrimPrefix(after, ":")
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host, port = host[:i], host[i+1:]
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n > 65535 || strings.ContainsAny(port, "+-") {
			return false
		}
	}
	if host == "" {
		return !needHost && port == ""
	}
	if strings.HasPrefix(host, "[") {
		return true
	}
	if strings.ContainsAny(host, " #%/:<>?@[\\]^|\x00") {
		return false
	}
	return validIPv4ish(host)
}

// validIPv4ish rejects hosts that end in a number but are not an IPv4
// address, as the URL standard does ("1.2.3.256", "a.1").
func validIPv4ish(host string) bool {
	labels := strings.Split(strings.TrimSuffix(host, "."), ".")
	last := labels[len(labels)-1]
	if last == "" || !isIPv4Number(last) {
		return true
	}
	if len(labels) > 4 {
		return false
	}
	for i, l := range labels {
		if !isIPv4Number(l) {
			return false
		}
		n, _ := strconv.ParseUint(l, 0, 64)
		if i < len(labels)-1 && n > 255 {
			return false
		}
		if i == len(labels)-1 && n >= 1<<(8*(5-len(labels))) {
			return false
		}
	}
	return true
}

func isIPv4Number(s string) bool {
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		_, err := strconv.ParseUint(s[2:], 16, 64)
		return err == nil || s == "0x" || s == "0X"
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}
