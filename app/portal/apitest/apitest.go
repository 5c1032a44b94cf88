package apitest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/app/events"
	"github.com/callboard/callboard/app/instance"
	"github.com/callboard/callboard/app/portal"
)

// Fixture is one portal instance on a fresh data dir, reached the way a
// run site tests it.
type Fixture struct {
	// API is the implementation under test.
	API portal.API
	// Events subscribes to the instance's events as a front end receives
	// them: every event published after it returns, until the test ends.
	Events func(t *testing.T) <-chan Event
	// Settle waits for what the instance does in the background after a
	// change (the search index), so a read that follows sees all of it.
	Settle func(t *testing.T)
	// Wire says results crossed a transport as JSON: every list and map
	// must arrive as [] or {}, never null.
	Wire bool
}

// Event is one event as a front end receives it: its name and payload.
type Event struct {
	Name string
	Data json.RawMessage
}

// Opener opens an instance on data dir root, which the suite may have
// prepared (plugins), and closes it when t ends.
type Opener func(t *testing.T, root string) Fixture

// Version is the version Open gives the instance, for Info to report.
const Version = "apitest"

// Open opens a local instance on root as the app does, quiet and blind
// to the environment (no tokens, no keyring), and the fixture calling its
// Service directly. Both are closed when t ends.
func Open(t *testing.T, root string) (*instance.Local, Fixture) {
	t.Helper()
	l, err := instance.Open(context.Background(), instance.Config{Root: root, Mode: "serve", Version: Version,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("close the instance: %v", err)
		}
	})
	// As serve does: the notification centre fills from the bus.
	if err := l.Service.WatchNotifications(nil); err != nil {
		t.Fatal(err)
	}
	settle := func(t *testing.T) {
		t.Helper()
		if err := l.Service.RefreshListing(t.Context()); err != nil {
			t.Fatal(err)
		}
		l.Service.WaitForSearch()
	}
	return l, Fixture{API: l.Service, Events: BusEvents(l.Bus), Settle: settle}
}

// BusEvents subscribes to bus, with each payload as JSON, as a transport
// would send it.
func BusEvents(bus *events.Bus) func(t *testing.T) <-chan Event {
	return func(t *testing.T) <-chan Event {
		in, cancel := bus.Subscribe()
		// The bus drops events for a subscriber that falls behind: this one
		// moves them at once into a buffer the test reads at its own pace.
		out := make(chan Event, 4096)
		done, exited := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(exited)
			for {
				select {
				case <-done:
					return
				case ev := <-in:
					data, err := json.Marshal(ev.Data)
					if err != nil {
						t.Errorf("event %s: encode its payload: %v", ev.Name, err)
						continue
					}
					select {
					case out <- Event{Name: ev.Name, Data: data}:
					case <-done:
						return
					}
				}
			}
		}()
		t.Cleanup(func() { cancel(); close(done); <-exited })
		return out
	}
}

// cases holds the suite: one test per method of portal.API, by name.
// Coverage fails the suite for a method without one.
var cases = map[string]func(t *testing.T, s *suite){
	"Info":                   testInfo,
	"ListEntities":           testListEntities,
	"GetEntity":              testGetEntity,
	"ListLocations":          testListLocations,
	"AddLocation":            testAddLocation,
	"PreviewImport":          testPreviewImport,
	"ValidateEntityYAML":     testValidateEntityYAML,
	"Import":                 testImport,
	"RemoveLocation":         testRemoveLocation,
	"OrgRepos":               testOrgRepos,
	"UpdateOrg":              testUpdateOrg,
	"Settings":               testSettings,
	"UpdateSettings":         testUpdateSettings,
	"PatchSettings":          testPatchSettings,
	"CredentialSources":      testCredentialSources,
	"Subscribe":              testSubscribe,
	"Sync":                   testSync,
	"ReadFile":               testReadFile,
	"WriteFile":              testWriteFile,
	"Outbox":                 testOutbox,
	"ResolveConflict":        testResolveConflict,
	"UserState":              testUserState,
	"Open":                   testOpen,
	"SetStar":                testSetStar,
	"Visit":                  testVisit,
	"Graph":                  testGraph,
	"History":                testHistory,
	"DeepenHistory":          testDeepenHistory,
	"InspectEntity":          testInspectEntity,
	"Search":                 testSearch,
	"ListDocs":               testListDocs,
	"Docs":                   testDocs,
	"DocsPage":               testDocsPage,
	"OpenDocsPreview":        testOpenDocsPreview,
	"DocsPreview":            testDocsPreview,
	"DocsPreviewPage":        testDocsPreviewPage,
	"CloseDocsPreview":       testCloseDocsPreview,
	"Template":               testTemplate,
	"Scaffold":               testScaffold,
	"ScaffoldRuns":           testScaffoldRuns,
	"ScaffoldRun":            testScaffoldRun,
	"RunHistory":             testRunHistory,
	"ScaffoldActions":        testScaffoldActions,
	"TemplateExtensions":     testTemplateExtensions,
	"EvaluateTemplate":       testEvaluateTemplate,
	"CancelScaffold":         testCancelScaffold,
	"OpenWorkbench":          testOpenWorkbench,
	"Workbench":              testWorkbench,
	"WorkbenchDryRun":        testWorkbenchDryRun,
	"CloseWorkbench":         testCloseWorkbench,
	"Plugins":                testPlugins,
	"SetPlugin":              testSetPlugin,
	"PluginLog":              testPluginLog,
	"Problems":               testProblems,
	"Scorecards":             testScorecards,
	"Scorecard":              testScorecard,
	"EntityScorecards":       testEntityScorecards,
	"GroupScorecards":        testGroupScorecards,
	"EntityPlugins":          testEntityPlugins,
	"RunViewAction":          testRunViewAction,
	"ReportFrontendError":    testReportFrontendError,
	"RemoveDemo":             testRemoveDemo,
	"RestoreDemo":            testRestoreDemo,
	"Updates":                testUpdates,
	"CheckUpdates":           testCheckUpdates,
	"TemplateUpdates":        testTemplateUpdates,
	"EntityTemplateUpdate":   testEntityTemplateUpdate,
	"PreviewTemplateUpdate":  testPreviewTemplateUpdate,
	"ApplyTemplateUpdate":    testApplyTemplateUpdate,
	"PushTemplateUpdate":     testPushTemplateUpdate,
	"TemplateUpdatePushes":   testTemplateUpdatePushes,
	"UnregisterEntity":       testUnregisterEntity,
	"Notifications":          testNotifications,
	"SetNotifications":       testSetNotifications,
	"ListNotifications":      testListNotifications,
	"ReadNotifications":      testReadNotifications,
	"ClearNotifications":     testClearNotifications,
	"SettleReview":           testSettleReview,
	"SetReviewMode":          testSetReviewMode,
	"EntityScorecardHistory": testEntityScorecardHistory,
	"Questions":              testQuestions,
	"Question":               testQuestion,
	"AskQuestion":            testAskQuestion,
	"AnswerQuestion":         testAnswerQuestion,
	"VoteQuestion":           testVoteQuestion,
	"AcceptAnswer":           testAcceptAnswer,
	"EntityDecisions":        testEntityDecisions,
	"Decision":               testDecision,
	"PluginPages":            testPluginPages,
	"PluginPage":             testPluginPage,
	"HomeCards":              testHomeCards,
	"EntityActions":          testEntityActions,
	"RunEntityAction":        testRunEntityAction,
}

// Coverage compares the suite with portal.API: missing are methods with
// no case, extra are cases for no method.
func Coverage() (missing, extra []string) {
	api := reflect.TypeFor[portal.API]()
	methods := map[string]bool{}
	for i := range api.NumMethod() {
		name := api.Method(i).Name
		methods[name] = true
		if cases[name] == nil {
			missing = append(missing, name)
		}
	}
	for name := range cases {
		if !methods[name] {
			extra = append(extra, name)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	return missing, extra
}

// Run runs the suite against the instances open returns: one subtest per
// method of portal.API, in parallel, each on its own instance unless it
// only reads.
func Run(t *testing.T, open Opener) {
	missing, extra := Coverage()
	if len(missing) > 0 {
		t.Fatalf("portal.API methods without a case in apitest: %s (add them to cases)", strings.Join(missing, ", "))
	}
	if len(extra) > 0 {
		t.Fatalf("apitest cases for no portal.API method: %s", strings.Join(extra, ", "))
	}
	s := &suite{open: open}
	s.shared = s.org(t)
	names := make([]string, 0, len(cases))
	for name := range cases {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cases[name](t, s)
		})
	}
}

// suite is what the cases share.
type suite struct {
	open Opener
	// shared is the test organisation, synced once, for cases that only
	// read; a case that changes anything opens its own.
	shared *org
}

// fresh is a new instance with nothing but the demo organisation
// registered (not synced).
func (s *suite) fresh(t *testing.T) Fixture {
	t.Helper()
	return s.open(t, t.TempDir())
}

// wantErr fails unless err wraps target (nil: unless err is nil).
func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	switch {
	case target == nil && err != nil:
		t.Errorf("%s: %v", what, err)
	case target != nil && !errors.Is(err, target):
		t.Errorf("%s = %v, want an error wrapping %q", what, err, target)
	}
}

// must fails the test now on an error.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// lists checks, on a transport, that every list and map in v arrived as
// one: a JSON null would reach the front end as null, not [] or {}.
func lists(t *testing.T, f Fixture, what string, v any) {
	t.Helper()
	if !f.Wire {
		return
	}
	for _, p := range nullLists(reflect.ValueOf(v), what) {
		t.Errorf("%s is null on the wire, want [] or {}", p)
	}
}

var rawMessage = reflect.TypeFor[json.RawMessage]()

// nullLists names the lists and maps under v that encode as JSON null:
// nil and not omitted when empty (a front end would read null for [] or {}).
func nullLists(v reflect.Value, path string) []string {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return nullLists(v.Elem(), path)
	case reflect.Slice:
		if v.Type() == rawMessage {
			if v.IsNil() || string(v.Bytes()) == "null" {
				return []string{path}
			}
			return nil
		}
		if v.IsNil() {
			return []string{path}
		}
		var out []string
		for i := range v.Len() {
			out = append(out, nullLists(v.Index(i), fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return []string{path}
		}
		var out []string
		for it := v.MapRange(); it.Next(); {
			out = append(out, nullLists(it.Value(), fmt.Sprintf("%s[%v]", path, it.Key()))...)
		}
		return out
	case reflect.Struct:
		var out []string
		for i := range v.NumField() {
			sf := v.Type().Field(i)
			if !sf.IsExported() {
				continue
			}
			name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			fv := v.Field(i)
			omitted := strings.Contains(opts, "omitempty") && (fv.Kind() == reflect.Slice || fv.Kind() == reflect.Map) && fv.Len() == 0
			if omitted || fv.Kind() == reflect.Map && fv.Type().Elem().Kind() == reflect.Interface {
				continue // absent when empty; or a document as written, where null is data
			}
			if sf.Anonymous && fv.Kind() == reflect.Struct {
				out = append(out, nullLists(fv, path)...)
				continue
			}
			out = append(out, nullLists(fv, path+"."+name)...)
		}
		return out
	}
	return nil
}

// await reads events until one named name satisfies match (nil: any),
// and fails the test when none comes.
func await(t *testing.T, evs <-chan Event, name string, match func(json.RawMessage) bool) Event {
	t.Helper()
	// A failure guard, not a pace: the event is due as soon as the call that
	// causes it has returned.
	limit := time.NewTimer(time.Minute)
	defer limit.Stop()
	var seen []string
	for {
		select {
		case ev := <-evs:
			if ev.Name == name && (match == nil || match(ev.Data)) {
				return ev
			}
			seen = append(seen, ev.Name+" "+string(ev.Data))
		case <-limit.C:
			t.Fatalf("no %s event came; saw:\n%s", name, strings.Join(seen, "\n"))
		}
	}
}

// payload decodes an event's data into T.
func payload[T any](t *testing.T, ev Event) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(ev.Data, &v); err != nil {
		t.Fatalf("%s event: %s: %v", ev.Name, ev.Data, err)
	}
	return v
}
