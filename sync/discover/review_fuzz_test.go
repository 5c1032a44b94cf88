package discover

import (
	"testing"

	"github.com/callboard/callboard/sync/remote"
)

// FuzzDecodePR checks that no answer a forge sends makes decode panic,
// and that a pull request it reads has one of the four states.
func FuzzDecodePR(f *testing.F) {
	for _, seed := range []string{
		`{"number":1,"state":"open","html_url":"https://github.com/a/b/pull/1","head":{"ref":"x","sha":"abc"}}`,
		`{"number":2,"state":"closed","merged":true,"merged_at":"2026-01-01T00:00:00Z"}`,
		`{"iid":3,"state":"opened","detailed_merge_status":"requested_changes","source_branch":"x","sha":"abc"}`,
		`{"iid":4,"state":"locked"}`,
		`{"number":"5"}`, `[]`, `null`, ``,
	} {
		f.Add([]byte(seed))
	}
	var reviews []*Reviews
	for _, fg := range []remote.Forge{remote.GitHub, remote.GitLab, remote.Gitea} {
		reviews = append(reviews, &Reviews{c: newClient(Source{Forge: fg, Scheme: "https", Host: "git.example", Owner: "a/b"}, Options{}), repo: "a/b"})
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, r := range reviews {
			pr, _, err := r.decode(data)
			if err != nil {
				continue
			}
			switch pr.State {
			case PROpen, PRChangesRequested, PRMerged, PRClosed:
			default:
				t.Errorf("%s: decode(%q) gave state %q", r.c.src.Forge, data, pr.State)
			}
		}
	})
}
