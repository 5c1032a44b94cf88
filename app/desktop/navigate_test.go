package desktop

import "testing"

func TestRoutes(t *testing.T) {
	t.Parallel()
	closed := func(r *request) bool {
		select {
		case <-r.done:
			return true
		default:
			return false
		}
	}
	var rs routes
	if got := rs.take(); got != "" {
		t.Fatalf("take with nothing asked = %q, want \"\"", got)
	}

	first := rs.set("/catalog/component/default/a")
	second := rs.set("/docs/component/default/b")
	if !closed(first) || rs.wasShown(first) {
		t.Errorf("a replaced route: done %v, shown %v; want done, not shown", closed(first), rs.wasShown(first))
	}
	if closed(second) {
		t.Fatal("the pending route is done before the page took it")
	}
	if got := rs.take(); got != "/docs/component/default/b" {
		t.Errorf("take = %q, want the latest route", got)
	}
	if !closed(second) || !rs.wasShown(second) {
		t.Errorf("a taken route: done %v, shown %v; want both", closed(second), rs.wasShown(second))
	}
	if got := rs.take(); got != "" {
		t.Errorf("a second take = %q, want \"\": each route is shown once", got)
	}
	third := rs.set("/")
	if closed(third) {
		t.Error("a route asked after a take is done before the page took it")
	}
}
