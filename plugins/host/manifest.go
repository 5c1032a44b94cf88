package host

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// ManifestFile is the name of a plugin's manifest in its folder.
const ManifestFile = "plugin.json"

// Extension points a manifest may list.
const (
	PointEntityContent = "entityContent"
	PointActions       = "actions"
	PointEntities      = "entities"
	PointSearch        = "search"
)

// Manifest is a plugin's plugin.json: who it is, how to start it, and the
// checksum its binary must have.
type Manifest struct {
	Name        string `json:"name"`
	Version     string `json:"version"`
	Description string `json:"description,omitempty"`
	// Command is the program, relative to the manifest's folder.
	Command string   `json:"command"`
	Args    []string `json:"args,omitempty"`
	// SHA256 is the hex SHA-256 of the program, checked before every start.
	SHA256 string `json:"sha256"`
	// ExtensionPoints are what the plugin serves: entityContent, actions,
	// entities, search, pages, homeCards, entityActions. A plugin is only started for the ones it lists.
	ExtensionPoints []string `json:"extensionPoints"`
}

var validName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`) })

// ReadManifest reads and checks dir's plugin.json.
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	file := filepath.Join(dir, ManifestFile)
	data, err := os.ReadFile(file)
	if err != nil {
		return m, fmt.Errorf("read the manifest: %w", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("%s: %w", file, err)
	}
	var problems []string
	if !validName().MatchString(m.Name) {
		problems = append(problems, fmt.Sprintf("name %q: want lower-case letters, digits and dashes", m.Name))
	}
	if m.Version == "" {
		problems = append(problems, "version: missing")
	}
	if m.Command == "" || filepath.IsAbs(m.Command) || strings.Contains(filepath.ToSlash(filepath.Clean(m.Command)), "..") {
		problems = append(problems, fmt.Sprintf("command %q: want a program inside the plugin's folder", m.Command))
	}
	if sum, err := hex.DecodeString(m.SHA256); err != nil || len(sum) != 32 {
		problems = append(problems, "sha256: want the 64 hex digits of the program's SHA-256")
	}
	for _, p := range m.ExtensionPoints {
		if !slices.Contains([]string{PointEntityContent, PointActions, PointEntities, PointSearch, PointFacts, PointPages, PointHomeCards, PointEntityActions}, p) {
			problems = append(problems, fmt.Sprintf("extensionPoints: %q is none of entityContent, actions, entities, search, facts, pages, homeCards, entityActions", p))
		}
	}
	if len(problems) > 0 {
		return m, fmt.Errorf("%s: %w", file, errors.New(strings.Join(problems, "; ")))
	}
	return m, nil
}
