package portal

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// A button of a real plugin's view, pressed through the portal: its
// blocks come back as protojson; a forged one is refused.
func TestRunViewAction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	installFixture(t, dir, "ok")
	s := demoService(t, withPlugins(t, dir, &mapSecrets{m: map[string]string{}}))
	const ref = "component:default/booking-service"
	call := PluginActionCall{Plugin: "ok", Action: "log", Parameters: map[string]string{"lines": "2"}}
	if _, err := s.RunViewAction(ctx, ref, call); !errors.Is(err, ErrInvalid) {
		t.Errorf("before the view was shown: %v", err)
	}
	got, err := s.EntityPlugins(ctx, ref)
	if err != nil || len(got) != 1 || !strings.Contains(string(got[0].Views[0]), `"id":"log"`) {
		t.Fatalf("entity plugins: %+v, %v", got, err)
	}
	res, err := s.RunViewAction(ctx, ref, call)
	if err != nil || res.Error != "" || len(res.Blocks) != 2 || !strings.Contains(string(res.Blocks[0]), `"lines":["[31mline 1[0m of booking-service"`) {
		t.Fatalf("log: %+v, %v", res, err)
	}
	call.Parameters["lines"] = "7"
	if _, err := s.RunViewAction(ctx, ref, call); !errors.Is(err, ErrInvalid) {
		t.Errorf("forged parameters: %v", err)
	}
	if _, err := s.RunViewAction(ctx, "component:default/nope", call); !errors.Is(err, ErrNotFound) {
		t.Errorf("an unknown entity: %v", err)
	}
}
