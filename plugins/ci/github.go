package ci

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

const (
	userAgent = "callboard-ci-plugin"
	// maxErrorAnswer bounds what is read of an error answer.
	maxErrorAnswer = 64 << 10
)

// apiRequest is one call of the GitHub REST API at base: method, path
// (from the API's root) and the most of its answer to read.
type apiRequest struct {
	method, path string
	limit        int64
}

// callAPI calls GitHub with the token and returns the answer's status,
// headers and (bounded) body when it is a 2xx or 3xx. Other answers are
// errors wrapping errUnavailable, errRefused, errNotFound or errAPI, which
// never hold the token.
func callAPI(ctx context.Context, client *http.Client, base, token string, r apiRequest) (*http.Response, []byte, error) {
	resp, err := sendAPI(ctx, client, base, token, r)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, r.limit))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: reading the answer: %s", errUnavailable, netReason(err))
	}
	return resp, body, nil
}

// sendAPI is callAPI leaving a 2xx or 3xx answer's body to the caller to
// read and close.
func sendAPI(ctx context.Context, client *http.Client, base, token string, r apiRequest) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, r.method, base+r.path, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errAPI, err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	req.Header.Set("User-Agent", userAgent)
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", errUnavailable, netReason(err))
	}
	code := resp.StatusCode
	if code >= 200 && code < 400 {
		return resp, nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorAnswer))
	err = statusError(resp)
	if m := apiMessage(body); m != "" && errors.Is(err, errAPI) {
		return nil, fmt.Errorf("%w: %s", err, m)
	}
	return nil, err
}

// getJSON GETs path and decodes the answer into v; check says whether the
// answer has the field GitHub always sends, as a captive portal or
// proxy answers 200 with a page of its own.
func getJSON(ctx context.Context, client *http.Client, base, token, path string, v any, check func() bool) error {
	resp, body, err := callAPI(ctx, client, base, token, apiRequest{method: http.MethodGet, path: path, limit: maxAnswerSize})
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, v) != nil || !check() {
		return fmt.Errorf("%w: the answer from %s is not the GitHub API's (%s)", errUnavailable, base, resp.Header.Get("Content-Type"))
	}
	return nil
}
