package adr

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want Record
	}{
		{"madr2/0001-use-markdown-architectural-decision-records.md", Record{Number: 1, Title: "Use Markdown Architectural Decision Records",
			Status: StatusAccepted, StatusText: "accepted", Format: FormatMADRList, Date: "2020-03-14", Deciders: []string{"Jane Doe", "Ravi Patel"}}},
		{"madr2/0002-use-postgres.md", Record{Number: 2, Title: "Use PostgreSQL for the order store", Status: StatusSuperseded,
			StatusText: "Superseded by [ADR-0005](0005-use-cockroachdb.md)", Format: FormatMADRList, Date: "2020-05-02", SupersededBy: "0005-use-cockroachdb.md"}},
		{"madr2/0004-deprecated-upper.md", Record{Number: 4, Title: "Drop the XML API", Status: StatusDeprecated, StatusText: "DEPRECATED",
			Format: FormatMADRList, Date: "2021-11-30", Deciders: []string{"API guild"}}},
		{"madr3/0003-superseded.md", Record{Number: 3, Title: "Use REST between services", Status: StatusSuperseded,
			StatusText: "superseded by ADR-0004", Format: FormatFrontMatter, Date: "2023-03-12", SupersededBy: "ADR-0004"}},
		{"madr3/0004-use-connect.md", Record{Number: 4, Title: "Use Connect between services", Status: StatusAccepted, StatusText: "accepted",
			Format: FormatFrontMatter, Date: "2023-04-13", Deciders: []string{"Jane Doe"}, Tags: []string{"api", "rpc"}}},
		{"madr3/0007-no-status.md", Record{Number: 7, Title: "Front matter without a status", Status: StatusUnknown, Format: FormatPlain, Date: "2023-07-16"}},
		{"nygard/0001-record-architecture-decisions.md", Record{Number: 1, Title: "1. Record architecture decisions", Status: StatusAccepted,
			StatusText: "Accepted", Format: FormatNygard, Date: "2016-02-12"}},
		{"nygard/0003-use-a-modular-monolith.md", Record{Number: 3, Title: "3. Use a modular monolith", Status: StatusAccepted,
			StatusText: "Accepted", Format: FormatNygard, Date: "2016-04-20"}},
		{"nygard/0004-proposed.md", Record{Number: 4, Title: "4. Split the billing service", Status: StatusProposed, StatusText: "Proposed", Format: FormatNygard}},
		{"nygard/0005-accepted-then-superseded.md", Record{Number: 5, Title: "5. Use REST", Status: StatusSuperseded,
			StatusText: "Superseded by [7. Use gRPC](0007-use-grpc.md)", Format: FormatNygard, Date: "2017-01-01", SupersededBy: "0007-use-grpc.md"}},
		{"edge/0001-empty.md", Record{Number: 1, Title: "0001-empty", Status: StatusUnknown, Format: FormatPlain}},
		{"edge/0004-code-fence.md", Record{Number: 4, Title: "The real title", Status: StatusAccepted, StatusText: "accepted", Format: FormatMADRList}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join(casesDir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Parse(tt.file, data)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.File = tt.file
			if d := gocmp.Diff(tt.want, got, cmpopts.IgnoreFields(Record{}, "Body")); d != "" {
				t.Errorf("Parse (-want +got):\n%s", d)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, data string
		line       int
		field      string
		tooLarge   bool
	}{
		{"broken yaml", "---\nstatus: accepted\n  date: 2024-01-01\n---\n# T\n", 3, "", false},
		{"not a mapping", "---\n- a\n- b\n---\n# T\n", 2, "", false},
		{"status a list", "---\ntitle: x\nstatus:\n  - accepted\n---\n# T\n", 4, "status", false},
		{"deciders a map", "---\ndeciders: {a: b}\n---\n# T\n", 2, "deciders", false},
		{"too many tags", "---\ntags: [" + strings.Repeat("a,", MaxNames) + "a]\n---\n", 2, "tags", false},
		{"long title", "# " + strings.Repeat("x", MaxTitle+1) + "\n", 1, "title", true},
		{"long title after front matter", "---\nstatus: accepted\n---\n\n# " + strings.Repeat("x", MaxTitle+1) + "\n", 5, "title", true},
		{"too large", strings.Repeat("x", MaxFileSize+1), 0, "", true},
		{"front matter too large", "---\nx: " + strings.Repeat("x", MaxFrontMatter) + "\n---\n", 2, "", true},
		{"not UTF-8", "# T\xff\n", 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse("0001-x.md", []byte(tt.data))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			if e.File != "0001-x.md" || e.Line != tt.line || e.Field != tt.field || errors.Is(err, ErrTooLarge) != tt.tooLarge {
				t.Errorf("error %q: want line %d, field %q, too large %v", err, tt.line, tt.field, tt.tooLarge)
			}
		})
	}
}

func TestNormalise(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		st   Status
		by   string
	}{
		{"", StatusUnknown, ""},
		{"Accepted", StatusAccepted, ""},
		{"accepted <!-- optional -->", StatusAccepted, ""},
		{"**Proposed**", StatusProposed, ""},
		{"draft", StatusProposed, ""},
		{"Rejected", StatusRejected, ""},
		{"deprecated in favour of nothing", StatusDeprecated, ""},
		{"Superseded by [ADR-0005](0005-x.md)", StatusSuperseded, "0005-x.md"},
		{"superseded by [5. X](<./0005 x.md>)", StatusSuperseded, "./0005"},
		{"superseded by ADR-12", StatusSuperseded, "ADR-0012"},
		{"Superseded by 7", StatusSuperseded, "ADR-0007"},
		{"superseded", StatusSuperseded, ""},
		{"supersededness", StatusUnknown, ""},
		{"in review", StatusUnknown, ""},
		{"42", StatusUnknown, ""},
	}
	for _, tt := range tests {
		st, by := normalise(tt.text)
		if st != tt.st || by != tt.by {
			t.Errorf("normalise(%q) = %q, %q; want %q, %q", tt.text, st, by, tt.st, tt.by)
		}
	}
}

func TestLink(t *testing.T) {
	t.Parallel()
	records := []Record{
		{File: "0001-a.md", Number: 1, SupersededBy: "0002-b.md"},
		{File: "0002-b.md", Number: 2, SupersededBy: "ADR-0003"},
		{File: "0003-c.md", Number: 3, SupersededBy: "./sub/0004-d.md#decision"},
		{File: "sub/0004-d.md", Number: 4, SupersededBy: "../0001-a.md"},
		{File: "0005-e.md", Number: 5, SupersededBy: "0099-missing.md"},
		{File: "0006-f.md", Number: 6, SupersededBy: "https://example.com/0001-a.md"},
		{File: "0007-g.md", Number: 7, SupersededBy: "ADR-0008"},
		{File: "0008-h.md", Number: 8},
		{File: "0008-h2.md", Number: 8},
		{File: "0009-i.md", Number: 9, SupersededBy: "0009-i.md"},
	}
	Link(records)
	want := []string{"0002-b.md", "0003-c.md", "sub/0004-d.md", "0001-a.md", "", "", "", "", "", ""}
	for i, r := range records {
		if r.Successor != want[i] {
			t.Errorf("%s: successor %q, want %q", r.File, r.Successor, want[i])
		}
	}
}
