package portal

import (
	"errors"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEntityQueryURL(t *testing.T) {
	t.Parallel()
	q := EntityQuery{Text: "pay", Facets: map[string][]string{"kind": {"api", "component"}, "tag": {"go"}}, Starred: true, Mine: true,
		HasErrors: true, Sort: "owner", Desc: true, Offset: 100, Limit: 100, Filters: map[string]string{"spec.type": "service"}}
	got, err := ParseEntityQuery(q.Values())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(q, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	// What the frontend's entitiesQuery writes for the same query.
	fromTS, _ := url.ParseQuery("text=pay&kind=api&kind=component&tag=go&starred=1&mine=1&errors=1&sort=owner&desc=1&offset=100&limit=100&filter=spec.type%3Dservice")
	if got, _ := ParseEntityQuery(fromTS); !cmp.Equal(q, got) {
		t.Errorf("the frontend's parameters read as %+v", got)
	}
	for _, bad := range []string{"limit=-1", "offset=x", "filter=novalue"} {
		p, _ := url.ParseQuery(bad)
		if _, err := ParseEntityQuery(p); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", bad, err)
		}
	}
}
