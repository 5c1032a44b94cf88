package gitfetch

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/storage/memory"
)

// ErrNoRef marks a ref the remote does not have: no branch or tag of that
// name, and not a commit it would give.
var ErrNoRef = errors.New("no such branch, tag or commit")

// shallowBranch is the branch a shallow copy keeps its one commit on.
const shallowBranch = "fetched"

// RemoteRef is what a remote's ref names: the ref as the remote spells
// it ("refs/heads/main", "refs/tags/v1", "HEAD"; "" for a commit asked for
// by id) and its commit.
type RemoteRef struct {
	Name, Commit string
}

// RemoteCommit asks url which commit ref names: a branch, else a tag
// (peeled to its commit), else HEAD when ref is "" or "HEAD". A ref that is
// neither but looks like a commit id is returned as it is, without a
// name, to be fetched by id. It is an error wrapping ErrNoRef when the
// remote has no such ref.
func RemoteCommit(ctx context.Context, url, ref string, auth transport.AuthMethod) (RemoteRef, error) {
	if err := CheckURL(url); err != nil {
		return RemoteRef{}, err
	}
	r := git.NewRemote(memory.NewStorage(), &config.RemoteConfig{Name: "origin", URLs: []string{url}})
	refs, err := r.ListContext(ctx, &git.ListOptions{Auth: auth, PeelingOption: git.AppendPeeled})
	if err != nil {
		return RemoteRef{}, fmt.Errorf("list the refs of %s: %w", url, explain(err, url))
	}
	byName := map[string]*plumbing.Reference{}
	for _, r := range refs {
		byName[r.Name().String()] = r
	}
	hashOf := func(name string) (string, bool) {
		r, ok := byName[name]
		for hops := 0; ok && r.Type() == plumbing.SymbolicReference && hops < 5; hops++ {
			r, ok = byName[r.Target().String()]
		}
		if !ok || r.Type() != plumbing.HashReference {
			return "", false
		}
		return r.Hash().String(), true
	}
	names := []string{"refs/heads/" + ref, "refs/tags/" + ref}
	if ref == "" || ref == "HEAD" {
		names = []string{"HEAD"}
	}
	for _, name := range names {
		// A tag's peeled entry names its commit; the tag itself may be an
		// annotated tag object.
		for _, n := range []string{name + "^{}", name} {
			if h, ok := hashOf(n); ok {
				return RemoteRef{Name: name, Commit: h}, nil
			}
		}
	}
	if IsCommitID(ref) {
		return RemoteRef{Commit: strings.ToLower(ref)}, nil
	}
	return RemoteRef{}, fmt.Errorf("%s: %w: %q", url, ErrNoRef, ref)
}

// IsCommitID says whether ref may be a commit id, whole or abbreviated.
func IsCommitID(ref string) bool {
	if len(ref) < 7 || len(ref) > 40 {
		return false
	}
	for _, c := range ref {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// FetchShallow makes dir (which must not exist) a bare repository holding
// the commit ref names at url and nothing older: a fetch of depth 1 of
// ref's name, or of its commit by id. When the server gives no commit by
// id (or the id is abbreviated), every branch and tag is fetched whole
// and the commit found among them. A failed fetch leaves no dir behind.
func FetchShallow(ctx context.Context, url string, ref RemoteRef, auth transport.AuthMethod, dir string) (Head, error) {
	if err := CheckURL(url); err != nil {
		return Head{}, err
	}
	h, err := fetchShallow(ctx, url, ref, auth, dir)
	if err != nil {
		_ = os.RemoveAll(dir)
		return Head{}, err
	}
	return h, nil
}

func fetchShallow(ctx context.Context, url string, ref RemoteRef, auth transport.AuthMethod, dir string) (Head, error) {
	repo, err := git.PlainInit(dir, true)
	if err != nil {
		return Head{}, fmt.Errorf("make %s: %w", dir, err)
	}
	if _, err := repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{url}}); err != nil {
		return Head{}, fmt.Errorf("make %s: %w", dir, err)
	}
	const want = "refs/callboard/want"
	rev := want
	switch {
	case ref.Name != "":
		err = repo.FetchContext(ctx, &git.FetchOptions{RemoteName: "origin", Auth: auth, Depth: 1, Tags: git.NoTags,
			RefSpecs: []config.RefSpec{config.RefSpec("+" + ref.Name + ":" + want)}})
	case len(ref.Commit) == 40:
		err = repo.FetchContext(ctx, &git.FetchOptions{RemoteName: "origin", Auth: auth, Depth: 1, Tags: git.NoTags,
			RefSpecs: []config.RefSpec{config.RefSpec(ref.Commit + ":" + want)}})
		rev = ref.Commit
	default:
		err = git.ErrExactSHA1NotSupported
		rev = ref.Commit
	}
	if ref.Name == "" && errors.Is(err, git.ErrExactSHA1NotSupported) {
		// Only a whole history holds a commit the server will not give by id.
		err = repo.FetchContext(ctx, &git.FetchOptions{RemoteName: "origin", Auth: auth, Tags: git.AllTags,
			RefSpecs: []config.RefSpec{"+refs/heads/*:refs/remotes/origin/*"}})
	}
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return Head{}, fmt.Errorf("fetch %s of %s: %w", cmp.Or(ref.Name, ref.Commit), url, explain(err, url))
	}
	hash, err := repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return Head{}, fmt.Errorf("fetch %s of %s: %w: %w", cmp.Or(ref.Name, ref.Commit), url, ErrNoRef, err)
	}
	c, err := peel(repo, *hash)
	if err != nil {
		return Head{}, fmt.Errorf("read %s of %s: %w", cmp.Or(ref.Name, ref.Commit), url, err)
	}
	branch := plumbing.NewBranchReferenceName(shallowBranch)
	for _, r := range []*plumbing.Reference{plumbing.NewHashReference(branch, c), plumbing.NewSymbolicReference(plumbing.HEAD, branch)} {
		if err := repo.Storer.SetReference(r); err != nil {
			return Head{}, fmt.Errorf("keep %s of %s: %w", cmp.Or(ref.Name, ref.Commit), url, err)
		}
	}
	_ = repo.Storer.RemoveReference(want)
	return Head{Branch: shallowBranch, Commit: c, repo: repo, dir: dir}, nil
}

// peel follows annotated tags to the commit they name.
func peel(repo *git.Repository, h plumbing.Hash) (plumbing.Hash, error) {
	for range 10 {
		tag, err := repo.TagObject(h)
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			_, err := repo.CommitObject(h)
			return h, err
		}
		if err != nil {
			return plumbing.ZeroHash, err
		}
		h = tag.Target
	}
	return plumbing.ZeroHash, fmt.Errorf("tag %s: tags nested too deep", h)
}

// OpenShallow opens a copy FetchShallow made, without the network.
func OpenShallow(dir string) (Head, error) { return Open(dir, shallowBranch) }
