package merge3

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMerge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name               string
		base, ours, theirs string
		want               string
		conflicts          int
	}{
		{"theirs only", "a\nb\nc\n", "a\nb\nc\n", "a\nB\nc\n", "a\nB\nc\n", 0},
		{"ours only", "a\nb\nc\n", "a\nb\nC\n", "a\nb\nc\n", "a\nb\nC\n", 0},
		{"apart", "a\nb\nc\nd\ne\nf\n", "A\nb\nc\nd\ne\nf\n", "a\nb\nc\nd\ne\nF\n", "A\nb\nc\nd\ne\nF\n", 0},
		{"same change", "a\nb\nc\n", "a\nX\nc\n", "a\nX\nc\n", "a\nX\nc\n", 0},
		{"conflict", "a\nb\nc\n", "a\nours\nc\n", "a\ntheirs\nc\n",
			"a\n<<<<<<< project\nours\n=======\ntheirs\n>>>>>>> template\nc\n", 1},
		{"no final newline", "a\nb", "a\nours", "a\ntheirs",
			"a\n<<<<<<< project\nours\n=======\ntheirs\n>>>>>>> template\n", 1},
		{"crlf", "a\r\nb\r\nc\r\n", "a\r\nours\r\nc\r\n", "a\r\ntheirs\r\nc\r\n",
			"a\r\n<<<<<<< project\r\nours\r\n=======\r\ntheirs\r\n>>>>>>> template\r\nc\r\n", 1},
		{"refined to the lines that differ", "x\n", "1\n2\nours\n3\n4\n5\n6\n", "1\n2\ntheirs\n3\n4\n5\n6\n",
			"1\n2\n<<<<<<< project\nours\n=======\ntheirs\n>>>>>>> template\n3\n4\n5\n6\n", 1},
		{"empty base", "", "a\n", "b\n", "<<<<<<< project\na\n=======\nb\n>>>>>>> template\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Merge([]byte(tt.base), []byte(tt.ours), []byte(tt.theirs), "project", "template")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got.Text)); diff != "" || got.Conflicts != tt.conflicts {
				t.Errorf("conflicts %d, want %d; text (-want +got):\n%s", got.Conflicts, tt.conflicts, diff)
			}
		})
	}
}

func TestMergeBinary(t *testing.T) {
	t.Parallel()
	if _, err := Merge([]byte("a\x00"), []byte("b"), []byte("c"), "", ""); !errors.Is(err, ErrBinary) {
		t.Fatalf("err %v, want ErrBinary", err)
	}
}

// gitMerge is `git merge-file -p` over the three texts, without the
// user's configuration, and its exit code: the number of conflicts, at
// most 127.
func gitMerge(t testing.TB, dir string, base, ours, theirs []byte) (string, int) {
	t.Helper()
	for name, data := range map[string][]byte{"base": base, "ours": ours, "theirs": theirs} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("git", "merge-file", "-p", "-L", "project", "-L", "base", "-L", "template", "ours", "base", "theirs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull, "HOME="+dir)
	var out bytes.Buffer
	cmd.Stdout = &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &exit) && exit.ExitCode() > 0 && exit.ExitCode() < 128:
		return out.String(), exit.ExitCode()
	}
	t.Fatalf("git merge-file: %v", err)
	return "", 0
}

// requireGit fails without git: it is part of every developer's and CI's
// machine, and these tests are the proof that Merge is git's merge.
func requireGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("these tests compare with git merge-file: %v", err)
	}
}

// mutate edits text the way a project or a template changes a file:
// lines replaced, removed and added, from a small vocabulary so that
// lines repeat and alignments are ambiguous.
func mutate(r *rand.Rand, ls []string, vocab []string) []string {
	var out []string
	rate := 1 + r.IntN(6)
	for _, l := range ls {
		switch r.IntN(12) {
		case 0:
			if r.IntN(rate) == 0 {
				continue
			}
		case 1:
			if r.IntN(rate) == 0 {
				out = append(out, vocab[r.IntN(len(vocab))])
				continue
			}
		case 2:
			if r.IntN(rate) == 0 {
				for range 1 + r.IntN(3) {
					out = append(out, vocab[r.IntN(len(vocab))])
				}
			}
		}
		out = append(out, l)
	}
	if r.IntN(8) == 0 {
		out = append(out, vocab[r.IntN(len(vocab))])
	}
	return out
}

// render joins lines, with CRLF or without a final line end now and then.
func render(r *rand.Rand, ls []string, crlf bool) []byte {
	eol := "\n"
	if crlf {
		eol = "\r\n"
	}
	s := strings.Join(ls, eol)
	if len(ls) > 0 && r.IntN(6) != 0 {
		s += eol
	}
	return []byte(s)
}

// triple makes a base and two changed versions of it.
func triple(r *rand.Rand) (base, ours, theirs []byte) {
	vocabs := [][]string{
		{"a", "b", "c", "d", "e", "f", "g"},
		{"}", "", "{", "x := 1", "return", "  }", "#"},
		{"foo", "foo", "foo", "bar", "", "baz", "qux", "1", "2", "3", "4", "5", "6", "7", "8", "9"},
	}
	vocab := vocabs[r.IntN(len(vocabs))]
	n := r.IntN(40)
	switch r.IntN(100) {
	case 0:
		// Past the search's cost limit (256 edits), where xdiff takes
		// its heuristics' way out.
		n = 3000 + r.IntN(3000)
		vocab = append(vocab[:len(vocab):len(vocab)], "h", "i", "j", "k", "l", "m", "n", "o", "p")
	case 1, 2, 3, 4, 5, 6, 7, 8:
		n = 200 + r.IntN(400)
	}
	b := make([]string, n)
	for i := range b {
		b[i] = vocab[r.IntN(len(vocab))]
	}
	crlf := r.IntN(10) == 0
	return render(r, b, crlf), render(r, mutate(r, b, vocab), crlf), render(r, mutate(r, b, vocab), crlf)
}

// TestMergeAgainstGit compares Merge with git merge-file on generated
// triples: the same text, the same number of conflicts.
func TestMergeAgainstGit(t *testing.T) {
	t.Parallel()
	requireGit(t)
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(24, 1))
	for i := range 1500 {
		base, ours, theirs := triple(r)
		want, wantN := gitMerge(t, dir, base, ours, theirs)
		got, err := Merge(base, ours, theirs, "project", "template")
		if err != nil {
			t.Fatal(err)
		}
		if string(got.Text) != want || min(got.Conflicts, 127) != wantN {
			t.Fatalf("triple %d: conflicts %d, git %d\nbase %q\nours %q\ntheirs %q\n(-git +ours):\n%s",
				i, got.Conflicts, wantN, base, ours, theirs, cmp.Diff(want, string(got.Text)))
		}
	}
}

// FuzzMerge compares Merge with git merge-file on any three texts.
func FuzzMerge(f *testing.F) {
	requireGit(f)
	r := rand.New(rand.NewPCG(7, 7))
	for range 20 {
		base, ours, theirs := triple(r)
		f.Add(base, ours, theirs)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, base, ours, theirs []byte) {
		got, err := Merge(base, ours, theirs, "project", "template")
		if errors.Is(err, ErrBinary) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		want, wantN := gitMerge(t, dir, base, ours, theirs)
		if string(got.Text) != want || min(got.Conflicts, 127) != wantN {
			t.Fatalf("conflicts %d, git %d\n(-git +ours):\n%s", got.Conflicts, wantN, cmp.Diff(want, string(got.Text)))
		}
	})
}

func ExampleMerge() {
	base := []byte("name: demo\nkind: web\nport: 80\n")
	project := []byte("name: shop\nkind: web\nport: 80\n")
	template := []byte("name: demo\nkind: web\nport: 8080\n")
	res, _ := Merge(base, project, template, "project", "template")
	fmt.Print(string(res.Text))
	// Output:
	// name: shop
	// kind: web
	// port: 8080
}
