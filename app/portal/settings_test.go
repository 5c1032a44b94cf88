package portal

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPatchSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newService(t)
	base := Settings{SyncIntervalMinutes: 30, UserRef: "user:default/ada", Toolkit: []Link{{Title: "Docs", URL: "https://docs.example/"}},
		Editor: "code -g", Terminal: "kitty", TrustedGitHosts: []string{"github.com"}, DocsImageHosts: []string{"img.example"}}
	if _, err := s.UpdateSettings(ctx, base); err != nil {
		t.Fatal(err)
	}
	ptr := func(s string) *string { return &s }
	none := []string{}
	tests := []struct {
		name  string
		patch SettingsPatch
		want  func(*Settings)
	}{
		{"nothing", SettingsPatch{}, func(*Settings) {}},
		{"one field", SettingsPatch{Editor: ptr(" subl -n ")}, func(s *Settings) { s.Editor = "subl -n" }},
		{"a field cleared", SettingsPatch{UserRef: ptr("")}, func(s *Settings) { s.UserRef = "" }},
		{"a list cleared", SettingsPatch{TrustedGitHosts: &none}, func(s *Settings) { s.TrustedGitHosts = []string{} }},
		{"a list replaced", SettingsPatch{Toolkit: &[]Link{{URL: "https://ci.example/x"}}}, func(s *Settings) { s.Toolkit = []Link{{Title: "ci.example", URL: "https://ci.example/x"}} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.UpdateSettings(ctx, base); err != nil {
				t.Fatal(err)
			}
			got, err := s.PatchSettings(ctx, tt.patch)
			if err != nil {
				t.Fatal(err)
			}
			want := base
			tt.want(&want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}

	// A patch with one bad field changes nothing, not even its good fields.
	if _, err := s.UpdateSettings(ctx, base); err != nil {
		t.Fatal(err)
	}
	interval := 0
	if _, err := s.PatchSettings(ctx, SettingsPatch{Editor: ptr("vim"), SyncIntervalMinutes: &interval}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a bad interval: %v, want ErrInvalid", err)
	}
	if got, _ := s.Settings(ctx); got.Editor != base.Editor {
		t.Errorf("a refused patch changed the editor to %q", got.Editor)
	}

	// Two cards (or windows) that read the settings, then each save their
	// own field, both keep their change.
	minutes, hosts := 10, []string{"git.example"}
	if _, err := s.PatchSettings(ctx, SettingsPatch{SyncIntervalMinutes: &minutes}); err != nil {
		t.Fatal(err)
	}
	got, err := s.PatchSettings(ctx, SettingsPatch{TrustedGitHosts: &hosts})
	if err != nil {
		t.Fatal(err)
	}
	if got.SyncIntervalMinutes != 10 || !slices.Equal(got.TrustedGitHosts, hosts) || got.Editor != base.Editor {
		t.Errorf("after two patches: %+v", got)
	}
}
