package gitinsights

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"google.golang.org/protobuf/proto"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

var zone = time.FixedZone("", 2*3600)

// at is a time in a +02:00 zone.
func at(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, zone) }

const (
	ada = "Ada Lovelace <ada@example.com>"
	bob = "Bob Builder <bob@example.com>"
	cy  = "Cy Young <cy@example.com>"
)

// folderRepo is a repository of two components: svc-a has 11 commits,
// svc-b 5, svc-ab (a name svc-a is a prefix of) 1, and one commit changes
// only the root. It returns the hashes of each folder's commits, newest
// first ("" is the whole repository).
func folderRepo(t *testing.T) (*testRepo, map[string][]string) {
	r := newTestRepo(t)
	touched := map[string][]string{}
	add := func(h string, folders ...string) {
		for _, f := range append(folders, "") {
			touched[f] = append([]string{h}, touched[f]...)
		}
	}
	when := at(2026, 1, 5, 9)
	add(r.commit(ada, when, "initial", map[string]string{
		"catalog-info.yaml": "kind: Location\n", "README.md": "# mono\n",
		"svc-a/catalog-info.yaml": "kind: Component\n", "svc-b/catalog-info.yaml": "kind: Component\n",
	}), "svc-a", "svc-b")
	authors := []string{ada, bob, cy}
	for i := 1; i <= 14; i++ {
		when = when.Add(24 * time.Hour)
		folder := "svc-a"
		if i%3 == 0 {
			folder = "svc-b"
		}
		add(r.commit(authors[i%3], when, fmt.Sprintf("%s: change %d", folder, i), map[string]string{folder + "/main.go": fmt.Sprintf("package main // %d\n", i)}), folder)
	}
	add(r.commit(bob, when.Add(time.Hour), "svc-ab: start", map[string]string{"svc-ab/main.go": "package main\n"}), "svc-ab")
	add(r.commit(cy, when.Add(2*time.Hour), "readme", map[string]string{"README.md": "# monorepo\n"}))
	return r, touched
}

func TestLogIsLimitedToTheFolder(t *testing.T) {
	t.Parallel()
	r, touched := folderRepo(t)
	head := touched[""][0]
	for name, clone := range clones(r) {
		for _, b := range backends(t) {
			for _, folder := range []string{"svc-a", "svc-b", "svc-ab", ""} {
				t.Run(name+"/"+b.name+"/"+folder, func(t *testing.T) {
					t.Parallel()
					commits, err := b.open(clone).Log(context.Background(), head, folder)
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					for _, c := range commits {
						got = append(got, c.Hash)
					}
					if diff := cmp.Diff(touched[folder], got); diff != "" {
						t.Errorf("log of %q (-want +got):\n%s", folder, diff)
					}
				})
			}
		}
	}
}

func TestRecentCommitsCard(t *testing.T) {
	t.Parallel()
	r, touched := folderRepo(t)
	head := touched[""][0]
	for name, clone := range clones(r) {
		for _, b := range backends(t) {
			t.Run(name+"/"+b.name, func(t *testing.T) {
				t.Parallel()
				views, err := newPlugin(b.git, "", discard()).render(context.Background(),
					sdk.EntityRequest{ClonePath: clone, Commit: head, EntityFile: "svc-a/catalog-info.yaml"})
				if err != nil {
					t.Fatal(err)
				}
				rows := tableOf(t, view(t, views, "recent-commits"))
				if len(rows) != recentCommits {
					t.Fatalf("%d rows, want %d", len(rows), recentCommits)
				}
				// The newest commit of svc-a is change 14, by Cy (14%3 == 2), on 2026-01-19.
				if diff := cmp.Diff([]string{"2026-01-19", "Cy Young", "svc-a: change 14", touched["svc-a"][0][:7]}, rows[0]); diff != "" {
					t.Errorf("first row (-want +got):\n%s", diff)
				}
				for i, row := range rows {
					if row[3] != touched["svc-a"][i][:7] || !strings.HasPrefix(row[2], "svc-a: ") {
						t.Errorf("row %d = %q, want svc-a's commit %s", i, row, touched["svc-a"][i][:7])
					}
				}
				kv := map[string]string{}
				for _, b := range view(t, views, "commit-activity").GetBlocks() {
					for _, item := range b.GetKeyValues().GetItems() {
						kv[item.GetKey()] = item.GetValue()
					}
				}
				want := map[string]string{"Total commits": "11", "Last 26 weeks": "11", "Contributors": "3", "First commit": "2026-01-05", "Folder": "svc-a/"}
				if diff := cmp.Diff(want, kv); diff != "" {
					t.Errorf("activity (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestNoCommitsInTheFolder(t *testing.T) {
	t.Parallel()
	r, touched := folderRepo(t)
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			views, err := newPlugin(b.git, "", discard()).render(context.Background(),
				sdk.EntityRequest{ClonePath: r.dir, Commit: touched[""][0], EntityFile: "gone/catalog-info.yaml"})
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range []string{"recent-commits", "commit-activity", "top-contributors"} {
				if got := noticeOf(view(t, views, id)); !strings.HasPrefix(got, "No commit up to "+touched[""][0][:7]+" changes gone/") {
					t.Errorf("%s: notice %q", id, got)
				}
			}
			if got := noticeOf(view(t, views, "languages")); !strings.HasPrefix(got, "No source files in gone/") {
				t.Errorf("languages: notice %q", got)
			}
			if got := noticeOf(view(t, views, "code-owners")); !strings.HasPrefix(got, "No CODEOWNERS file") {
				t.Errorf("code-owners: notice %q", got)
			}
		})
	}
}

func TestWeeklyBuckets(t *testing.T) {
	t.Parallel()
	// The tip is on Wednesday 2026-03-04: the last week starts on Monday
	// 2026-03-02, the first 25 weeks earlier, on 2025-09-08.
	tipTime := time.Date(2026, 3, 4, 18, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		when time.Time
		week int // -1: before the chart
	}{
		{"the tip's day", time.Date(2026, 3, 4, 8, 0, 0, 0, time.UTC), 25},
		{"Monday just after midnight where it was made (Sunday in UTC)", time.Date(2026, 3, 2, 0, 30, 0, 0, time.FixedZone("", 2*3600)), 25},
		{"Sunday night", time.Date(2026, 3, 1, 23, 30, 0, 0, time.FixedZone("", -5*3600)), 24},
		{"the first Monday", time.Date(2025, 9, 8, 0, 0, 0, 0, time.UTC), 0},
		{"the Sunday before it", time.Date(2025, 9, 7, 23, 59, 0, 0, time.UTC), -1},
		{"a year before", time.Date(2025, 3, 4, 12, 0, 0, 0, time.UTC), -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := &insights{Tip: tip{Committed: tipTime}}
			in.summarize([]commit{{Hash: "c", Author: "A", Email: "a@x", When: tt.when}})
			if len(in.Weeks) != activityWeeks {
				t.Fatalf("%d weeks", len(in.Weeks))
			}
			if got, want := in.Weeks[0].Monday.Format(isoDate), "2025-09-08"; got != want {
				t.Errorf("first week %s, want %s", got, want)
			}
			if got, want := in.Weeks[25].Monday.Format(isoDate), "2026-03-02"; got != want {
				t.Errorf("last week %s, want %s", got, want)
			}
			for i, w := range in.Weeks {
				if w.Monday.Weekday() != time.Monday {
					t.Errorf("week %d starts on a %s", i, w.Monday.Weekday())
				}
				want := 0
				if i == tt.week {
					want = 1
				}
				if w.Commits != want {
					t.Errorf("week %d (%s): %d commits, want %d", i, w.Monday.Format(isoDate), w.Commits, want)
				}
			}
			if in.Total != 1 || !in.First.Equal(tt.when) {
				t.Errorf("total %d, first %v; want 1, %v", in.Total, in.First, tt.when)
			}
		})
	}
}

func TestActivityChart(t *testing.T) {
	t.Parallel()
	r, touched := folderRepo(t)
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			views, err := newPlugin(b.git, "", discard()).render(context.Background(),
				sdk.EntityRequest{ClonePath: r.dir, Commit: touched[""][0], EntityFile: "catalog-info.yaml"})
			if err != nil {
				t.Fatal(err)
			}
			var chart *pluginv1.Chart
			for _, bl := range view(t, views, "commit-activity").GetBlocks() {
				if c := bl.GetChart(); c != nil {
					chart = c
				}
			}
			if chart == nil || chart.GetKind() != pluginv1.ChartKind_CHART_BAR || len(chart.GetSeries()) != 1 {
				t.Fatalf("chart %v", chart)
			}
			got := map[string]float64{}
			for _, p := range chart.GetSeries()[0].GetPoints() {
				if p.GetValue() != 0 {
					got[p.GetLabel()] = p.GetValue()
				}
			}
			// Commits daily from Monday 2026-01-05 to Monday 2026-01-19, and
			// two more that Monday: 7, 7 and 3.
			want := map[string]float64{"2026-01-05": 7, "2026-01-12": 7, "2026-01-19": 3}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("weeks with commits (-want +got):\n%s", diff)
			}
			if n := len(chart.GetSeries()[0].GetPoints()); n != activityWeeks {
				t.Errorf("%d points", n)
			}
			if last := chart.GetSeries()[0].GetPoints()[activityWeeks-1].GetLabel(); last != "2026-01-19" {
				t.Errorf("last week %s, want 2026-01-19", last)
			}
		})
	}
}

func TestContributors(t *testing.T) {
	t.Parallel()
	var commits []commit
	add := func(name, email string, n int) {
		for range n {
			commits = append(commits, commit{Author: name, Email: email, When: at(2026, 1, 5, 9)})
		}
	}
	// Newest first: "Ada L." is Ada's newest name; her e-mail differs in case.
	add("Ada L.", "ADA@example.com", 1)
	add("Ada Lovelace", "ada@example.com", 9)
	for i := range 9 {
		add(fmt.Sprintf("Dev %d", i), fmt.Sprintf("dev%d@example.com", i), 9-i)
	}
	add("No Mail", "", 2)
	in := &insights{Tip: tip{Committed: at(2026, 1, 6, 9)}}
	in.summarize(commits)

	if in.Contributors != 11 || in.Total != 57 {
		t.Fatalf("%d contributors, %d commits; want 11, 57", in.Contributors, in.Total)
	}
	want := []contributor{{"Ada L.", 10}, {"Dev 0", 9}, {"Dev 1", 8}, {"Dev 2", 7}, {"Dev 3", 6}, {"Dev 4", 5}, {"Dev 5", 4}, {"Dev 6", 3}}
	if diff := cmp.Diff(want, in.Top); diff != "" {
		t.Errorf("top (-want +got):\n%s", diff)
	}
	rows := tableOf(t, contributorsView(in))
	wantRows := [][]string{
		{"Ada L.", "10", "17.5%"}, {"Dev 0", "9", "15.8%"}, {"Dev 1", "8", "14.0%"}, {"Dev 2", "7", "12.3%"},
		{"Dev 3", "6", "10.5%"}, {"Dev 4", "5", "8.8%"}, {"Dev 5", "4", "7.0%"}, {"Dev 6", "3", "5.3%"},
		{"3 others", "5", "8.8%"}, // Dev 7, Dev 8, No Mail
	}
	if diff := cmp.Diff(wantRows, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

// languageRepo has a folder svc of several languages, vendored, generated,
// binary and data files, and a file outside it.
func languageRepo(t *testing.T) (*testRepo, string) {
	r := newTestRepo(t)
	head := r.commit(ada, at(2026, 2, 2, 10), "languages", map[string]string{
		"svc/catalog-info.yaml":           "kind: Component\nmetadata:\n  name: svc\n",
		"svc/main.go":                     "package main\n\nfunc main() {}\n",
		"svc/util.go":                     "package main\n// no newline at the end",
		"svc/empty.go":                    "",
		"svc/bin.go":                      "\x00\x01\x02binary\n",
		"svc/api.pb.go":                   "package main\n// generated\n",
		"svc/web/app.ts":                  "1\n2\n3\n4\n",
		"svc/web/App.tsx":                 "<App/>\n",
		"svc/web/jquery.min.js":           "minified\n",
		"svc/web/node_modules/p/index.js": "module.exports = 1\n",
		"svc/vendor/lib/x.go":             strings.Repeat("vendored\n", 100),
		"svc/dist/bundle.js":              "bundle\n",
		"svc/README.md":                   "# svc\n\nprose\n",
		"svc/config.json":                 "{}\n",
		"svc/Makefile":                    "all:\n\tgo build\n",
		"svc/Dockerfile":                  "FROM scratch\nCOPY x /\nENTRYPOINT [\"/x\"]\n",
		"svc/scripts/run.sh":              "#!/bin/sh\nexec ./svc\n",
		"svc/LEGACY.C":                    "int main;\n",
		"other/other.go":                  strings.Repeat("other\n", 50),
	})
	return r, head
}

func TestLanguages(t *testing.T) {
	t.Parallel()
	r, head := languageRepo(t)
	for name, clone := range clones(r) {
		for _, b := range backends(t) {
			t.Run(name+"/"+b.name, func(t *testing.T) {
				t.Parallel()
				in, err := collect(context.Background(), b.open(clone), head, "svc")
				if err != nil {
					t.Fatal(err)
				}
				want := []language{{"Go", 5}, {"TypeScript", 5}, {"Dockerfile", 3}, {"Makefile", 2}, {"Shell", 2}, {"C", 1}}
				if diff := cmp.Diff(want, in.Languages); diff != "" {
					t.Errorf("languages (-want +got):\n%s", diff)
				}
				if in.Lines != 18 {
					t.Errorf("%d lines, want 18", in.Lines)
				}
				rows := tableOf(t, languagesView(in))
				if diff := cmp.Diff([]string{"Go", "5", "27.8%"}, rows[0]); diff != "" {
					t.Errorf("first row (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestLanguageOf(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"main.go": "Go", "a/b/c.py": "Python", "X.GO": "Go", "web/App.tsx": "TypeScript",
		"Makefile": "Makefile", "build/Dockerfile.dev": "Dockerfile", "CMakeLists.txt": "CMake",
		"vendor/x.go": "", "a/node_modules/b/c.js": "", "dist/app.js": "", "lib/app.min.js": "",
		"api.pb.go": "", "README.md": "", "data.json": "", "catalog-info.yaml": "", "notes.txt": "",
		"vendored.go": "Go", "distance/d.go": "Go",
	}
	for p, want := range tests {
		if got := languageOf(p); got != want {
			t.Errorf("languageOf(%q) = %q, want %q", p, got, want)
		}
	}
}

func TestCountLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		data   string
		lines  int
		binary bool
	}{
		{"", 0, false},
		{"a", 1, false},
		{"a\n", 1, false},
		{"a\nb", 2, false},
		{"\n\n", 2, false},
		{"a\x00b\n", 0, true},
		{strings.Repeat("x", 8000) + "\x00", 1, false}, // git looks at the first 8000 bytes only
	}
	for _, tt := range tests {
		lines, binary := countLines([]byte(tt.data))
		if lines != tt.lines || binary != tt.binary {
			t.Errorf("countLines(%.20q) = %d, %v; want %d, %v", tt.data, lines, binary, tt.lines, tt.binary)
		}
	}
}

func TestBackendsAgree(t *testing.T) {
	t.Parallel()
	requireGit(t)
	r, _ := folderRepo(t)
	head := r.commit(bob, at(2026, 2, 1, 12), "owners and code", map[string]string{
		".github/CODEOWNERS":  "* @acme/all\n/svc-a/ @acme/a\n*.sql @acme/dba\n",
		"svc-a/db/schema.sql": "create table t (id int);\n",
		"svc-a/web/app.ts":    "export {}\n",
	})
	bare := r.bare()
	for _, folder := range []string{"svc-a", "svc-b", "", "gone"} {
		t.Run("folder="+folder, func(t *testing.T) {
			t.Parallel()
			var got []*insights
			for _, b := range backends(t) {
				in, err := collect(context.Background(), b.open(bare), head, folder)
				if err != nil {
					t.Fatalf("%s: %v", b.name, err)
				}
				got = append(got, in)
			}
			if diff := cmp.Diff(got[0], got[1], cmpopts.IgnoreUnexported(ownersRule{})); diff != "" {
				t.Errorf("go-git and git differ (-go-git +git):\n%s", diff)
			}
		})
	}
}

func TestNoClone(t *testing.T) {
	t.Parallel()
	views, err := newPlugin("", "", discard()).render(context.Background(), sdk.EntityRequest{EntityFile: "catalog-info.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if len(views) != 1 || !strings.Contains(noticeOf(views[0]), "no local repository") {
		t.Errorf("views %v, want one notice that there is no local repository", views)
	}
}

func TestCommitNotInTheClone(t *testing.T) {
	t.Parallel()
	r, _ := folderRepo(t)
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			views, err := newPlugin(b.git, "", discard()).render(context.Background(),
				sdk.EntityRequest{ClonePath: r.dir, Commit: strings.Repeat("ab", 20), EntityFile: "svc-a/catalog-info.yaml"})
			if err != nil {
				t.Fatal(err)
			}
			if len(views) != 1 || !strings.Contains(noticeOf(views[0]), "is not in the local repository") {
				t.Errorf("views %v, want one notice that the commit is missing", views)
			}
		})
	}
}

func TestBadCommit(t *testing.T) {
	t.Parallel()
	r, _ := folderRepo(t)
	if _, err := newPlugin("", "", discard()).render(context.Background(),
		sdk.EntityRequest{ClonePath: r.dir, Commit: "--output=/tmp/x", EntityFile: "catalog-info.yaml"}); err == nil {
		t.Error("no error for a commit that is not a hash")
	}
}

func TestEntityFolder(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"catalog-info.yaml": "", "": "", "/catalog-info.yaml": "", "./catalog-info.yaml": "",
		"services/api/catalog-info.yaml": "services/api", "./services/api/catalog-info.yaml": "services/api",
		`services\api\catalog-info.yaml`: "services/api", "a/../b/catalog-info.yaml": "b",
	}
	for file, want := range tests {
		if got := entityFolder(file); got != want {
			t.Errorf("entityFolder(%q) = %q, want %q", file, got, want)
		}
	}
}

func TestTextThatIsNotUTF8(t *testing.T) {
	t.Parallel()
	r := newTestRepo(t)
	head := r.commit("Jos\xe9 <jose@example.com>", at(2026, 1, 5, 9), "caf\xe9 au lait", map[string]string{
		"CODEOWNERS": "/caf\xe9/ @jos\xe9\n", "svc/catalog-info.yaml": "kind: Component\n",
	})
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			views, err := newPlugin(b.git, "", discard()).render(context.Background(),
				sdk.EntityRequest{ClonePath: r.dir, Commit: head, EntityFile: "svc/catalog-info.yaml"})
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range views {
				if _, err := proto.Marshal(v); err != nil {
					t.Errorf("view %s: %v", v.GetId(), err)
				}
			}
			if diff := cmp.Diff([]string{"2026-01-05", "Jos\uFFFD", "caf\uFFFD au lait", head[:7]}, tableOf(t, view(t, views, "recent-commits"))[0]); diff != "" {
				t.Errorf("row (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAnswersBeforeTheDeadline(t *testing.T) {
	t.Parallel()
	r, touched := folderRepo(t)
	p := newPlugin("", "", discard())
	req := sdk.EntityRequest{ClonePath: r.dir, Commit: touched[""][0], EntityFile: "svc-a/catalog-info.yaml"}
	// A deadline already passed: with a millisecond, a quiet machine read
	// this small history within it, and the cards came back.
	ctx, cancel := context.WithDeadline(context.Background(), time.Now())
	defer cancel()
	views, err := p.render(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(views) != 1 || !strings.HasPrefix(noticeOf(views[0]), "Still reading") {
		t.Fatalf("views %v, want one notice that the history is still being read", views)
	}
	// The reading goes on past the call, and ends well.
	p.cache.mu.Lock()
	reading := p.cache.entries[cacheKey{Clone: r.dir, Commit: req.Commit, Folder: entityFolder(req.EntityFile)}]
	p.cache.mu.Unlock()
	if reading == nil {
		t.Fatal("the reading stopped with the call")
	}
	<-reading.done
	if reading.err != nil {
		t.Fatalf("the reading: %v", reading.err)
	}
	views, err = p.render(context.Background(), req)
	if err != nil || len(views) != 5 {
		t.Errorf("next call: %d views, %v; want the 5 cards", len(views), err)
	}
}

func TestLongCommitMessage(t *testing.T) {
	t.Parallel()
	r := newTestRepo(t)
	first := r.commit(ada, at(2026, 1, 5, 9), "short", map[string]string{"a.go": "package a\n"})
	long := r.commit(bob, at(2026, 1, 6, 9), "subject of a long one\n\n"+strings.Repeat("body line\n", 20000), map[string]string{"a.go": "package a // 2\n"})
	last := r.commit(cy, at(2026, 1, 7, 9), "after it", map[string]string{"a.go": "package a // 3\n"})
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			commits, err := b.open(r.dir).Log(context.Background(), last, "")
			if err != nil {
				t.Fatal(err)
			}
			var got [][2]string
			for _, c := range commits {
				got = append(got, [2]string{c.Hash, c.Subject})
			}
			want := [][2]string{{last, "after it"}, {long, "subject of a long one"}, {first, "short"}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("log (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSignatureTime(t *testing.T) {
	t.Parallel()
	zones := map[int]*time.Location{}
	for sig, want := range map[string]string{
		"Ada <ada@example.com> 1767225600 +0100":     "2026-01-01T01:00:00+01:00",
		"Bob <bob@example.com> 1767225600 -0530":     "2025-12-31T18:30:00-05:30",
		"Cy > Young <cy@example.com> 0 +0000":        "1970-01-01T00:00:00Z",
		"Dee <dee@example.com>   1767225600   +0100": "",
		"Eve <eve@example.com> 17x67225600 +0100":    "",
		"Fay <fay@example.com> 1767225600 0100":      "",
	} {
		got, err := signatureTime([]byte(sig), zones)
		if want == "" {
			if err == nil {
				t.Errorf("signatureTime(%q) = %v, want an error", sig, got)
			}
			continue
		}
		if err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("signatureTime(%q) = %v, %v; want %s", sig, got.Format(time.RFC3339), err, want)
		}
	}
}

// A shallow clone (a repository an organisation listed, as the app clones
// it) is read as git reads it: its shallow commit is a root, whose
// missing parents are not an error.
func TestLogOfAShallowClone(t *testing.T) {
	t.Parallel()
	requireGit(t)
	r, touched := folderRepo(t)
	head := touched[""][0]
	clone := filepath.Join(t.TempDir(), "shallow.git")
	if _, err := git.PlainClone(clone, true, &git.CloneOptions{URL: r.dir, Depth: 1}); err != nil {
		t.Fatal(err)
	}
	for _, b := range backends(t) {
		for _, folder := range []string{"svc-a", ""} {
			t.Run(b.name+"/"+folder, func(t *testing.T) {
				t.Parallel()
				commits, err := b.open(clone).Log(context.Background(), head, folder)
				if err != nil {
					t.Fatal(err)
				}
				if len(commits) != 1 || commits[0].Hash != head {
					t.Errorf("log of %q = %+v; want the one commit %s", folder, commits, head)
				}
			})
		}
	}
}
