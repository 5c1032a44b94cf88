package stackoverflow

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/callboard/callboard/plugins/pluginv1"
)

// FuzzAnswer reads an API answer as the plugin does: whatever it holds,
// the questions keep within their bounds, links are web addresses, and
// their documents fit the budget. Its corpus is in testdata/fuzz.
func FuzzAnswer(f *testing.F) {
	f.Add([]byte(`{"items":[{"question_id":1,"title":"How do I &amp; why?","link":"https://stackoverflow.com/q/1","tags":["go"],"body":"<p>Hi <b>there</b></p>","owner":{"display_name":"Ada"}}],"has_more":false,"quota_remaining":9}`))
	f.Add([]byte(`{"items":[{"question_id":2,"title":"<script>x</script>","link":"javascript:alert(1)","tags":["a","b","c","d","e","f","g"],"body":"<div><p>unclosed"}]}`))
	f.Add([]byte(`{"error_id":502,"error_name":"throttle_violation","error_message":"too many requests"}`))
	fe := newFetcher(nil, time.Now)
	f.Fuzz(func(t *testing.T, data []byte) {
		var a seAnswer
		if json.Unmarshal(data, &a) != nil {
			return
		}
		var qs []question
		for _, item := range a.Items {
			q := fe.question(item)
			if len(q.Excerpt) > maxExcerpt+len(" …") || len(q.Title) > maxTitle+len(" …") || len(q.Tags) > maxQuestionTags {
				t.Fatalf("question over its bounds: excerpt %d, title %d bytes, %d tags", len(q.Excerpt), len(q.Title), len(q.Tags))
			}
			if utf8.ValidString(item.Body) && !utf8.ValidString(q.Excerpt) {
				t.Fatalf("excerpt %q is not UTF-8", q.Excerpt)
			}
			if q.URL != "" {
				if u, err := url.Parse(q.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
					t.Fatalf("link %q kept", q.URL)
				}
			}
			qs = append(qs, q)
		}
		const budget = 4 << 10
		if size := proto.Size(&pluginv1.SearchDocumentsResponse{Documents: documents(qs, budget)}); size > budget {
			t.Fatalf("documents of %d bytes, over the budget of %d", size, budget)
		}
	})
}
