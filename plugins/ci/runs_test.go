package ci

import (
	"testing"
	"time"

	"github.com/callboard/callboard/plugins/pluginv1"
)

func TestRunStatus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status, conclusion string
		text               string
		want               pluginv1.Status
	}{
		{"completed", "success", "success", pluginv1.Status_STATUS_OK},
		{"completed", "failure", "failure", pluginv1.Status_STATUS_ERROR},
		{"completed", "timed_out", "timed out", pluginv1.Status_STATUS_ERROR},
		{"completed", "cancelled", "cancelled", pluginv1.Status_STATUS_ERROR},
		{"completed", "startup_failure", "startup failure", pluginv1.Status_STATUS_ERROR},
		{"completed", "skipped", "skipped", pluginv1.Status_STATUS_WARNING},
		{"completed", "neutral", "neutral", pluginv1.Status_STATUS_WARNING},
		{"completed", "action_required", "action required", pluginv1.Status_STATUS_WARNING},
		{"completed", "", "completed", pluginv1.Status_STATUS_WARNING},
		{"in_progress", "", "in progress", pluginv1.Status_STATUS_PENDING},
		{"queued", "", "queued", pluginv1.Status_STATUS_PENDING},
		{"waiting", "", "waiting", pluginv1.Status_STATUS_PENDING},
		{"", "", "unknown", pluginv1.Status_STATUS_WARNING},
	} {
		text, got := runStatus(run{Status: tc.status, Conclusion: tc.conclusion})
		if text != tc.text || got != tc.want {
			t.Errorf("runStatus(%q, %q) = %q, %v; want %q, %v", tc.status, tc.conclusion, text, got, tc.text, tc.want)
		}
	}
}

func TestParseSlug(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		slug, owner, repo string
		ok                bool
	}{
		{"acme/payments", "acme", "payments", true},
		{" acme/pay.ments-v2_x ", "acme", "pay.ments-v2_x", true},
		{"acme/payments.git", "acme", "payments", true},
		{"acme", "", "", false},
		{"acme/", "", "", false},
		{"/payments", "", "", false},
		{"acme/payments/extra", "", "", false},
		{"../etc", "", "", false},
		{"acme/..", "", "", false},
		{"acme/pay ments", "", "", false},
		{"acme/pay%2Fments", "", "", false},
	} {
		owner, repo, ok := parseSlug(tc.slug)
		if owner != tc.owner || repo != tc.repo || ok != tc.ok {
			t.Errorf("parseSlug(%q) = %q, %q, %v; want %q, %q, %v", tc.slug, owner, repo, ok, tc.owner, tc.repo, tc.ok)
		}
	}
}

func TestDurationAndAge(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		r    run
		want string
	}{
		{run{Status: "completed", StartedAt: t0, UpdatedAt: t0.Add(42 * time.Second)}, "42s"},
		{run{Status: "completed", StartedAt: t0, UpdatedAt: t0.Add(4*time.Minute + 5*time.Second)}, "4m 05s"},
		{run{Status: "completed", StartedAt: t0, UpdatedAt: t0.Add(6 * time.Hour)}, "6h 00m"},
		{run{Status: "completed", CreatedAt: t0, UpdatedAt: t0.Add(time.Second)}, "1s"},
		{run{Status: "in_progress", StartedAt: t0, UpdatedAt: t0.Add(time.Minute)}, ""},
		{run{Status: "completed", StartedAt: t0, UpdatedAt: t0.Add(-time.Minute)}, ""},
	} {
		if got := duration(tc.r); got != tc.want {
			t.Errorf("duration(%+v) = %q, want %q", tc.r, got, tc.want)
		}
	}
	for d, want := range map[time.Duration]string{
		-time.Second:                 "0s",
		40 * time.Second:             "40s",
		12*time.Minute + time.Second: "12m",
		3*time.Hour + 25*time.Minute: "3h 25m",
		52 * time.Hour:               "2d 4h",
	} {
		if got := age(d); got != want {
			t.Errorf("age(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestWebBase(t *testing.T) {
	t.Parallel()
	for api, want := range map[string]string{
		"https://api.github.com":         "https://github.com/acme/payments",
		"https://ghe.acme.test/api/v3":   "https://ghe.acme.test/acme/payments",
		"https://ghe.acme.test/api/v3/":  "https://ghe.acme.test/acme/payments",
		"http://127.0.0.1:8080":          "",
		"https://api.github.com/proxied": "",
	} {
		if got := webBase(api, "acme", "payments"); got != want {
			t.Errorf("webBase(%q) = %q, want %q", api, got, want)
		}
	}
}
