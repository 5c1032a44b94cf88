package portal

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callboard/callboard/app/catalog"
	"github.com/callboard/callboard/plugins/gitinsights"
)

// maxNameLen is the longest metadata.name Backstage accepts.
const maxNameLen = 63

// codeownersPaths are where GitHub and GitLab look for CODEOWNERS, in
// their order.
var codeownersPaths = []string{".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"}

// serviceLanguages are the languages whose repositories are guessed to
// be services: mostly what back ends are written in. The guess is cheap
// to correct in the YAML shown; it only has to be a fair start.
var serviceLanguages = []string{"Go", "Java", "Kotlin", "Scala", "C#", "F#", "Rust", "Ruby", "PHP", "Python", "Elixir", "Erlang", "Clojure", "Groovy"}

// webFrameworks are package.json dependencies that make a JavaScript or
// TypeScript repository a website.
var webFrameworks = []string{`"react"`, `"react-dom"`, `"vue"`, `"next"`, `"nuxt"`, `"@angular/core"`, `"svelte"`, `"@sveltejs/kit"`, `"gatsby"`, `"astro"`, `"solid-js"`}

// generatedComponent is the document a generated catalog file holds, in
// the order Backstage's examples write it.
type generatedComponent struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name        string            `yaml:"name"`
		Annotations map[string]string `yaml:"annotations,omitempty"`
	} `yaml:"metadata"`
	Spec struct {
		Type      string `yaml:"type"`
		Lifecycle string `yaml:"lifecycle"`
		Owner     string `yaml:"owner"`
	} `yaml:"spec"`
}

// generateComponent writes a Component for the repository at rawURL
// whose files are files: named after the repository, owned as CODEOWNERS
// says (else by the user's team or the user), typed by its main language.
func generateComponent(rawURL string, files catalog.Files, ident Identity) (GeneratedEntity, error) {
	names, err := files.List()
	if err != nil {
		return GeneratedEntity{}, fmt.Errorf("list the repository's files: %w", err)
	}
	g := GeneratedEntity{Path: catalogFileNames[0], Name: entityName(repoName(rawURL))}
	g.Owner, g.OwnerSource = ownerOf(files, ident)
	g.Language = mainLanguage(names)
	g.Type = componentType(g.Language, files)
	var c generatedComponent
	c.APIVersion, c.Kind = "backstage.io/v1alpha1", "Component"
	c.Metadata.Name = g.Name
	c.Metadata.Annotations = map[string]string{}
	if slug, key := projectSlug(rawURL); slug != "" {
		c.Metadata.Annotations[key] = slug
	}
	if _, err := files.Size("mkdocs.yml"); err == nil {
		c.Metadata.Annotations["backstage.io/techdocs-ref"] = "dir:."
	}
	c.Spec.Type, c.Spec.Lifecycle, c.Spec.Owner = g.Type, "experimental", g.Owner
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return GeneratedEntity{}, fmt.Errorf("write the generated component: %w", err)
	}
	g.YAML = buf.String()
	return g, nil
}

// repoName is the last segment of a repository URL, scp-like address or
// folder, without .git.
func repoName(rawURL string) string {
	s := strings.TrimRight(rawURL, "/\\")
	if i := strings.LastIndexAny(s, "/\\:"); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimSuffix(s, ".git")
}

// entityName makes s a valid Backstage metadata.name: lower case,
// alphanumeric runs joined by one '-', '_' or '.' (the first of a run of
// them; any other character counts as '-'), at most 63 characters;
// "component" when nothing is left.
func entityName(s string) string { return cmp.Or(sanitizeName(s), "component") }

// sanitizeName is entityName, "" when nothing is left.
func sanitizeName(s string) string {
	var b strings.Builder
	var sep rune
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if sep != 0 && b.Len() > 0 {
				if b.Len()+2 > maxNameLen {
					return b.String()
				}
				b.WriteRune(sep)
			}
			sep = 0
			b.WriteRune(r)
			if b.Len() == maxNameLen {
				return b.String()
			}
		case sep != 0:
		case r == '_' || r == '.' || r == '-':
			sep = r
		default:
			sep = '-'
		}
	}
	return b.String()
}

// ownerOf is the first owner of CODEOWNERS' last rule for every file
// ("*"), as a ref: @org/team a group, @user a user. Without one it is
// the user's first team, else the user; "user:guest" when neither is known.
func ownerOf(files catalog.Files, ident Identity) (ref, source string) {
	for _, p := range codeownersPaths {
		data, err := catalog.ReadLimited(files, p)
		if err != nil {
			continue
		}
		if owner := catchAllOwner(data); owner != "" {
			return owner, "codeowners"
		}
	}
	if len(ident.Groups) > 0 {
		return ident.Groups[0], "identity"
	}
	if ident.UserRef != "" {
		return ident.UserRef, "identity"
	}
	return "user:guest", "none"
}

// catchAllOwner reads CODEOWNERS: the last "*" rule wins, as on GitHub;
// its first owner that is a handle becomes a ref ("" when none is).
func catchAllOwner(data []byte) string {
	owner := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		// A "*" rule without owners leaves every file unowned.
		if len(fields) == 0 || fields[0] != "*" {
			continue
		}
		owner = ""
		for _, f := range fields[1:] {
			if ref := handleRef(f); ref != "" {
				owner = ref
				break
			}
		}
	}
	return owner
}

// handleRef maps a CODEOWNERS owner to an entity ref: @org/team is
// group:team, @user is user:user; e-mail addresses name no entity.
func handleRef(owner string) string {
	h, ok := strings.CutPrefix(owner, "@")
	if !ok || h == "" {
		return ""
	}
	kind := "user"
	if _, team, ok := strings.Cut(h, "/"); ok {
		kind, h = "group", team
	}
	if name := sanitizeName(h); name != "" {
		return kind + ":" + name
	}
	return ""
}

// mainLanguage is the language of the most files, as git-insights counts
// them (vendored and generated code left out); "" when none counts.
func mainLanguage(names []string) string {
	counts := map[string]int{}
	for i, n := range names {
		if i == peekFiles {
			break
		}
		if lang := gitinsights.LanguageOf(n); lang != "" {
			counts[lang]++
		}
	}
	langs := make([]string, 0, len(counts))
	for l := range counts {
		langs = append(langs, l)
	}
	// The most files first, ties by name, so the guess is stable.
	slices.SortFunc(langs, func(a, b string) int { return cmp.Or(counts[b]-counts[a], strings.Compare(a, b)) })
	if len(langs) == 0 {
		return ""
	}
	return langs[0]
}

// componentType guesses spec.type from the main language: service for
// back-end languages, website for JavaScript or TypeScript with a web
// framework in package.json, library for anything else.
func componentType(lang string, files catalog.Files) string {
	switch {
	case slices.Contains(serviceLanguages, lang):
		return "service"
	case lang == "JavaScript" || lang == "TypeScript" || lang == "Vue" || lang == "Svelte":
		if pkg, err := catalog.ReadLimited(files, "package.json"); err == nil {
			for _, f := range webFrameworks {
				if bytes.Contains(pkg, []byte(f)) {
					return "website"
				}
			}
		}
	}
	return "library"
}

// projectSlug is the owner/repo annotation Backstage's GitHub or GitLab
// plugins read, for a URL on github.com or a gitlab host; "" otherwise.
func projectSlug(rawURL string) (slug, key string) {
	var host, p string
	if u, err := url.Parse(rawURL); err == nil && u.Host != "" {
		host, p = u.Hostname(), u.Path
	} else if at, rest, ok := strings.Cut(rawURL, "@"); ok && !strings.Contains(at, "/") {
		host, p, _ = strings.Cut(rest, ":")
	} else {
		return "", ""
	}
	p = strings.TrimSuffix(strings.Trim(path.Clean("/"+p), "/"), ".git")
	if strings.Count(p, "/") < 1 {
		return "", ""
	}
	switch host = strings.ToLower(host); {
	case host == "github.com":
		return p, "github.com/project-slug"
	case host == "gitlab.com" || strings.HasPrefix(host, "gitlab."):
		return p, "gitlab.com/project-slug"
	}
	return "", ""
}
