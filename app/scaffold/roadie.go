package scaffold

import (
	_ "embed"
	"encoding/json"
)

// Roadie's community file actions (@roadiehq/scaffolder-backend-module-utils
// 4.1.2) built in, with the same ids, inputs, outputs and errors, so the
// many templates that use them run here; conformance/roadie checks them
// against the npm package. Paths stay in the workspace, and what they
// read, evaluate and write is bounded (roadiefs.go).

//go:embed roadie_schemas.json
var roadieSchemasJSON []byte

type roadieSchema struct {
	Description string          `json:"description"`
	Input       json.RawMessage `json:"input"`
	Output      json.RawMessage `json:"output,omitempty"`
}

func roadieActions() []Action {
	// The file is compiled in and TestRoadieSchemas reads it, so it cannot
	// fail here in a build that passed its tests.
	var schemas map[string]roadieSchema
	_ = json.Unmarshal(roadieSchemasJSON, &schemas)
	runs := []Action{
		{ID: "roadiehq:utils:fs:write", Run: roadieWrite},
		{ID: "roadiehq:utils:fs:append", Run: roadieAppend},
		{ID: "roadiehq:utils:fs:parse", Run: roadieParse},
		{ID: "roadiehq:utils:fs:replace", Run: roadieReplace},
		{ID: "roadiehq:utils:merge", Run: roadieMerge},
		{ID: "roadiehq:utils:json:merge", Run: roadieJSONMerge},
		{ID: "roadiehq:utils:jsonata", Run: roadieJSONata},
		{ID: "roadiehq:utils:jsonata:yaml:transform", Run: roadieJSONataYAML},
		{ID: "roadiehq:utils:jsonata:json:transform", Run: roadieJSONataJSON},
		{ID: "roadiehq:utils:serialize:yaml", Run: roadieSerializeYAML},
		{ID: "roadiehq:utils:serialize:json", Run: roadieSerializeJSON},
		{ID: "roadiehq:utils:zip", Run: roadieZip},
		{ID: "roadiehq:utils:sleep", Run: roadieSleep},
	}
	for i, a := range runs {
		s := schemas[a.ID]
		runs[i].Description = s.Description
		runs[i].InputSchema = string(s.Input)
		runs[i].OutputSchema = string(s.Output)
	}
	return runs
}
