package gitfetch

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url    string
		refuse string // what the error says; "" for none
		shown  string // Redact's answer
	}{
		{"https://github.com/org/repo.git", "", "https://github.com/org/repo.git"},
		{"https://hunter2@example.com/org/repo.git", "https://example.com has a user name or password", "https://REDACTED@example.com/org/repo.git"},
		{"https://user:hunter2@example.com/org/repo.git", "has a user name or password", "https://REDACTED@example.com/org/repo.git"},
		{"https://example.com/org/repo.git?access_token=hunter2", `has "access_token" in its query`, "https://example.com/org/repo.git?REDACTED"},
		{"https://example.com/r.git?private_token=hunter2", `"private_token"`, "https://example.com/r.git?REDACTED"},
		{"https://example.com/r.git?X-Amz-Signature=hunter2&a=b", `"X-Amz-Signature"`, "https://example.com/r.git?REDACTED"},
		{"https://example.com/r.git?key=hunter2", `"key"`, "https://example.com/r.git?REDACTED"},
		{"https://example.com/r.git?sig=hunter2", `"sig"`, "https://example.com/r.git?REDACTED"},
		{"https://example.com/r.git?password=hunter2", `"password"`, "https://example.com/r.git?REDACTED"},
		{"https://example.com/r.git?client_secret=hunter2", `"client_secret"`, "https://example.com/r.git?REDACTED"},
		{"https://example.com/r.git?auth=hunter2", `"auth"`, "https://example.com/r.git?REDACTED"},
		{"https://example.com/r.git?api-key=hunter2", `"api-key"`, "https://example.com/r.git?REDACTED"},
		{"https://example.com/r.git#token=hunter2", `"token"`, "https://example.com/r.git#REDACTED"},
		{"https://example.com/r.git?ref=main", "", "https://example.com/r.git?ref=main"},
		{"ssh://git@example.com/org/repo.git", "", "ssh://git@example.com/org/repo.git"},
		{"ssh://git:hunter2@example.com/org/repo.git", "has a user name or password", "ssh://REDACTED@example.com/org/repo.git"},
		{"git@example.com:org/repo.git", "", "git@example.com:org/repo.git"},
		{"/home/ada/src/repo", "", "/home/ada/src/repo"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			t.Parallel()
			err := CheckURL(tt.url)
			if tt.refuse == "" {
				if err != nil {
					t.Errorf("CheckURL = %v, want nil", err)
				}
			} else {
				if err == nil || !errors.Is(err, ErrSecretInURL) || !strings.Contains(err.Error(), tt.refuse) {
					t.Errorf("CheckURL = %v, want ErrSecretInURL saying %q", err, tt.refuse)
				}
				if err != nil && strings.Contains(err.Error(), "hunter2") {
					t.Errorf("the error shows the secret: %v", err)
				}
				if err != nil && !strings.Contains(err.Error(), "callboard token set example.com") {
					t.Errorf("the error does not say where tokens go: %v", err)
				}
			}
			if got := Redact(tt.url); got != tt.shown {
				t.Errorf("Redact = %q, want %q", got, tt.shown)
			}
		})
	}
}

func TestHost(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"https://GitHub.com/org/repo.git":       "github.com",
		"https://github.com:443/org/repo.git":   "github.com",
		"https://git.example:8443/org/repo.git": "git.example:8443",
		"http://127.0.0.1:3000/r.git":           "127.0.0.1:3000",
		"git@github.com:org/repo.git":           "github.com",
		"ssh://git@github.com:22/org/repo.git":  "github.com",
		"ssh://git@github.com:2222/org/repo":    "github.com:2222",
		"/home/ada/src/repo":                    "",
		"file:///home/ada/src/repo":             "",
	}
	for url, want := range tests {
		if got, _ := Host(url); got != want {
			t.Errorf("Host(%q) = %q, want %q", url, got, want)
		}
	}
}

func TestTokensFromEnv(t *testing.T) {
	t.Parallel()
	tokens, names := TokensFromEnv([]string{"HOME=/home/ada", "CALLBOARD_GIT_TOKEN=all", "CALLBOARD_GIT_TOKEN_GITHUB_COM=gh", "CALLBOARD_GIT_TOKEN_EMPTY=", "CALLBOARD_HOME=/x"})
	want := Tokens{All: "all", ByHost: map[string]string{"CALLBOARD_GIT_TOKEN_GITHUB_COM": "gh"}}
	if diff := cmp.Diff(want, tokens); diff != "" {
		t.Errorf("tokens (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"CALLBOARD_GIT_TOKEN", "CALLBOARD_GIT_TOKEN_GITHUB_COM", "CALLBOARD_GIT_TOKEN_EMPTY"}, names); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	if tokens.forHost("github.com") != "gh" || tokens.forHost("gitlab.com") != "" {
		t.Errorf("forHost picks the wrong token")
	}
}
