package ci

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"gopkg.in/yaml.v3"

	"github.com/callboard/callboard/app/catalog"
)

// workflowsDir is where GitHub Actions looks for workflows; it reads the
// files directly in it, not in its subfolders.
const workflowsDir = ".github/workflows"

// maxWorkflowSize caps what is read of one workflow file.
const maxWorkflowSize = 1 << 20

// workflow is one workflow file as far as it could be read.
type workflow struct {
	// Path is the file's path in the repository.
	Path string
	// Name is the workflow's name, or its file name when it has none.
	Name     string
	Triggers []string
	// Jobs are the jobs' names, or their ids when they have none.
	Jobs []string
	// Problem says why GitHub would not run it, as "path:line: message"
	// when the line is known; "" when none was found.
	Problem string
}

// readWorkflows returns the workflows in the tree of commit ("" is HEAD) of
// the repository at repoPath, bare or not, sorted by path, and the commit's
// full hash. It looks up
// .github/workflows directly and reads nothing else of the tree. A
// repository without the folder has no workflows; a file that cannot be
// parsed is a workflow with its Problem set. The error is for a repository,
// commit or object that cannot be read.
func readWorkflows(ctx context.Context, repoPath, commit string) ([]workflow, string, error) {
	repo, err := git.PlainOpen(repoPath)
	if err != nil {
		return nil, "", fmt.Errorf("open %s: %w", repoPath, err)
	}
	c, err := commitObject(repo, commit)
	if err != nil {
		return nil, "", err
	}
	hash := c.Hash.String()
	root, err := c.Tree()
	if err != nil {
		return nil, hash, fmt.Errorf("tree of %s: %w", hash, err)
	}
	dir, err := root.Tree(workflowsDir)
	if errors.Is(err, object.ErrDirectoryNotFound) {
		return nil, hash, nil
	}
	if err != nil {
		return nil, hash, fmt.Errorf("%s at %s: %w", workflowsDir, hash, err)
	}
	var out []workflow
	for _, e := range dir.Entries {
		if err := ctx.Err(); err != nil {
			return nil, hash, err
		}
		ext := path.Ext(e.Name)
		if ext != ".yml" && ext != ".yaml" {
			continue
		}
		p := workflowsDir + "/" + e.Name
		switch e.Mode {
		case filemode.Regular, filemode.Executable, filemode.Deprecated:
		case filemode.Symlink:
			out = append(out, workflow{Path: p, Name: e.Name, Problem: p + ": a symbolic link, not read"})
			continue
		default:
			continue
		}
		data, err := readBlob(repo, e.Hash)
		if err != nil {
			out = append(out, workflow{Path: p, Name: e.Name, Problem: fmt.Sprintf("%s: %v", p, err)})
			continue
		}
		out = append(out, parseWorkflow(p, data))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, hash, nil
}

// commitObject resolves rev ("" is HEAD) to a commit.
func commitObject(repo *git.Repository, rev string) (*object.Commit, error) {
	var h plumbing.Hash
	switch {
	case rev == "":
		ref, err := repo.Head()
		if err != nil {
			return nil, fmt.Errorf("head: %w", err)
		}
		h = ref.Hash()
	case plumbing.IsHash(rev):
		h = plumbing.NewHash(rev)
	default:
		p, err := repo.ResolveRevision(plumbing.Revision(rev))
		if err != nil {
			return nil, fmt.Errorf("resolve %s: %w", rev, err)
		}
		h = *p
	}
	c, err := repo.CommitObject(h)
	if err != nil {
		return nil, fmt.Errorf("commit %s: %w", h, err)
	}
	return c, nil
}

func readBlob(repo *git.Repository, h plumbing.Hash) ([]byte, error) {
	blob, err := repo.BlobObject(h)
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", h, err)
	}
	if blob.Size > maxWorkflowSize {
		return nil, fmt.Errorf("%d bytes, larger than the %d read", blob.Size, maxWorkflowSize)
	}
	r, err := blob.Reader()
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", h, err)
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, maxWorkflowSize))
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", h, err)
	}
	return data, nil
}

// problem places an error reading a workflow's YAML, as "path:line:column:
// message" when the line is known.
func problem(p string, err error) string {
	var ye *catalog.YAMLError
	if !errors.As(err, &ye) || ye.Line == 0 {
		return p + ": " + err.Error()
	}
	msg := ye.Message
	if ye.Field != "" {
		msg = ye.Field + ": " + msg
	}
	if ye.Column == 0 {
		return fmt.Sprintf("%s:%d: %s", p, ye.Line, msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", p, ye.Line, ye.Column, msg)
}

// parseWorkflow reads a workflow file's name, triggers and jobs. It never
// fails: what is wrong with the file goes into Problem.
func parseWorkflow(p string, data []byte) workflow {
	w := workflow{Path: p, Name: path.Base(p)}
	// Read as the catalog reads YAML, within its budget: the triggers and
	// jobs copy what aliases stand for, so an alias bomb must stop here.
	var root *yaml.Node
	for doc, err := range catalog.ReadYAML(data) {
		if err == nil {
			root, err = doc.Node()
		}
		if err != nil {
			w.Problem = problem(p, err)
			return w
		}
		break // GitHub reads the first document
	}
	if root == nil {
		w.Problem = p + ": empty file"
		return w
	}
	root = deref(root)
	if root.Kind != yaml.MappingNode {
		w.Problem = fmt.Sprintf("%s:%d: the workflow is not a mapping", p, root.Line)
		return w
	}
	var onLine int
	var hasJobs bool
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], deref(root.Content[i+1])
		switch k.Value {
		case "name":
			if v.Kind == yaml.ScalarNode && v.Value != "" {
				w.Name = v.Value
			}
		case "on":
			onLine = k.Line
			w.Triggers = triggers(v)
		case "jobs":
			hasJobs = true
			w.Jobs = jobs(v)
		}
	}
	switch {
	case onLine == 0:
		w.Problem = p + ": no on: (the events that run it)"
	case len(w.Triggers) == 0:
		w.Problem = fmt.Sprintf("%s:%d: on: names no event", p, onLine)
	case !hasJobs:
		w.Problem = p + ": no jobs:"
	}
	return w
}

// triggers reads on: in its three forms: `push`, `[push, pull_request]` and
// a mapping of events to their filters. Branch filters and schedules are
// kept, as "push (main, release/*)" and "schedule (0 3 * * *)".
func triggers(n *yaml.Node) []string {
	var out []string
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Value != "" {
			out = append(out, n.Value)
		}
	case yaml.SequenceNode:
		for _, e := range n.Content {
			if e = deref(e); e.Kind == yaml.ScalarNode && e.Value != "" {
				out = append(out, e.Value)
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			event, filters := n.Content[i].Value, deref(n.Content[i+1])
			var detail []string
			switch event {
			case "schedule":
				for _, s := range filters.Content {
					if cron := scalarAt(deref(s), "cron"); cron != "" {
						detail = append(detail, cron)
					}
				}
			default:
				detail = scalars(valueAt(filters, "branches"))
			}
			if len(detail) > 0 {
				event += " (" + strings.Join(detail, ", ") + ")"
			}
			out = append(out, event)
		}
	}
	return out
}

// jobs returns the jobs' names in the file's order, or their ids when they
// have no name.
func jobs(n *yaml.Node) []string {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	var out []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		name := scalarAt(deref(n.Content[i+1]), "name")
		if name == "" {
			name = n.Content[i].Value
		}
		out = append(out, name)
	}
	return out
}

// deref follows an alias to what it names.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func indexOf(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

// valueAt is the value of key in mapping m, or nil.
func valueAt(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	if i := indexOf(m, key); i >= 0 {
		return deref(m.Content[i+1])
	}
	return nil
}

// scalarAt is the scalar value of key in mapping m, or "".
func scalarAt(m *yaml.Node, key string) string {
	if v := valueAt(m, key); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}

// scalars is a scalar or a list of scalars as a list.
func scalars(n *yaml.Node) []string {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		if n.Value == "" {
			return nil
		}
		return []string{n.Value}
	}
	var out []string
	for _, e := range n.Content {
		if e = deref(e); e.Kind == yaml.ScalarNode {
			out = append(out, e.Value)
		}
	}
	return out
}
