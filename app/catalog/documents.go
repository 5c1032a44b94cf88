package catalog

import "bytes"

// DocumentAt returns the YAML document of data that holds line (1-based,
// as Source.Line counts), without its leading "---" marker, and the file
// line it starts on. ok is false when data has no such line. Documents
// are split as Process splits them, so an entity's Source.Line finds the
// document it was read from.
func DocumentAt(data []byte, line int) (doc []byte, start int, ok bool) {
	if line < 1 {
		return nil, 0, false
	}
	chunks, offsets := splitDocuments(data)
	for i := len(chunks) - 1; i >= 0; i-- {
		if offsets[i] >= line {
			continue
		}
		doc, start = chunks[i], offsets[i]+1
		if end := bytes.IndexByte(doc, '\n'); end >= 0 && isMarker(doc[:end+1]) {
			doc, start = doc[end+1:], start+1
		}
		if i == len(chunks)-1 && line > offsets[i]+bytes.Count(chunks[i], []byte("\n"))+1 {
			return nil, 0, false
		}
		return doc, start, true
	}
	return nil, 0, false
}

// TargetFile is the repository path a Location entity of file names by a
// relative or "/"-rooted target, as Process resolves it (a pattern stays
// a pattern; MatchGlob matches it). A URL target is not resolved here.
func TargetFile(file, target string) (string, error) {
	return repoPath(file, targetPath(target), false)
}

// IsPattern says whether a target or location path is a glob pattern.
func IsPattern(p string) bool { return isGlob(p) }
