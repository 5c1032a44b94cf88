package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"gopkg.in/yaml.v3"

	"github.com/callboard/callboard/app/portal"
)

// catalog export: every catalog file the discovered organisations'
// repositories hold, copied with where it came from into one git
// repository that laptops register as a single location (issue 19, "When
// a team outgrows one laptop").

// Annotations written on every exported entity.
const (
	// annotationSource is Backstage's: where the entity's source lives.
	annotationSource = "backstage.io/source-location"
	// annotationExportedFrom names the repository and file the entity was
	// exported from: "<clone URL>#<path>".
	annotationExportedFrom = "callboard.dev/exported-from"
)

// Bounds on what one export reads: the files come from repositories the
// user does not control.
const (
	maxExportFilesPerRepo = 200
	maxExportFileSize     = 4 << 20
)

// exportLocation is the name of the root Location entity of an export.
const exportLocation = "callboard-export"

// exportAPI is what an export reads of the portal.
type exportAPI interface {
	ListLocations(ctx context.Context) ([]portal.Location, error)
	OrgRepos(ctx context.Context, id string) ([]portal.OrgRepo, error)
	ReadFile(ctx context.Context, locationID, path string) (portal.CatalogFile, error)
}

// export is the files of one export: path in the export repository →
// content, the roots the root Location lists, and the folders it owns.
type export struct {
	files map[string][]byte
	roots []string
	owned []string // one folder per organisation: what a new export replaces
	repos int
	warn  []string
}

func (r *runner) catalogExport(ctx context.Context, args []string) error {
	fs := r.flags("catalog export")
	dir := fs.String("git", "", "the git repository to write (created when missing)")
	org := fs.String("org", "", "only this organisation's location id (default: every discovered organisation)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *dir == "" {
		return usagef("catalog export: --git DIR is required")
	}
	conn, err := r.open(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	ex, err := collectExport(ctx, conn.api, *org)
	if err != nil {
		return err
	}
	for _, w := range ex.warn {
		fmt.Fprintln(r.env.Stderr, "callboard: "+w)
	}
	commit, err := ex.write(*dir, time.Now())
	if err != nil {
		return err
	}
	if r.json {
		return r.printJSON(map[string]any{"dir": *dir, "files": len(ex.files), "repositories": ex.repos, "commit": commit})
	}
	if commit == "" {
		fmt.Fprintf(r.env.Stdout, "%s is up to date: %d catalog files of %d repositories\n", *dir, len(ex.files), ex.repos)
		return nil
	}
	fmt.Fprintf(r.env.Stdout, "exported %d catalog files of %d repositories to %s: commit %s\n", len(ex.files), ex.repos, *dir, commit[:12])
	return nil
}

// collectExport reads the catalog files of every discovered
// organisation's repositories (only, when onlyOrg is set, that one's)
// from their locations.
func collectExport(ctx context.Context, api exportAPI, onlyOrg string) (*export, error) {
	locs, err := api.ListLocations(ctx)
	if err != nil {
		return nil, err
	}
	ex := &export{files: map[string][]byte{}}
	found := false
	for _, l := range locs {
		if l.Org == nil || onlyOrg != "" && l.ID != onlyOrg {
			continue
		}
		found = true
		repos, err := api.OrgRepos(ctx, l.ID)
		if err != nil {
			return nil, fmt.Errorf("export %s: %w", l.URL, err)
		}
		owner := l.Org.Owner
		ex.owned = append(ex.owned, owner)
		for _, repo := range repos {
			// Under the organisation's folder as the user spelled it: the
			// forge's spelling may differ in case.
			rest, ok := cutPrefixFold(repo.FullName, owner+"/")
			if repo.LocationID == "" || len(repo.Files) == 0 || !ok || !cleanExportPath(owner+"/"+rest) {
				continue
			}
			if err := ex.addRepo(ctx, api, l.Org.Forge, owner+"/"+rest, repo); err != nil {
				return nil, err
			}
		}
	}
	switch {
	case onlyOrg != "" && !found:
		return nil, usagef("catalog export: no discovered organisation has location id %q", onlyOrg)
	case !found:
		return nil, usagef("catalog export: no discovered organisation to export; add one with callboard location add ORG-URL --discover")
	}
	slices.Sort(ex.roots)
	return ex, nil
}

// addRepo exports one repository's catalog files and the files their
// Location entities name relative to them.
func (ex *export) addRepo(ctx context.Context, api exportAPI, forge, folder string, repo portal.OrgRepo) error {
	ex.repos++
	queue := slices.Clone(repo.Files)
	seen := map[string]bool{}
	for len(queue) > 0 && len(seen) < maxExportFilesPerRepo {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		f, err := api.ReadFile(ctx, repo.LocationID, p)
		if err != nil {
			return fmt.Errorf("export %s of %s: %w", p, repo.FullName, err)
		}
		if !f.Exists || len(f.Content) > maxExportFileSize {
			ex.warn = append(ex.warn, fmt.Sprintf("%s of %s: missing or over %d MiB, not exported", p, repo.FullName, maxExportFileSize>>20))
			continue
		}
		data, targets, err := annotate([]byte(f.Content), [][2]string{
			{annotationSource, sourceLocation(forge, repo, p)},
			{annotationExportedFrom, repo.URL + "#" + p},
		})
		if err != nil {
			ex.warn = append(ex.warn, fmt.Sprintf("%s of %s: %v; not exported", p, repo.FullName, err))
			continue
		}
		ex.files[folder+"/"+p] = data
		if slices.Contains(repo.Files, p) {
			ex.roots = append(ex.roots, folder+"/"+p)
		}
		for _, t := range targets {
			if next := path.Join(path.Dir(p), t); cleanExportPath(next) {
				queue = append(queue, next)
			}
		}
	}
	return nil
}

// sourceLocation is Backstage's source-location of a file's folder on
// the forge's web UI.
func sourceLocation(forge string, repo portal.OrgRepo, file string) string {
	tree := "/tree/"
	if forge == "gitlab" {
		tree = "/-/tree/"
	}
	dir := path.Dir(file)
	if dir == "." {
		dir = ""
	} else {
		dir += "/"
	}
	return "url:" + strings.TrimSuffix(repo.WebURL, "/") + tree + repo.Branch + "/" + dir
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return "", false
	}
	return s[len(prefix):], true
}

// cleanExportPath says whether p is a relative slash path staying below
// the export's root.
func cleanExportPath(p string) bool {
	return p != "" && path.Clean(p) == p && !path.IsAbs(p) && p != "." && !strings.HasPrefix(p, "../") && p != ".." &&
		!strings.HasPrefix(p, ".git/") && !strings.Contains(p, "\\")
}

// annotate sets annotations on every entity document of a YAML file and
// returns the file, and the relative targets its Location entities name.
// Documents that are not mappings are left out.
func annotate(data []byte, annotations [][2]string) ([]byte, []string, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	var targets []string
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read YAML: %w", err)
		}
		if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
			continue
		}
		root := doc.Content[0]
		md := mapping(root, "metadata")
		if md == nil {
			continue
		}
		ann := mapping(md, "annotations")
		for _, a := range annotations {
			setScalar(ann, a[0], a[1])
		}
		if k := value(root, "kind"); k != nil && strings.EqualFold(k.Value, "location") {
			targets = append(targets, relativeTargets(value(root, "spec"))...)
		}
		if err := enc.Encode(&doc); err != nil {
			return nil, nil, fmt.Errorf("write YAML: %w", err)
		}
	}
	if err := enc.Close(); err != nil {
		return nil, nil, fmt.Errorf("write YAML: %w", err)
	}
	return buf.Bytes(), targets, nil
}

// value is the value of key in mapping m, nil when absent.
func value(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// mapping is the mapping at key of m, made when absent or empty; nil
// when key holds something else.
func mapping(m *yaml.Node, key string) *yaml.Node {
	v := value(m, key)
	switch {
	case v == nil:
		v = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
	case v.Kind == yaml.ScalarNode && (v.Tag == "!!null" || v.Value == ""):
		*v = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	case v.Kind != yaml.MappingNode:
		return nil
	}
	return v
}

func setScalar(m *yaml.Node, key, val string) {
	if m == nil {
		return
	}
	if v := value(m, key); v != nil {
		*v = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: val}
		return
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key},
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: val})
}

// relativeTargets are the targets of a Location's spec that name files
// of the same repository: no scheme, no glob.
func relativeTargets(spec *yaml.Node) []string {
	var out []string
	add := func(n *yaml.Node) {
		if n != nil && n.Kind == yaml.ScalarNode && !strings.Contains(n.Value, "://") && !strings.ContainsAny(n.Value, "*?[") {
			out = append(out, strings.TrimPrefix(n.Value, "./"))
		}
	}
	add(value(spec, "target"))
	if ts := value(spec, "targets"); ts != nil && ts.Kind == yaml.SequenceNode {
		for _, t := range ts.Content {
			add(t)
		}
	}
	return out
}

// rootLocation is the export's catalog-info.yaml: a Location listing
// every repository's catalog files.
func (ex *export) rootLocation() []byte {
	var b strings.Builder
	b.WriteString("# Written by callboard catalog export: register this repository as one location.\n")
	b.WriteString("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: " + exportLocation + "\n")
	b.WriteString("  description: Catalog files of the organisations' repositories, each annotated with where it came from\nspec:\n  type: url\n  targets:")
	if len(ex.roots) == 0 {
		b.WriteString(" []")
	}
	b.WriteString("\n")
	for _, r := range ex.roots {
		fmt.Fprintf(&b, "    - ./%s\n", r)
	}
	return []byte(b.String())
}

// write makes the git repository at dir hold the export: its folders
// replaced, the root Location rewritten, one commit when anything
// changed. It returns the commit, "" when nothing did. Other files of the
// repository (a CI workflow, a README) are left alone.
func (ex *export) write(dir string, now time.Time) (string, error) {
	repo, err := git.PlainOpen(dir)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", fmt.Errorf("export to %s: %w", dir, err)
		}
		repo, err = git.PlainInitWithOptions(dir, &git.PlainInitOptions{InitOptions: git.InitOptions{DefaultBranch: plumbing.Main}})
	}
	if err != nil {
		return "", fmt.Errorf("export to %s: %w", dir, err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return "", fmt.Errorf("export to %s: %w", dir, err)
	}
	for _, o := range ex.owned {
		if !cleanExportPath(o) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, filepath.FromSlash(o))); err != nil {
			return "", fmt.Errorf("export to %s: %w", dir, err)
		}
	}
	files := map[string][]byte{"catalog-info.yaml": ex.rootLocation()}
	for p, data := range ex.files {
		files[p] = data
	}
	for p, data := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return "", fmt.Errorf("export to %s: %w", dir, err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			return "", fmt.Errorf("export to %s: %w", dir, err)
		}
	}
	status, err := wt.Status()
	if err != nil {
		return "", fmt.Errorf("export to %s: %w", dir, err)
	}
	changed := false
	for p, s := range status {
		owned := p == "catalog-info.yaml" || slices.ContainsFunc(ex.owned, func(o string) bool { return strings.HasPrefix(p, o+"/") })
		if !owned || s.Worktree == git.Unmodified {
			continue
		}
		changed = true
		if s.Worktree == git.Deleted {
			_, err = wt.Remove(p)
		} else {
			_, err = wt.Add(p)
		}
		if err != nil {
			return "", fmt.Errorf("export to %s: stage %s: %w", dir, p, err)
		}
	}
	if !changed {
		return "", nil
	}
	sig := exportSignature(repo, now)
	h, err := wt.Commit(fmt.Sprintf("Export %d catalog files of %d repositories", len(ex.files), ex.repos),
		&git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		return "", fmt.Errorf("export to %s: commit: %w", dir, err)
	}
	return h.String(), nil
}

// exportSignature is git's configured identity (a CI job sets one), else
// Callboard's.
func exportSignature(repo *git.Repository, now time.Time) *object.Signature {
	sig := &object.Signature{Name: "Callboard export", Email: "callboard-export@localhost", When: now}
	if cfg, err := repo.ConfigScoped(config.GlobalScope); err == nil && cfg.User.Email != "" {
		sig.Email = cfg.User.Email
		if cfg.User.Name != "" {
			sig.Name = cfg.User.Name
		}
	}
	return sig
}
