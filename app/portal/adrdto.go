package portal

// DecisionList is an entity's architecture decision records, the files of
// the folder its backstage.io/adr-location annotation names, by number.
type DecisionList struct {
	Ref string `json:"ref"`
	// Annotation is the annotation's value; Dir the folder it names in
	// the repository ("" when it names none Callboard can read).
	Annotation string            `json:"annotation"`
	Dir        string            `json:"dir"`
	Items      []DecisionSummary `json:"items"`
	// Problems are the files refused, and why the folder could not be
	// read when it could not.
	Problems []DecisionProblem `json:"problems"`
}

// DecisionSummary is a decision record as the list shows it.
type DecisionSummary struct {
	// File is the record's path within the folder, e.g. 0001-use-go.md.
	File   string `json:"file"`
	Number int    `json:"number"`
	Title  string `json:"title"`
	// Status is proposed, accepted, rejected, deprecated, superseded or
	// unknown; StatusText is the status as written.
	Status     string `json:"status"`
	StatusText string `json:"statusText"`
	// Date is YYYY-MM-DD, or "" when the record has none.
	Date string `json:"date"`
	// Successor is the File of the record that supersedes this one, ""
	// when none is named or it is not in the folder.
	Successor string `json:"successor"`
}

// DecisionProblem is a file of an ADR folder that was refused, at a line
// and field when one is known.
type DecisionProblem struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// DecisionDetail is one decision record with its text rendered as
// sanitised HTML.
type DecisionDetail struct {
	Ref      string          `json:"ref"`
	Decision DecisionSummary `json:"decision"`
	// Path is the file's path in the repository.
	Path string `json:"path"`
	// Format is madr (front matter), madr-2 (a list), nygard (a Status
	// section) or unknown: where the status was read.
	Format string `json:"format"`
	// SupersededBy is the successor as the status names it (a link or
	// ADR-NNNN), found in the folder or not.
	SupersededBy string   `json:"supersededBy"`
	Deciders     []string `json:"deciders"`
	Tags         []string `json:"tags"`
	HTML         string   `json:"html"`
}
