package nunjucks

import (
	"fmt"
	"github.com/callboard/callboard/app/jsnum"
	"net/url"
	"strings"
)

// Integration is one SCM integration parseRepoUrl accepts: its host and its
// type, as in Backstage's integrations config ("github", "gitlab",
// "bitbucketCloud", "bitbucketServer", "azure", "gitea", "gerrit", …).
type Integration struct {
	Host, Type string
}

// DefaultIntegrations are the hosts Backstage knows without configuration.
var DefaultIntegrations = []Integration{
	{"github.com", "github"},
	{"gitlab.com", "gitlab"},
	{"bitbucket.org", "bitbucketCloud"},
	{"dev.azure.com", "azure"},
}

// ScaffolderFilters returns the filters Backstage's scaffolder adds to
// templates — parseRepoUrl, parseEntityRef, pick and projectSlug — for the
// given integrations (nil means DefaultIntegrations).
func ScaffolderFilters(integrations []Integration) map[string]Filter {
	if integrations == nil {
		integrations = DefaultIntegrations
	}
	parse := func(input any, _ ...any) (any, error) { return parseRepoURL(input, integrations) }
	return map[string]Filter{
		"parseRepoUrl":   parse,
		"parseEntityRef": parseEntityRef,
		"pick":           pick,
		"projectSlug": func(input any, _ ...any) (any, error) {
			v, err := parseRepoURL(input, integrations)
			if err != nil {
				return nil, err
			}
			o := v.(*Object)
			return jsString(o.get("owner")) + "/" + jsString(o.get("repo")), nil
		},
	}
}

// jsString is String(v) for public values.
func jsString(v any) string {
	c, err := fromGo(v, 0)
	if err != nil {
		return ""
	}
	s, _ := toString(c)
	return s
}

// parseRepoURL is scaffolder-node's parseRepoUrl: the picker's
// `host?owner=o&repo=r&…` read as a URL after "https://".
func parseRepoURL(input any, integrations []Integration) (any, error) {
	raw := jsString(input)
	u, err := url.Parse("https://" + raw)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("invalid repo URL passed to publisher, got %s", raw)
	}
	host := strings.ToLower(u.Host)
	host = strings.TrimSuffix(host, ":443")
	typ := ""
	for _, in := range integrations {
		if in.Host == host {
			typ = in.Type
			break
		}
	}
	if typ == "" {
		return nil, fmt.Errorf("no matching integration configuration for host %s, please check your integrations config", host)
	}
	params := parseSearchParams(u.RawQuery)
	get := func(name string) any {
		for _, p := range params {
			if p[0] == name {
				return strings.Trim(p[1], "/")
			}
		}
		return Undefined
	}
	require := func(names ...string) error {
		for _, name := range names {
			if v := get(name); v == Undefined || rawParam(params, name) == "" {
				return fmt.Errorf("invalid repo URL passed to publisher: https://%s, missing %s", raw, name)
			}
		}
		return nil
	}
	switch typ {
	case "bitbucketCloud":
		err = require("workspace", "project", "repo")
	case "bitbucketServer", "azure":
		err = require("project", "repo")
	case "gitlab":
		if get("project") == Undefined {
			err = require("owner", "repo")
		}
	case "gitea", "gerrit", "local":
		// local is Callboard's own: a repository in a folder here, no owner.
		err = require("repo")
	default:
		err = require("repo", "owner")
	}
	if err != nil {
		return nil, err
	}
	o := NewObject()
	o.Set("host", host)
	for _, k := range []string{"owner", "repo", "organization", "workspace", "project"} {
		o.Set(k, get(k))
	}
	return o, nil
}

func rawParam(params [][2]string, name string) string {
	for _, p := range params {
		if p[0] == name {
			return p[1]
		}
	}
	return ""
}

// parseSearchParams reads a query as URLSearchParams does: '+' is a space,
// bad percent escapes stay as written.
func parseSearchParams(q string) [][2]string {
	var out [][2]string
	for _, part := range strings.Split(q, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		out = append(out, [2]string{formDecode(k), formDecode(v)})
	}
	return out
}

func formDecode(s string) string {
	s = strings.ReplaceAll(s, "+", " ")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1:i+3]) {
			n := jsnum.DigitValue(s[i+1])*16 + jsnum.DigitValue(s[i+2])
			b.WriteByte(byte(n))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return strings.ToValidUTF8(b.String(), "\uFFFD")
}

// parseEntityRef is @backstage/catalog-model's parseEntityRef(ref, context).
func parseEntityRef(input any, args ...any) (any, error) {
	if !truthy(mustFromGo(input)) {
		return nil, fmt.Errorf("entity reference must not be empty")
	}
	var defaultKind, defaultNamespace any = Undefined, "default"
	if len(args) > 0 {
		if ctx, ok := args[0].(*Object); ok {
			defaultKind = ctx.get("defaultKind")
			if ns := ctx.get("defaultNamespace"); truthy(mustFromGo(ns)) {
				defaultNamespace = ns
			}
		}
	}
	var kind, namespace, name any
	textual, _ := jsonStringify(mustFromGo(input), "")
	if ref, ok := input.(string); ok {
		colon := strings.Index(ref, ":")
		slash := strings.Index(ref, "/")
		if slash != -1 && slash < colon {
			colon = -1
		}
		kind, namespace = Undefined, Undefined
		if colon != -1 {
			kind = ref[:colon]
		}
		if slash != -1 {
			namespace = ref[colon+1 : slash]
		}
		name = ref[max(colon+1, slash+1):]
		if kind == "" || namespace == "" || name == "" {
			return nil, fmt.Errorf("entity reference %q was not on the form [<kind>:][<namespace>/]<name>", ref)
		}
	} else {
		o, _ := input.(*Object)
		if o == nil {
			o = NewObject()
		}
		kind, namespace, name = o.get("kind"), o.get("namespace"), o.get("name")
	}
	if isNullish(kind) {
		kind = defaultKind
	}
	if isNullish(namespace) {
		namespace = defaultNamespace
	}
	switch {
	case !truthy(mustFromGo(kind)):
		return nil, fmt.Errorf("entity reference %s had missing or empty kind (e.g. did not start with \"component:\" or similar)", textual)
	case !truthy(mustFromGo(namespace)):
		return nil, fmt.Errorf("entity reference %s had missing or empty namespace", textual)
	case !truthy(mustFromGo(name)):
		return nil, fmt.Errorf("entity reference %s had missing or empty name", textual)
	}
	o := NewObject()
	o.Set("kind", kind)
	o.Set("namespace", namespace)
	o.Set("name", name)
	return o, nil
}

func mustFromGo(v any) any {
	c, err := fromGo(v, 0)
	if err != nil {
		return Undefined
	}
	return c
}

// pick is lodash's get(object, path, defaultValue).
func pick(input any, args ...any) (any, error) {
	var path []string
	switch p := arg(args, 0).(type) {
	case []any:
		for _, seg := range p {
			path = append(path, jsString(seg))
		}
	case string:
		if isLodashKey(p, input) {
			path = []string{p}
		} else {
			path = lodashPath(p)
		}
	default:
		path = []string{jsString(p)}
	}
	v := input
	i := 0
	for ; i < len(path) && !isNullish(v); i++ {
		v = publicMember(v, path[i])
	}
	if i == 0 || i < len(path) || v == Undefined {
		return arg(args, 1), nil
	}
	return v, nil
}

// publicMember is JavaScript's property read on a public value.
func publicMember(v any, key string) any {
	switch v := v.(type) {
	case *Object:
		return v.get(key)
	case []any:
		if key == "length" {
			return float64(len(v))
		}
		if i, ok := arrayIndex(key); ok && i < len(v) {
			return v[i]
		}
	case string:
		own, _ := readOwn(v, key)
		return own
	}
	return Undefined
}

// isLodashKey is lodash's isKey: a plain property name, or one the object
// has as is, is not split into a path.
func isLodashKey(p string, obj any) bool {
	plain := true
	for i := 0; i < len(p); i++ {
		if !isIdentPart(p[i]) {
			plain = false
			break
		}
	}
	if plain || (!strings.ContainsAny(p, ".[")) {
		return true
	}
	if o, ok := obj.(*Object); ok && o.has(p) {
		return true
	}
	return false
}

// lodashPath is lodash's stringToPath: `a.b[0]["c"]` → a, b, 0, c.
func lodashPath(s string) []string {
	var out []string
	if strings.HasPrefix(s, ".") {
		out = append(out, "")
	}
	i := 0
	for i < len(s) {
		switch s[i] {
		case '.':
			i++
			if i == len(s) || s[i] == '.' {
				out = append(out, "")
			}
		case '[':
			end := i + 1
			if end < len(s) && (s[end] == '"' || s[end] == '\'') {
				q := s[end]
				var b strings.Builder
				j := end + 1
				for j < len(s) && s[j] != q {
					if s[j] == '\\' && j+1 < len(s) {
						j++
					}
					b.WriteByte(s[j])
					j++
				}
				if j+1 < len(s) && s[j+1] == ']' {
					out = append(out, b.String())
					i = j + 2
					continue
				}
			}
			close := strings.IndexByte(s[i:], ']')
			if close < 0 {
				out = append(out, s[i:])
				i = len(s)
				continue
			}
			out = append(out, strings.TrimSpace(s[i+1:i+close]))
			i += close + 1
		default:
			j := i
			for j < len(s) && s[j] != '.' && s[j] != '[' {
				j++
			}
			out = append(out, s[i:j])
			i = j
		}
	}
	return out
}
