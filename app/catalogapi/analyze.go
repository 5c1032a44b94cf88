package catalogapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/callboard/callboard/app/catalogquery"
	"github.com/callboard/callboard/sync/remote"
)

// locationSpec is a location as Backstage's analyzer answers it.
type locationSpec struct {
	Type   string `json:"type"`
	Target string `json:"target"`
}

// existingEntity is a catalog file's entity the analyzer found.
type existingEntity struct {
	Location     locationSpec   `json:"location"`
	IsRegistered bool           `json:"isRegistered"`
	Entity       map[string]any `json:"entity"`
}

// generatedEntity is an entity the analyzer proposes, with the fields
// it wants the user to fill (Backstage's RepoLocationAnalyzer asks for
// none).
type generatedEntity struct {
	Entity map[string]any `json:"entity"`
	Fields []any          `json:"fields"`
}

// analysis is the answer of POST /analyze-location.
type analysis struct {
	ExistingEntityFiles []existingEntity  `json:"existingEntityFiles"`
	GenerateEntities    []generatedEntity `json:"generateEntities"`
}

// defaultCatalogFile is the file name Backstage's analyzers look for.
const defaultCatalogFile = "catalog-info.yaml"

// maxExisting bounds the entities one analysis answers.
const maxExisting = 1000

// managedBy is the index key of the annotation naming an entity's file.
const managedBy = "metadata.annotations.backstage.io/managed-by-location"

// analyzeLocation answers POST /analyze-location as Backstage's
// RepoLocationAnalyzer does, with the catalog Callboard holds standing in
// for the SCM analyzers a Backstage backend may add (its GitHub module
// searches the repository for catalog files): when entities of catalog
// files named catalogFilename in the target's repository (at the
// target's ref, if it names one) are in the store, they are answered as
// existing, registered; else, with Repos, the repository is read and its
// catalog files answered as existing, not registered (remoteFiles);
// otherwise a Component named after the repository is proposed, as
// Backstage proposes it.
func (h *Handler) analyzeLocation(w http.ResponseWriter, r *http.Request) {
	// Backstage analyses a location of any type by its target.
	target, file, err := analyzeRequest(r.Body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	u, err := url.Parse(target)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		h.fail(w, r, inputError("The given location.target is not a URL"))
		return
	}
	v, err := h.View(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := analysis{ExistingEntityFiles: []existingEntity{}, GenerateEntities: []generatedEntity{}}
	if t, err := remote.Parse(target); err == nil && t.Forge != remote.Plain && t.Repo != "" {
		if out.ExistingEntityFiles, err = h.existingFiles(r, v, t, file); err != nil {
			h.fail(w, r, err)
			return
		}
		if len(out.ExistingEntityFiles) == 0 && h.repos != nil {
			// A repository not held is read as Backstage's SCM analyzers
			// read it; one that cannot be read gets the proposal, as a
			// Backstage without such an analyzer answers.
			found, err := h.remoteFiles(r.Context(), t, file)
			if err != nil {
				h.log.Info("analyze a repository not held", "url", target, "err", err)
			} else {
				out.ExistingEntityFiles = found
			}
		}
	}
	if len(out.ExistingEntityFiles) == 0 {
		out.GenerateEntities = []generatedEntity{{Entity: proposedEntity(u), Fields: []any{}}}
	}
	writeJSON(w, http.StatusOK, out)
}

// analyzeRequest reads the body of POST /analyze-location with the
// messages of Backstage's request validator (its OpenAPI schema, then
// its zod schema, which names the file catalogFilename).
func analyzeRequest(body io.Reader) (target, file string, err error) {
	var in map[string]json.RawMessage
	if err := json.NewDecoder(io.LimitReader(body, 64<<10)).Decode(&in); err != nil || in == nil {
		return "", "", inputError("request/body must be object")
	}
	raw, ok := in["location"]
	if !ok {
		return "", "", inputError("request/body must have required property 'location'")
	}
	if f, ok := in["catalogFileName"]; ok && jsonType(f) != "string" {
		return "", "", inputError("request/body/catalogFileName must be string")
	}
	var loc map[string]json.RawMessage
	if jsonType(raw) != "object" || json.Unmarshal(raw, &loc) != nil {
		return "", "", inputError("request/body/location must be object")
	}
	for _, k := range []string{"type", "target"} {
		if _, ok := loc[k]; !ok {
			return "", "", inputError("request/body/location must have required property '%s'", k)
		}
	}
	for k := range loc {
		if k != "type" && k != "target" {
			return "", "", inputError("request/body/location must NOT have additional properties")
		}
	}
	for _, k := range []string{"type", "target"} {
		if jsonType(loc[k]) != "string" {
			return "", "", inputError("request/body/location/%s must be string", k)
		}
	}
	_ = json.Unmarshal(loc["target"], &target)
	file = defaultCatalogFile
	if f, ok := in["catalogFilename"]; ok {
		if got := jsonType(f); got != "string" {
			return "", "", inputError("Malformed request: %s", zodTypeError("catalogFilename", "string", got))
		}
		_ = json.Unmarshal(f, &file)
	}
	return target, file, nil
}

// jsonType is the type of a JSON value as zod names what it received.
func jsonType(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "undefined"
	}
	switch raw[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// zodTypeError is how zod (v3) writes one invalid_type issue in the
// message of its error.
func zodTypeError(field, expected, received string) string {
	type issue struct {
		Code     string   `json:"code"`
		Expected string   `json:"expected"`
		Received string   `json:"received"`
		Path     []string `json:"path"`
		Message  string   `json:"message"`
	}
	b, _ := json.MarshalIndent([]issue{{"invalid_type", expected, received, []string{field}, "Expected " + expected + ", received " + received}}, "", "  ")
	return string(b)
}

// existingFiles lists the entities of the store whose file, named file,
// is in t's repository, at t's ref when it names one, in the order of
// their files and refs; an entity's file is its managed-by-location
// annotation, which the index holds.
func (h *Handler) existingFiles(r *http.Request, v *catalogquery.View, t remote.Target, file string) ([]existingEntity, error) {
	all := v.Match(catalogquery.Query{Filter: &catalogquery.Filter{AnyOf: [][]catalogquery.Condition{{{Key: managedBy}}}}})
	var targets []string
	prefix := strings.ToLower("url:" + t.Scheme + "://" + t.Host + "/" + t.Repo + "/")
	for _, fc := range all.Facet(managedBy) {
		if !strings.HasPrefix(strings.ToLower(fc.Value), prefix) {
			continue
		}
		ft, err := remote.Parse(strings.TrimPrefix(fc.Value, "url:"))
		if err != nil || ft.Host != t.Host || !strings.EqualFold(ft.Repo, t.Repo) || path.Base(ft.Path) != file || (t.Ref != "" && ft.Ref != t.Ref) {
			continue
		}
		targets = append(targets, fc.Value)
	}
	slices.Sort(targets)
	out := []existingEntity{}
	for _, target := range targets {
		m := v.Match(catalogquery.Query{Filter: &catalogquery.Filter{AnyOf: [][]catalogquery.Condition{{{Key: managedBy, Values: []string{strings.ToLower(target)}}}}}})
		for _, hit := range m.Entities(nil, 0, maxExisting-len(out)) {
			e, found, err := h.document(r.Context(), hit)
			if err != nil {
				return nil, err
			}
			if found {
				out = append(out, existingEntity{Location: locationSpec{Type: "url", Target: strings.TrimPrefix(target, "url:")}, IsRegistered: true, Entity: e})
			}
		}
		if len(out) >= maxExisting {
			break
		}
	}
	return out, nil
}

// proposedEntity is the Component Backstage's RepoLocationAnalyzer
// proposes for a repository it finds no catalog file in: named after the
// repository, of type other and lifecycle unknown, with no owner, and a
// project-slug annotation for the hosts Backstage has an integration for
// without configuration.
func proposedEntity(u *url.URL) map[string]any {
	owner, name := repoName(u)
	md := map[string]any{"name": name}
	prefix := map[string]string{"github.com": "github.com", "gitlab.com": "gitlab.com", "dev.azure.com": "dev.azure.com"}[u.Host]
	if prefix != "" {
		md["annotations"] = map[string]string{prefix + "/project-slug": owner + "/" + name}
	}
	return map[string]any{
		"apiVersion": "backstage.io/v1alpha1",
		"kind":       "Component",
		"metadata":   md,
		"spec":       map[string]string{"type": "other", "lifecycle": "unknown"},
	}
}

// repoName is the owner and name git-url-parse reads from a repository
// URL: the repository of a forge's URL forms (Azure's project as its
// owner), else the URL's last two path segments.
func repoName(u *url.URL) (owner, name string) {
	if t, err := remote.Parse(u.String()); err == nil && t.Repo != "" {
		segs := strings.Split(t.Repo, "/")
		if t.Forge == remote.Azure && len(segs) == 4 {
			return segs[1], segs[3]
		}
		return strings.Join(segs[:len(segs)-1], "/"), segs[len(segs)-1]
	}
	segs := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
	if len(segs) == 0 {
		return "", ""
	}
	name = strings.TrimSuffix(segs[len(segs)-1], ".git")
	if len(segs) > 1 {
		owner = segs[len(segs)-2]
	}
	return owner, name
}
