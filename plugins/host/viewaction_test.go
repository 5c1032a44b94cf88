package host

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/plugins/pluginv1"
)

// View actions with real plugin processes: only what a view offered runs,
// an answer's own actions can be pressed next, a plugin that serves none
// or crashes says so, and the others go on.
func TestViewAction(t *testing.T) {
	t.Parallel()
	program := build(t, "./testdata/misbehave")
	root := t.TempDir()
	for _, mode := range []string{"ok", "no-actions", "crash-action"} {
		install(t, root, mode, program, []string{mode}, "")
	}
	h := New(Options{Installed: root, Env: []string{"PATH=" + os.Getenv("PATH")}, Now: newClock().Now, ViewActionTimeout: 5 * time.Second})
	if err := h.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ctx := context.Background()
	e := component(t)
	call := func(plugin, id string, params map[string]string) ([]*pluginv1.Block, error) {
		return h.ViewAction(ctx, e, ViewActionCall{Plugin: plugin, ID: id, Parameters: params})
	}

	// Nothing was offered before the entity's content was asked for.
	if _, err := call("ok", "log", map[string]string{"lines": "2"}); !errors.Is(err, ErrNotOffered) {
		t.Fatalf("before any view: %v", err)
	}
	h.EntityContent(ctx, e)

	blocks, err := call("ok", "log", map[string]string{"lines": "2"})
	if err != nil || len(blocks) != 2 {
		t.Fatalf("log: %v, %v", blocks, err)
	}
	if got := strings.Join(blocks[0].GetLog().GetLines(), "|"); got != "[31mline 1[0m of payments|[31mline 2[0m of payments" {
		t.Errorf("log lines (escape characters dropped) = %q", got)
	}
	if s := blocks[0].GetLog().GetSections(); len(s) != 1 || s[0].GetTitle() != "[1mRun tests[0m" || strings.Join(s[0].GetLines(), "|") != "ok|bell " || !s[0].GetOpen() {
		t.Errorf("log section (escapes dropped) = %v", s)
	}
	// The answer's button may be pressed; the same with other parameters
	// may not.
	if blocks, err := call("ok", "log", map[string]string{"lines": "22"}); err != nil || len(blocks[0].GetLog().GetLines()) != 3 {
		t.Errorf("the answer's own action: %v, %v", blocks, err)
	}
	for _, forged := range []struct {
		id     string
		params map[string]string
	}{
		{"log", map[string]string{"lines": "999"}},
		{"log", map[string]string{"lines": "2", "extra": "x"}},
		{"log", nil},
		{"delete-everything", nil},
	} {
		if _, err := call("ok", forged.id, forged.params); !errors.Is(err, ErrNotOffered) {
			t.Errorf("forged %s %v: %v, want refused", forged.id, forged.params, err)
		}
	}
	// Offers are per entity.
	other := e
	other.JSON = []byte(`{"kind":"Component","metadata":{"name":"ledger"}}`)
	if _, err := h.ViewAction(ctx, other, ViewActionCall{Plugin: "ok", ID: "forget"}); !errors.Is(err, ErrNotOffered) {
		t.Errorf("an action offered for another entity: %v", err)
	}
	if blocks, err := call("ok", "forget", nil); err != nil || blocks[0].GetNotice().GetText() != "Forgot payments." {
		t.Errorf("forget: %v, %v", blocks, err)
	}

	if _, err := call("no-actions", "log", map[string]string{"lines": "2"}); !errors.Is(err, ErrNoViewActions) {
		t.Errorf("a plugin serving no view actions: %v", err)
	}
	_, err = call("crash-action", "log", map[string]string{"lines": "2"})
	var u *Unavailable
	if !errors.As(err, &u) || !strings.Contains(u.Reason, "panic: lost my mind in an action") {
		t.Errorf("a crashing action: %v", err)
	}
	if _, err := call("nope", "log", nil); !errors.Is(err, ErrUnknown) {
		t.Errorf("an unknown plugin: %v", err)
	}
	if blocks, err := call("ok", "log", map[string]string{"lines": "2"}); err != nil || len(blocks) != 2 {
		t.Errorf("after another plugin crashed: %v, %v", blocks, err)
	}
}

func TestCheckViewActions(t *testing.T) {
	t.Parallel()
	act := func(id, label string, params map[string]string) *pluginv1.ViewAction {
		return &pluginv1.ViewAction{Id: id, Label: label, Parameters: params}
	}
	buttons := func(a ...*pluginv1.ViewAction) *pluginv1.Block {
		return &pluginv1.Block{Kind: &pluginv1.Block_Actions{Actions: &pluginv1.ViewActions{Items: a}}}
	}
	logOf := func(l *pluginv1.ActionLog) *pluginv1.Block { return &pluginv1.Block{Kind: &pluginv1.Block_Log{Log: l}} }
	many := map[string]string{}
	for i := range 40 {
		many[strings.Repeat("k", i+1)] = "v"
	}
	tests := []struct {
		name  string
		block *pluginv1.Block
		want  string
	}{
		{"fine", buttons(act("logs", "Logs", map[string]string{"pod": "a"})), ""},
		{"no label", buttons(act("logs", "", nil)), `action "logs" has no label`},
		{"no id", buttons(act("", "Logs", nil)), "an action id of 1 to 200 bytes is needed"},
		{"many parameters", buttons(act("logs", "Logs", many)), "40 parameters, at most 32"},
		{"in a cell", &pluginv1.Block{Kind: &pluginv1.Block_Table{Table: &pluginv1.Table{Rows: []*pluginv1.Row{{Cells: []*pluginv1.Cell{{Text: "x", Action: act("x", "", nil)}}}}}}}, `action "x" has no label`},
		{"long log", &pluginv1.Block{Kind: &pluginv1.Block_Log{Log: &pluginv1.ActionLog{Lines: make([]string, maxLogLines+1)}}}, "a log of 10001 lines, at most 10000"},
		{"big log", &pluginv1.Block{Kind: &pluginv1.Block_Log{Log: &pluginv1.ActionLog{Lines: []string{strings.Repeat("x", maxLogBytes+1)}}}}, "a log of 1048577 bytes, at most 1048576"},
		{"sections", logOf(&pluginv1.ActionLog{Lines: []string{"a"}, Sections: []*pluginv1.LogSection{{Title: "Build", Lines: []string{"b", "c"}}}}), ""},
		{"long log in sections", logOf(&pluginv1.ActionLog{Lines: make([]string, 1), Sections: []*pluginv1.LogSection{{Lines: make([]string, maxLogLines/2)}, {Lines: make([]string, maxLogLines/2)}}}), "a log of 10001 lines, at most 10000"},
		{"big log in sections", logOf(&pluginv1.ActionLog{Lines: []string{strings.Repeat("x", maxLogBytes/2)}, Sections: []*pluginv1.LogSection{{Lines: []string{strings.Repeat("x", maxLogBytes/2+1)}}}}), "a log of 1048577 bytes, at most 1048576"},
		{"many sections", logOf(&pluginv1.ActionLog{Sections: make([]*pluginv1.LogSection, maxLogSections+1)}), "a log of 1001 sections, at most 1000"},
		{"long section title", logOf(&pluginv1.ActionLog{Sections: []*pluginv1.LogSection{{Title: strings.Repeat("t", maxSectionTitle+1)}}}), "a log section title or duration over 1024 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkBlocks("answer", []*pluginv1.Block{tt.block}, maxActionBlocks)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if tt.want == "" && got != "" || tt.want != "" && !strings.HasSuffix(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// A follow offers its next call in every answer. Hours of it must not
// fill the entity's offers: the oldest answers' offers go, the newest
// and the views' own buttons stay.
func TestOffersOfALongFollow(t *testing.T) {
	o := newOffers()
	key := offerKey("k8s", []byte(`{"kind":"Component","metadata":{"name":"payments"}}`))
	follow := func(i int) *pluginv1.ViewAction {
		return &pluginv1.ViewAction{Id: "logs", Parameters: map[string]string{"since": strconv.Itoa(i)}}
	}
	log := func(i int) []*pluginv1.Block {
		return []*pluginv1.Block{{Kind: &pluginv1.Block_Log{Log: &pluginv1.ActionLog{Follow: follow(i)}}}}
	}
	o.set(key, nil, []*pluginv1.View{{Actions: []*pluginv1.ViewAction{{Id: "refresh"}}, Blocks: log(0)}}, true)
	for i := 1; i <= 3*maxOffered; i++ {
		if !o.offered(key, "logs", follow(i-1).GetParameters()) {
			t.Fatalf("answer %d: its follow was not offered", i)
		}
		o.set(key, log(i), nil, false)
	}
	for _, tt := range []struct {
		what   string
		id     string
		params map[string]string
		want   bool
	}{
		{"the view's button", "refresh", nil, true},
		{"the view's own follow", "logs", follow(0).GetParameters(), true},
		{"the newest answer's follow", "logs", follow(3 * maxOffered).GetParameters(), true},
		{"the oldest kept", "logs", follow(2*maxOffered + 1).GetParameters(), true},
		{"one forgotten", "logs", follow(2 * maxOffered).GetParameters(), false},
		{"never offered", "logs", follow(-1).GetParameters(), false},
	} {
		if got := o.offered(key, tt.id, tt.params); got != tt.want {
			t.Errorf("%s: offered = %v, want %v", tt.what, got, tt.want)
		}
	}
	o.set(key, nil, []*pluginv1.View{{Actions: []*pluginv1.ViewAction{{Id: "refresh"}}}}, true)
	if o.offered(key, "logs", follow(3*maxOffered).GetParameters()) {
		t.Error("new views keep the answers' offers of the old ones")
	}
}
