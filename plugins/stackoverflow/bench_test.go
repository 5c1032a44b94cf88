package stackoverflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callboard/callboard/app/search"
	"github.com/callboard/callboard/internal/procstat"
	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// benchWords are the technical words of the benchmark's questions: each
// question is about one of them (its title and first tag); the rest of
// their words are drawn from a vocabulary of 5,000, the common ones often
// (Zipf), as in any text.
var benchWords = strings.Fields(`kubernetes pod deployment helm chart ingress nginx docker image build cache layer golang goroutine channel
	context deadline timeout postgres index query transaction deadlock migration kafka consumer offset partition redis cluster
	terraform module state backend grpc stream protobuf tls certificate handshake oauth token refresh jwt react hook state
	effect webpack vite typescript generic interface error wrap panic recover memory leak profile pprof benchmark latency`)

// benchVocabulary is 5,000 words: made-up ones, with benchWords among
// them from rank 50 on, so that no technical word is as common as "the".
func benchVocabulary() []string {
	syllables := strings.Fields("ka lo mi nu pe ra si to va ze bri cho dan fel gor hin jus kem lar mor")
	var vocab []string
	for i := 0; len(vocab) < 5000-len(benchWords); i++ {
		vocab = append(vocab, syllables[i%len(syllables)]+syllables[(i/len(syllables))%len(syllables)]+syllables[(i/400)%len(syllables)])
	}
	for i, w := range benchWords {
		at := 50 + i*50
		vocab = slices.Insert(vocab, at, w)
	}
	return vocab
}

// benchQuestions are n questions of realistic shape, seeded.
func benchQuestions(n int) []question {
	r := rand.New(rand.NewPCG(25, 10000))
	vocab := benchVocabulary()
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1))
	words := func(k int) string {
		out := make([]string, k)
		for i := range out {
			out[i] = vocab[int(zipf.Uint64())]
		}
		return strings.Join(out, " ")
	}
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	qs := make([]question, n)
	for i := range qs {
		id := int64(70000000 + i)
		tag := benchWords[r.IntN(len(benchWords))]
		qs[i] = question{ID: id, Title: "How do I " + tag + " " + words(6) + "?", Excerpt: excerpt(words(120), maxExcerpt),
			URL: fmt.Sprintf("https://stackoverflow.com/questions/%d", id), Tags: []string{tag, benchWords[r.IntN(len(benchWords))]},
			Score: r.IntN(50), Answers: r.IntN(5), Answered: r.IntN(2) == 0, ActivityAt: at.Add(-time.Duration(i) * time.Minute)}
	}
	return qs
}

// noNetwork fails any request: the benchmark's cache is fresh.
type noNetwork struct{}

func (noNetwork) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("the benchmark asked the network")
}

// BenchmarkSearch is 10,000 cached questions in search: the plugin's
// answer from its cache on disk (what the portal asks on each refresh),
// indexing them as the portal does (type plugin, replaced whole), and
// 1,000 queries as typed in the palette (p50, p99, CPU time, and the
// percentiles of each query's fastest run) over them.
func BenchmarkSearch(b *testing.B) {
	const n = 10000
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	req := sdk.Request{Config: map[string]string{keyTags: "go,kubernetes", keyCacheDir: b.TempDir()}}
	s, err := settingsOf(req)
	if err != nil {
		b.Fatal(err)
	}
	qs := benchQuestions(n)
	if err := (questionCache{dir: s.cacheDir}).store(cached{Version: cacheVersion, Key: s.cacheKey(), AttemptedAt: now, FetchedAt: now, Questions: qs}); err != nil {
		b.Fatal(err)
	}
	p := newPlugin(noNetwork{}, func() time.Time { return now }, slog.New(slog.DiscardHandler))
	ctx := context.Background()
	var got []*pluginv1.SearchDocument
	b.Run("documents", func(b *testing.B) {
		for b.Loop() {
			if got, err = p.searchDocuments(ctx, req); err != nil || len(got) != n {
				b.Fatalf("%d documents, %v", len(got), err)
			}
		}
	})
	docs := make([]search.Doc, len(got))
	for i, d := range got {
		docs[i] = search.Doc{ID: "plugin:" + Name + ":" + d.GetId(), Type: search.TypePlugin, Location: "plugin:" + Name, Name: Name,
			Title: d.GetTitle(), Body: d.GetText(), Path: d.GetUrl()}
	}
	x, _, err := search.Open(filepath.Join(b.TempDir(), "index"))
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	b.Run("index", func(b *testing.B) {
		for b.Loop() {
			if err := x.Apply(ctx, docs, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	// A third each: a technical word's prefix as typed, two technical
	// words, a word of a title.
	r := rand.New(rand.NewPCG(6, 25))
	var queries []string
	for i := range 1000 {
		w := benchWords[r.IntN(len(benchWords))]
		switch i % 3 {
		case 0:
			queries = append(queries, w[:min(len(w), 3+r.IntN(3))])
		case 1:
			queries = append(queries, w+" "+benchWords[r.IntN(len(benchWords))])
		default:
			title := strings.Fields(strings.TrimSuffix(qs[r.IntN(len(qs))].Title, "?"))
			queries = append(queries, title[3+r.IntN(len(title)-3)])
		}
	}
	b.Run("query", func(b *testing.B) {
		var lat []time.Duration
		// best is each query's fastest run: its work without the waits a
		// loaded machine adds (with -benchtime 5x, the best of five).
		best := make([]time.Duration, len(queries))
		for i := range best {
			best[i] = time.Hour
		}
		cpu := procstat.Self()
		for b.Loop() {
			for i, q := range queries {
				t := time.Now()
				if _, err := x.Search(ctx, search.Query{Text: q, Limit: 10}); err != nil {
					b.Fatal(err)
				}
				d := time.Since(t)
				lat = append(lat, d)
				best[i] = min(best[i], d)
			}
		}
		// CPU time per query tells the work from the waits of a loaded machine.
		b.ReportMetric(float64((procstat.Self()-cpu).Microseconds())/1000/float64(len(lat)), "ms-cpu/query")
		slices.Sort(lat)
		slices.Sort(best)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-p50")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "ms-p99")
		b.ReportMetric(float64(best[len(best)/2].Microseconds())/1000, "ms-p50-best")
		b.ReportMetric(float64(best[len(best)*99/100].Microseconds())/1000, "ms-p99-best")
	})
}
