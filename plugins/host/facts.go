package host

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/callboard/callboard/plugins/pluginv1"
)

// PointFacts is the extension point of plugins that report facts.
const PointFacts = "facts"

// Limits on what a plugin may report for one entity: facts are kept in
// the store for every entity, so each answer is small and bounded.
const (
	MaxFacts          = 100
	MaxFactName       = 100
	MaxFactValue      = 4 << 10
	maxFactDescriptor = 500
)

// FactType is the type of a fact's value.
type FactType string

// The types a fact's value may have.
const (
	FactNumber FactType = "number"
	FactText   FactType = "text"
	FactFlag   FactType = "flag"
	// FactTime values are RFC 3339 strings in UTC.
	FactTime FactType = "time"
)

// Fact is one value a plugin reported about an entity.
type Fact struct {
	Name string
	Type FactType
	// Value is a float64, a string (text and time) or a bool.
	Value any
	// AsOf is when the value was true when the plugin said so (zero: when
	// it was reported).
	AsOf        time.Time
	Description string
}

// FactsReport is what one plugin reported for an entity, or why it could
// not.
type FactsReport struct {
	Plugin string
	Facts  []Fact
	Err    error
}

var validFactName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

// Facts asks every enabled plugin that lists the facts extension point
// and announced facts when it started, in parallel, for the facts of e;
// the answers come in plugin order. A plugin that answers Unimplemented
// (an older build) reports nothing and is left out; one that fails or
// returns facts beyond the limits gives a report with Err.
func (h *Host) Facts(ctx context.Context, e Entity) []FactsReport {
	plugins := h.serving(ctx, PointFacts)
	out := make([]FactsReport, len(plugins))
	served := make([]bool, len(plugins))
	var wg sync.WaitGroup
	for i, s := range plugins {
		wg.Go(func() {
			out[i] = FactsReport{Plugin: s.p.man.Name}
			served[i], out[i].Facts, out[i].Err = h.facts(ctx, s, e)
		})
	}
	wg.Wait()
	kept := out[:0]
	for i, r := range out {
		if served[i] || r.Err != nil {
			kept = append(kept, r)
		}
	}
	return kept
}

// facts asks one plugin; served is false when it reports no facts.
func (h *Host) facts(ctx context.Context, s served, e Entity) (served bool, facts []Fact, err error) {
	if _, err := s.p.ready(ctx); err != nil {
		return false, nil, err
	}
	if len(s.p.info().Described.GetFacts()) == 0 {
		return false, nil, nil
	}
	var resp *pluginv1.FactsResponse
	unimplemented := false
	err = s.p.call(ctx, func(ctx context.Context, c pluginv1.PluginClient) error {
		var err error
		resp, err = c.Facts(ctx, &pluginv1.FactsRequest{
			EntityJson: string(e.JSON), ClonePath: e.Clone, Commit: e.Commit, EntityFile: e.File,
			Config: s.st.Config, Secrets: s.st.Secrets,
		})
		if status.Code(err) == codes.Unimplemented {
			unimplemented = true
			return nil
		}
		return err
	})
	if err != nil || unimplemented {
		return !unimplemented, nil, err
	}
	facts, err = readFacts(resp.GetFacts())
	if err != nil {
		return true, nil, &Unavailable{s.p.man.Name, "it returned facts Callboard cannot keep: " + err.Error()}
	}
	return true, facts, nil
}

// readFacts checks a plugin's facts against the limits and reads their
// values.
func readFacts(in []*pluginv1.Fact) ([]Fact, error) {
	if len(in) > MaxFacts {
		return nil, fmt.Errorf("%d facts, at most %d", len(in), MaxFacts)
	}
	out := make([]Fact, 0, len(in))
	seen := map[string]bool{}
	for i, f := range in {
		name := f.GetName()
		if len(name) > MaxFactName || !validFactName.MatchString(name) {
			return nil, fmt.Errorf("fact %d: the name %.100q is not a letter followed by at most %d letters, digits, '_' or '-'", i+1, name, MaxFactName-1)
		}
		if seen[name] {
			return nil, fmt.Errorf("two facts are named %s", name)
		}
		seen[name] = true
		fact, err := readFact(f)
		if err != nil {
			return nil, fmt.Errorf("fact %s: %w", name, err)
		}
		out = append(out, fact)
	}
	return out, nil
}

func readFact(f *pluginv1.Fact) (Fact, error) {
	fact := Fact{Name: f.GetName(), Description: clip(f.GetDescription(), maxFactDescriptor)}
	switch v := f.GetValue().(type) {
	case *pluginv1.Fact_Number:
		if math.IsNaN(v.Number) || math.IsInf(v.Number, 0) {
			return fact, errors.New("not a finite number")
		}
		fact.Type, fact.Value = FactNumber, v.Number
	case *pluginv1.Fact_Text:
		if len(v.Text) > MaxFactValue {
			return fact, fmt.Errorf("%d bytes of text, at most %d", len(v.Text), MaxFactValue)
		}
		fact.Type, fact.Value = FactText, v.Text
	case *pluginv1.Fact_Flag:
		fact.Type, fact.Value = FactFlag, v.Flag
	case *pluginv1.Fact_Time:
		t, err := time.Parse(time.RFC3339, v.Time)
		if err != nil {
			return fact, fmt.Errorf("the time %.40q is not RFC 3339", v.Time)
		}
		fact.Type, fact.Value = FactTime, t.UTC().Format(time.RFC3339)
	default:
		return fact, errors.New("no value, or a value of a type this Callboard does not know")
	}
	if f.GetAsOf() != "" {
		t, err := time.Parse(time.RFC3339, f.GetAsOf())
		if err != nil {
			return fact, fmt.Errorf("as_of %.40q is not RFC 3339", f.GetAsOf())
		}
		fact.AsOf = t.UTC()
	}
	return fact, nil
}

// FactSpecs are the facts each enabled plugin announced when it last
// started, by plugin. Scorecards ask on every evaluation, so it starts no
// plugin and reads no secret: complete is false when an enabled plugin
// listing the facts point has not described itself yet, so what it
// provides is not known.
func (h *Host) FactSpecs(ctx context.Context) (specs map[string][]*pluginv1.FactSpec, complete bool) {
	specs, complete = map[string][]*pluginv1.FactSpec{}, true
	for _, p := range h.all() {
		if !slices.Contains(p.man.ExtensionPoints, PointFacts) {
			continue
		}
		if h.opts.Settings != nil {
			if st, err := h.opts.Settings(ctx, p.man.Name, nil); err != nil || !st.Enabled {
				continue
			}
		}
		info := p.info()
		if info.Described == nil {
			complete = complete && info.State == Broken
			continue
		}
		if got := info.Described.GetFacts(); len(got) > 0 {
			specs[p.man.Name] = got
		}
	}
	return specs, complete
}
