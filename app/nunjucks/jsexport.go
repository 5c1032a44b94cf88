package nunjucks

// FormatNumber writes a number as JavaScript's String(n) does, for
// packages that reproduce other JavaScript output (JSON.stringify, YAML).
func FormatNumber(f float64) string { return formatNumber(f) }
