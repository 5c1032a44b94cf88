package kubernetes

import (
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSettingsLists(t *testing.T) {
	t.Parallel()
	kinds, err := customKinds(" argoproj.io/v1alpha1/rollouts,, cert-manager.io/v1/certificates ")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range kinds {
		got = append(got, k.gv.String()+" "+k.resource+" "+k.title)
	}
	want := []string{"argoproj.io/v1alpha1 rollouts rollouts (argoproj.io)", "cert-manager.io/v1 certificates certificates (cert-manager.io)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("custom kinds (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"rollouts", "a/b", "a/b/c/d", "/v1/x", "a/v1/x?watch=1", "a/v1/x y"} {
		if _, err := customKinds(bad); err == nil {
			t.Errorf("customKinds(%q) took it", bad)
		}
	}
	links := dashboards("kind-prod=https://dash.acme.example/prod, staging = http://dash.local:8001/ui ,evil=javascript:alert(1),nohost=https://,junk")
	if diff := cmp.Diff(map[string]string{"kind-prod": "https://dash.acme.example/prod", "staging": "http://dash.local:8001/ui"}, links); diff != "" {
		t.Errorf("dashboards (-want +got):\n%s", diff)
	}
}

// Whatever the settings say, the custom kinds are paths of three clean
// segments and the dashboards web addresses.
func FuzzSettings(f *testing.F) {
	f.Add("argoproj.io/v1alpha1/rollouts, cert-manager.io/v1/certificates", "kind-prod=https://dash.acme.example/prod,x=javascript:alert(1)")
	f.Fuzz(func(t *testing.T, custom, dash string) {
		kinds, err := customKinds(custom)
		if err == nil {
			for _, k := range kinds {
				for _, part := range []string{k.gv.Group, k.gv.Version, k.resource} {
					if part == "" || strings.ContainsAny(part, "/?#% ") {
						t.Errorf("custom kind part %q of %q", part, custom)
					}
				}
			}
		}
		for name, link := range dashboards(dash) {
			u, err := url.Parse(link)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				t.Errorf("dashboard %s = %q", name, link)
			}
		}
	})
}
