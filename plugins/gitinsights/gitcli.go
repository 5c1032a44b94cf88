package gitinsights

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// gitCLI reads a repository with the git executable: a path-limited log of
// 10,000 commits takes git tens of milliseconds where go-git takes
// seconds.
type gitCLI struct {
	git string
	// dir is the git directory: the bare repository, or a working tree's
	// .git.
	dir string
	// graph, when set, is an object directory of our own holding a
	// commit-graph of the repository's commits (see graphs).
	graph string
}

var _ history = (*gitCLI)(nil)

// newGitCLI reads the repository at clone (bare or a working tree) with
// the git executable at git, using the commit-graph in the object
// directory graph unless it is "".
func newGitCLI(git, clone, graph string) *gitCLI {
	return &gitCLI{git: git, dir: gitDir(clone), graph: graph}
}

// gitDir is the git directory of the repository at clone.
func gitDir(clone string) string {
	if _, err := os.Stat(filepath.Join(clone, ".git")); err == nil {
		return filepath.Join(clone, ".git")
	}
	return clone
}

// env is the environment git runs in: no prompts, no optional locks,
// messages in English and, with a graph, our object directory first and
// the repository's as its alternate.
func (g *gitCLI) env() []string {
	env := append(os.Environ(), "GIT_OPTIONAL_LOCKS=0", "GIT_TERMINAL_PROMPT=0", "GIT_FLUSH=0", "LC_ALL=C", "LANGUAGE=")
	if g.graph != "" {
		objects, err := filepath.Abs(filepath.Join(g.dir, "objects"))
		if err != nil {
			objects = filepath.Join(g.dir, "objects")
		}
		env = append(env, "GIT_OBJECT_DIRECTORY="+g.graph, "GIT_ALTERNATE_OBJECT_DIRECTORIES="+objects)
	}
	return env
}

// run runs git on the repository and returns its standard output. A run
// that exits with one of okCodes returns what it wrote and no error.
func (g *gitCLI) run(ctx context.Context, stdin string, okCodes []int, args ...string) ([]byte, error) {
	var out bytes.Buffer
	err := g.stream(ctx, stdin, okCodes, func(r io.Reader) error {
		_, err := out.ReadFrom(r)
		return err
	}, args...)
	return out.Bytes(), err
}

// stream runs git on the repository and hands its standard output to read
// as it comes.
func (g *gitCLI) stream(ctx context.Context, stdin string, okCodes []int, read func(io.Reader) error, args ...string) error {
	cmd := exec.CommandContext(ctx, g.git, append([]string{"--git-dir=" + g.dir, "-c", "color.ui=false", "-c", "core.quotePath=false"}, args...)...)
	cmd.Env = g.env()
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("git %s: %w", args[0], err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git %s: %w", args[0], err)
	}
	rerr := read(stdout)
	if rerr != nil {
		_, _ = io.Copy(io.Discard, stdout) // let git finish
	}
	err = cmd.Wait()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && slices.Contains(okCodes, exit.ExitCode()) {
			err = nil
		}
	}
	switch {
	case err != nil && ctx.Err() != nil:
		return fmt.Errorf("git %s: %w", args[0], ctx.Err())
	case err != nil:
		return fmt.Errorf("git %s: %w: %s", args[0], err, strings.TrimSpace(stderr.String()))
	case rerr != nil:
		return fmt.Errorf("git %s: %w", args[0], rerr)
	}
	return nil
}

// literal is a pathspec naming folder exactly. No other magic: any (even
// "top") keeps git from using the commit-graph's Bloom filters.
func literal(folder string) string { return ":(literal)" + folder }

func (g *gitCLI) Tip(ctx context.Context, rev string) (tip, error) {
	out, err := g.run(ctx, rev+"^{commit}\n", nil, "cat-file", "--batch")
	if err != nil {
		return tip{}, err
	}
	header, body, _ := bytes.Cut(out, []byte("\n"))
	fields := strings.Fields(string(header))
	if len(fields) != 3 || fields[1] != "commit" {
		return tip{}, fmt.Errorf("%s: %w", rev, errNoCommit)
	}
	t := tip{Hash: fields[0]}
	for _, line := range strings.Split(string(body), "\n") {
		if line == "" {
			break // end of the headers
		}
		if rest, ok := strings.CutPrefix(line, "committer "); ok {
			if t.Committed, err = signatureTime([]byte(rest), nil); err != nil {
				return tip{}, fmt.Errorf("commit %s: %w", t.Hash, err)
			}
		}
	}
	return t, nil
}

// signatureTime reads the time of a raw signature,
// "Name <email> 1767225600 +0100". zones, when not nil, keeps the time
// zones made, by offset, for the next signatures.
func signatureTime(sig []byte, zones map[int]*time.Location) (time.Time, error) {
	bad := func() (time.Time, error) { return time.Time{}, fmt.Errorf("bad signature %q", sig) }
	rest := bytes.TrimSpace(sig[bytes.LastIndexByte(sig, '>')+1:])
	secs, tz, ok := bytes.Cut(rest, []byte(" "))
	if !ok || len(tz) != 5 || (tz[0] != '+' && tz[0] != '-') {
		return bad()
	}
	var unix int64
	for _, c := range secs {
		if c < '0' || c > '9' {
			return bad()
		}
		unix = unix*10 + int64(c-'0')
	}
	offset := 0
	for i, mul := range []int{36000, 3600, 600, 60} {
		c := tz[1+i]
		if c < '0' || c > '9' {
			return bad()
		}
		offset += int(c-'0') * mul
	}
	if tz[0] == '-' {
		offset = -offset
	}
	loc := zones[offset]
	if loc == nil {
		loc = time.FixedZone("", offset)
		if zones != nil {
			zones[offset] = loc
		}
	}
	return time.Unix(unix, 0).In(loc), nil
}

func (g *gitCLI) Log(ctx context.Context, rev, folder string) ([]commit, error) {
	// rev-list --header writes each commit's raw object: half the time
	// git log --format takes to format the same fields. It is parsed as
	// it comes, one NUL-terminated commit at a time.
	args := []string{"rev-list", "--header", rev, "--"}
	if folder != "" {
		args = append(args, literal(folder))
	}
	var commits []commit
	zones := map[int]*time.Location{}
	err := g.stream(ctx, "", nil, func(r io.Reader) error {
		br := bufio.NewReaderSize(r, 64<<10)
		for {
			rec, err := br.ReadSlice(0)
			if errors.Is(err, bufio.ErrBufferFull) {
				// A commit longer than the buffer: gather it.
				var long []byte
				long = append(long, rec...)
				for errors.Is(err, bufio.ErrBufferFull) {
					rec, err = br.ReadSlice(0)
					long = append(long, rec...)
				}
				rec = long
			}
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			c, err := parseRawCommit(rec[:len(rec)-1], zones)
			if err != nil {
				return err
			}
			commits = append(commits, c)
		}
	}, args...)
	if err != nil {
		return nil, err
	}
	return commits, nil
}

// parseRawCommit reads one commit of git rev-list --header: its hash on a
// line, its headers, a blank line and its message indented by four
// spaces. zones is signatureTime's.
func parseRawCommit(rec []byte, zones map[int]*time.Location) (commit, error) {
	hash, rest, _ := bytes.Cut(rec, []byte("\n"))
	c := commit{Hash: string(hash)}
	headers, msg, _ := bytes.Cut(rest, []byte("\n\n"))
	for len(headers) > 0 {
		var line []byte
		line, headers, _ = bytes.Cut(headers, []byte("\n"))
		sig, ok := bytes.CutPrefix(line, []byte("author "))
		if !ok {
			continue
		}
		name, email, ok := bytes.Cut(sig, []byte(" <"))
		email, _, ok2 := bytes.Cut(email, []byte(">"))
		when, err := signatureTime(sig, zones)
		if !ok || !ok2 || err != nil {
			return c, fmt.Errorf("commit %s: bad author %q", hash, sig)
		}
		c.Author, c.Email, c.When = validBytes(name), validBytes(email), when
		break
	}
	// The subject is the first paragraph, on one line, as %s writes it.
	var subject []byte
	lines := 0
	for len(msg) > 0 {
		var line []byte
		line, msg, _ = bytes.Cut(msg, []byte("\n"))
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			if lines > 0 {
				break
			}
			continue
		}
		lines++
		switch lines {
		case 1:
			subject = line // most subjects are one line: no copy
		case 2:
			subject = append(append(append([]byte{}, subject...), ' '), line...)
		default:
			subject = append(append(subject, ' '), line...)
		}
	}
	c.Subject = validBytes(subject)
	return c, nil
}

// validBytes is valid of b as a string.
func validBytes(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return valid(string(b))
}

func (g *gitCLI) Paths(ctx context.Context, rev, folder string) ([]string, error) {
	args := []string{"ls-tree", "-r", "-z", rev, "--"}
	if folder != "" {
		args = append(args, literal(folder))
	}
	out, err := g.run(ctx, "", nil, args...)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, rec := range bytes.Split(out, []byte{0}) {
		// "<mode> SP <type> SP <object> TAB <path>"
		meta, p, ok := bytes.Cut(rec, []byte{'\t'})
		if !ok {
			continue
		}
		if f := bytes.Fields(meta); len(f) == 3 && string(f[1]) == "blob" {
			paths = append(paths, string(p))
		}
	}
	return paths, nil
}

func (g *gitCLI) Lines(ctx context.Context, rev, folder string) (map[string]int, error) {
	// git grep -c counts the lines matching the empty pattern, every line
	// of every text file (-I skips binary ones), reading only the blobs
	// the pathspecs name, on several threads.
	args := append([]string{"grep", "-I", "-c", "-z", "--no-recurse-submodules", "-e", "", rev, "--"}, languagePathspecs(folder)...)
	out, err := g.run(ctx, "", []int{1}, args...) // 1: no file matched
	if err != nil {
		return nil, err
	}
	lines := map[string]int{}
	r := bufio.NewReader(bytes.NewReader(out))
	for {
		name, err := r.ReadString(0) // "<rev>:<path>\0"
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("git grep: %w", err)
		}
		count, err := r.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("git grep: unexpected output after %q", name)
		}
		n, err := strconv.Atoi(strings.TrimSuffix(count, "\n"))
		if err != nil {
			return nil, fmt.Errorf("git grep: unexpected count %q", count)
		}
		lines[strings.TrimPrefix(strings.TrimSuffix(name, "\x00"), rev+":")] = n
	}
	return lines, nil
}

func (g *gitCLI) Read(ctx context.Context, rev string, paths []string) (string, []byte, error) {
	var in strings.Builder
	for _, p := range paths {
		in.WriteString(rev + ":" + p + "\n")
	}
	out, err := g.run(ctx, in.String(), nil, "cat-file", "--batch")
	if err != nil {
		return "", nil, err
	}
	// Each answer is "<oid> <type> <size>\n<content>\n" or "<name> missing\n".
	for _, p := range paths {
		header, rest, ok := bytes.Cut(out, []byte("\n"))
		if !ok {
			return "", nil, fmt.Errorf("git cat-file: unexpected end of output")
		}
		if bytes.HasSuffix(header, []byte(" missing")) || bytes.HasSuffix(header, []byte(" ambiguous")) {
			out = rest
			continue
		}
		f := strings.Fields(string(header))
		if len(f) != 3 {
			return "", nil, fmt.Errorf("git cat-file: unexpected header %q", header)
		}
		size, err := strconv.Atoi(f[2])
		if err != nil || size+1 > len(rest) {
			return "", nil, fmt.Errorf("git cat-file: unexpected header %q", header)
		}
		if f[1] == "blob" {
			return p, rest[:size], nil
		}
		out = rest[size+1:]
	}
	return "", nil, nil
}
