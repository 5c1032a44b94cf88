package portal

import "encoding/json"

// PluginPage is a page a plugin adds: its navigation entry, at Path.
type PluginPage struct {
	Plugin string `json:"plugin"`
	ID     string `json:"id"`
	Title  string `json:"title"`
	// Icon names an icon the UI knows ("radar"), or "".
	Icon     string `json:"icon,omitempty"`
	NavOrder int    `json:"navOrder"`
	// Path is the app route: /plugins/<plugin>/<id>.
	Path string `json:"path"`
}

// PluginPageContent is a plugin's page drawn: its blocks (the protocol's
// Block messages as protojson), or why it cannot be.
type PluginPageContent struct {
	Plugin     string            `json:"plugin"`
	ID         string            `json:"id"`
	Title      string            `json:"title"`
	Subtitle   string            `json:"subtitle,omitempty"`
	Blocks     []json.RawMessage `json:"blocks"`
	Error      string            `json:"error,omitempty"`
	DurationMS int64             `json:"durationMs"`
}

// PluginEntityAction is a menu item a plugin offers on an entity's page.
type PluginEntityAction struct {
	Plugin string `json:"plugin"`
	ID     string `json:"id"`
	Title  string `json:"title"`
	// Confirmation is asked before running it, when not "".
	Confirmation string `json:"confirmation,omitempty"`
}

// EntityActionCall names the plugin's action to run.
type EntityActionCall struct {
	Plugin string `json:"plugin"`
	Action string `json:"action"`
}

// EntityActionResult is what an entity action said: a line for a toast
// (Status: ok, warning, error, info or ""), blocks to show, or a route or
// address to open.
type EntityActionResult struct {
	Notice  string            `json:"notice,omitempty"`
	Status  string            `json:"status,omitempty"`
	Blocks  []json.RawMessage `json:"blocks"`
	OpenURL string            `json:"openUrl,omitempty"`
}
