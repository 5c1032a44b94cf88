package gitinsights

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

func TestPatternMatch(t *testing.T) {
	t.Parallel()
	// GitHub's semantics, from its CODEOWNERS documentation.
	tests := []struct {
		pattern string
		match   []string
		miss    []string
	}{
		{"*", []string{"a", "a/b/c.go"}, nil},
		{"*.js", []string{"a.js", "x/y/a.js"}, []string{"a.jsx", "a.js.map"}},
		{"/build/logs/", []string{"build/logs/a", "build/logs/x/y"}, []string{"build/logs", "x/build/logs/a", "build/logsx/a"}},
		{"docs/*", []string{"docs/a.md"}, []string{"docs/x/a.md", "x/docs/a.md", "docs"}},
		{"apps/", []string{"apps/a", "x/apps/a", "x/apps/a/b"}, []string{"apps", "x/apps"}},
		{"/docs/", []string{"docs/a", "docs/x/y"}, []string{"x/docs/a"}},
		{"**/logs", []string{"logs", "a/logs", "a/logs/x", "a/b/logs/x"}, []string{"a/logsx", "alogs"}},
		{"/apps/github", []string{"apps/github", "apps/github/x/y"}, []string{"apps/githubber", "x/apps/github"}},
		{"apps/github", []string{"apps/github/x"}, []string{"x/apps/github"}},
		{"/*", []string{"a", "Makefile"}, []string{"a/b"}},
		{"f?o", []string{"foo", "x/foo", "foo/bar"}, []string{"fo", "fooo"}},
		{"f*", []string{"foo", "x/foo/y", "f"}, []string{"xf"}},
		{`f\*o`, []string{"f*o"}, []string{"foo"}},
		{"foo/**/bar", []string{"foo/bar", "foo/x/bar", "foo/x/y/bar/z"}, []string{"x/foo/bar", "foo/barx"}},
		{"foo/**", []string{"foo/a", "foo/a/b"}, []string{"foo"}},
		{"/", nil, []string{"a", "a/b"}},
		{"services/api/*.sql", []string{"services/api/s.sql"}, []string{"services/api/db/s.sql"}},
	}
	for _, tt := range tests {
		r := compileRule(tt.pattern)
		for _, p := range tt.match {
			if !r.match(p) {
				t.Errorf("%q does not match %q", tt.pattern, p)
			}
		}
		for _, p := range tt.miss {
			if r.match(p) {
				t.Errorf("%q matches %q", tt.pattern, p)
			}
		}
	}
}

func TestParseCodeowners(t *testing.T) {
	t.Parallel()
	rules, problems := parseCodeowners([]byte(strings.Join([]string{
		"# owners",
		"",
		"*   @acme/all   # everyone",
		`\#notes.txt @ada`,
		`my\ file.txt  ada@example.com @bob`,
		"/legacy/",
		"!keep.txt @bob",
		"[Section]",
		"a***b @cy",
	}, "\n")))
	type rule struct {
		Line    int
		Pattern string
		Owners  []string
	}
	var got []rule
	for _, r := range rules {
		got = append(got, rule{r.Line, r.Pattern, r.Owners})
	}
	want := []rule{
		{3, "*", []string{"@acme/all"}},
		{4, "#notes.txt", []string{"@ada"}},
		{5, "my file.txt", []string{"ada@example.com", "@bob"}},
		{6, "/legacy/", nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if len(problems) != 3 || !strings.HasPrefix(problems[0], "line 7:") || !strings.HasPrefix(problems[2], "line 9:") {
		t.Errorf("problems %q", problems)
	}
}

func TestCodeownersFile(t *testing.T) {
	t.Parallel()
	// GitHub looks in .github/, then the root, then docs/, and uses the
	// first file it finds.
	tests := []struct {
		name  string
		files map[string]string
		want  string // the file used, "" none
		owner string
	}{
		{"all three", map[string]string{".github/CODEOWNERS": "* @github", "CODEOWNERS": "* @root", "docs/CODEOWNERS": "* @docs"}, ".github/CODEOWNERS", "@github"},
		{"root and docs", map[string]string{"CODEOWNERS": "* @root", "docs/CODEOWNERS": "* @docs"}, "CODEOWNERS", "@root"},
		{"docs only", map[string]string{"docs/CODEOWNERS": "* @docs"}, "docs/CODEOWNERS", "@docs"},
		{"none", map[string]string{"OWNERS": "* @other", "codeowners": "* @lower"}, "", ""},
		{"a folder named CODEOWNERS", map[string]string{".github/CODEOWNERS/x": "* @no", "docs/CODEOWNERS": "* @docs"}, "docs/CODEOWNERS", "@docs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newTestRepo(t)
			tt.files["svc/catalog-info.yaml"] = "kind: Component\n"
			head := r.commit(ada, at(2026, 1, 5, 9), "owners", tt.files)
			for _, b := range backends(t) {
				in, err := collect(context.Background(), b.open(r.dir), head, "svc")
				if err != nil {
					t.Fatalf("%s: %v", b.name, err)
				}
				if tt.want == "" {
					if in.Owners != nil {
						t.Errorf("%s: CODEOWNERS %s found", b.name, in.Owners.File)
					}
					continue
				}
				if in.Owners == nil || in.Owners.File != tt.want {
					t.Fatalf("%s: ownership %+v, want from %s", b.name, in.Owners, tt.want)
				}
				if got := in.Owners.Rules[in.Owners.Folder].Owners[0]; got != tt.owner {
					t.Errorf("%s: owner %s, want %s", b.name, got, tt.owner)
				}
			}
		})
	}
}

// ownersRepo has a CODEOWNERS whose rules overlap on the folder svc-a.
func ownersRepo(t *testing.T) (*testRepo, string) {
	r := newTestRepo(t)
	head := r.commit(ada, at(2026, 1, 5, 9), "owners", map[string]string{
		".github/CODEOWNERS": strings.Join([]string{
			"# Code owners",
			"*                @acme/everyone",
			"/svc-a/          @acme/team-a",
			"*.sql            @acme/dba",
			"/svc-a/legacy/",
			"svc-a/api/       @acme/api @ada   # the API",
			"/svc-b/          @acme/team-b",
			"!nope",
		}, "\n"),
		"svc-a/catalog-info.yaml":        "kind: Component\n",
		"svc-a/main.go":                  "package main\n",
		"svc-a/db/schema.sql":            "create table t (id int);\n",
		"svc-a/legacy/old.go":            "package legacy\n",
		"svc-a/api/handler.go":           "package api\n",
		"svc-a/legacy/catalog-info.yaml": "kind: Component\n",
		"svc-b/catalog-info.yaml":        "kind: Component\n",
	})
	return r, head
}

func TestCodeownersPrecedence(t *testing.T) {
	t.Parallel()
	r, head := ownersRepo(t)
	tests := []struct {
		folder   string
		winner   int // line
		matching []int
		wins     map[int]int // line → files (0: no rule)
	}{
		// The last matching rule wins: /svc-a/ over *; *.sql, /svc-a/legacy/
		// and svc-a/api/ decide some of its files.
		{"svc-a", 3, []int{2, 3}, map[int]int{3: 2, 4: 1, 5: 2, 6: 1}},
		{"svc-a/legacy", 5, []int{2, 3, 5}, map[int]int{5: 2}},
		{"svc-a/api", 6, []int{2, 3, 6}, map[int]int{6: 1}},
		{"svc-b", 7, []int{2, 7}, map[int]int{7: 1}},
		{"", 2, []int{2}, map[int]int{2: 1, 3: 2, 4: 1, 5: 2, 6: 1, 7: 1}},
	}
	for _, b := range backends(t) {
		for _, tt := range tests {
			t.Run(b.name+"/"+tt.folder, func(t *testing.T) {
				t.Parallel()
				in, err := collect(context.Background(), b.open(r.dir), head, tt.folder)
				if err != nil {
					t.Fatal(err)
				}
				o := in.Owners
				line := func(i int) int {
					if i < 0 {
						return 0
					}
					return o.Rules[i].Line
				}
				if got := line(o.Folder); got != tt.winner {
					t.Errorf("winning line %d, want %d", got, tt.winner)
				}
				var matching []int
				for _, i := range o.Matching {
					matching = append(matching, line(i))
				}
				if diff := cmp.Diff(tt.matching, matching); diff != "" {
					t.Errorf("matching lines (-want +got):\n%s", diff)
				}
				wins := map[int]int{}
				for i, n := range o.Wins {
					wins[line(i)] = n
				}
				if diff := cmp.Diff(tt.wins, wins); diff != "" {
					t.Errorf("files by line (-want +got):\n%s", diff)
				}
				if len(o.Problems) != 1 || !strings.HasPrefix(o.Problems[0], "line 8:") {
					t.Errorf("problems %q", o.Problems)
				}
			})
		}
	}
}

func TestCodeOwnersCard(t *testing.T) {
	t.Parallel()
	r, head := ownersRepo(t)
	render := func(folder string) *pluginv1.View {
		views, err := newPlugin("", "", discard()).render(context.Background(),
			sdk.EntityRequest{ClonePath: r.dir, Commit: head, EntityFile: folder + "/catalog-info.yaml"})
		if err != nil {
			t.Fatal(err)
		}
		return view(t, views, "code-owners")
	}
	keyValues := func(v *pluginv1.View) map[string]string {
		kv := map[string]string{}
		for _, b := range v.GetBlocks() {
			for _, item := range b.GetKeyValues().GetItems() {
				kv[item.GetKey()] = item.GetValue()
			}
		}
		return kv
	}

	v := render("svc-a")
	if diff := cmp.Diff(map[string]string{"Owners": "@acme/team-a", "Rule": ".github/CODEOWNERS line 3: /svc-a/"}, keyValues(v)); diff != "" {
		t.Errorf("svc-a (-want +got):\n%s", diff)
	}
	want := [][]string{
		{"2", "*", "@acme/everyone", "the folder (overridden)"},
		{"3", "/svc-a/", "@acme/team-a", "the folder (wins), 2 of 6 files"},
		{"4", "*.sql", "@acme/dba", "1 of 6 files"},
		{"5", "/svc-a/legacy/", "", "2 of 6 files"},
		{"6", "svc-a/api/", "@acme/api @ada", "1 of 6 files"},
	}
	if diff := cmp.Diff(want, tableOf(t, v)); diff != "" {
		t.Errorf("svc-a rows (-want +got):\n%s", diff)
	}
	if got := noticeOf(v); got != ".github/CODEOWNERS: line 8: negated patterns are not supported" {
		t.Errorf("notice %q", got)
	}

	v = render("svc-a/legacy")
	if got := keyValues(v)["Owners"]; got != "none: the rule leaves it without owners" {
		t.Errorf("svc-a/legacy owners %q", got)
	}
}
