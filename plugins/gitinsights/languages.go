package gitinsights

import (
	"path"
	"strings"
)

// languageByExt names the language of a file by its lower-case extension.
// Only programming and markup languages count, as in GitHub's language bar:
// data (YAML, JSON), prose (Markdown) and plain text do not.
var languageByExt = map[string]string{
	".go": "Go", ".py": "Python", ".pyi": "Python",
	".js": "JavaScript", ".mjs": "JavaScript", ".cjs": "JavaScript", ".jsx": "JavaScript",
	".ts": "TypeScript", ".tsx": "TypeScript", ".mts": "TypeScript", ".cts": "TypeScript",
	".java": "Java", ".kt": "Kotlin", ".kts": "Kotlin", ".scala": "Scala",
	".groovy": "Groovy", ".gradle": "Groovy",
	".c": "C", ".h": "C", ".cc": "C++", ".cpp": "C++", ".cxx": "C++", ".hh": "C++", ".hpp": "C++", ".hxx": "C++",
	".cs": "C#", ".fs": "F#", ".fsx": "F#", ".rs": "Rust", ".swift": "Swift",
	".m": "Objective-C", ".mm": "Objective-C++", ".dart": "Dart",
	".rb": "Ruby", ".rake": "Ruby", ".php": "PHP", ".pl": "Perl", ".pm": "Perl", ".lua": "Lua",
	".ex": "Elixir", ".exs": "Elixir", ".erl": "Erlang", ".hrl": "Erlang",
	".hs": "Haskell", ".ml": "OCaml", ".mli": "OCaml", ".elm": "Elm",
	".clj": "Clojure", ".cljs": "Clojure", ".cljc": "Clojure",
	".r": "R", ".jl": "Julia", ".zig": "Zig", ".nix": "Nix",
	".sh": "Shell", ".bash": "Shell", ".zsh": "Shell", ".ps1": "PowerShell", ".psm1": "PowerShell", ".bat": "Batchfile", ".cmd": "Batchfile",
	".html": "HTML", ".htm": "HTML", ".css": "CSS", ".scss": "SCSS", ".sass": "Sass", ".less": "Less",
	".vue": "Vue", ".svelte": "Svelte", ".sql": "SQL", ".proto": "Protocol Buffer",
	".tf": "HCL", ".hcl": "HCL", ".bzl": "Starlark", ".mk": "Makefile", ".cmake": "CMake", ".dockerfile": "Dockerfile",
}

// languageByName names the language of files known by their whole name.
var languageByName = map[string]string{
	"Makefile": "Makefile", "makefile": "Makefile", "GNUmakefile": "Makefile",
	"Dockerfile": "Dockerfile", "Containerfile": "Dockerfile", "CMakeLists.txt": "CMake",
	"Rakefile": "Ruby", "Gemfile": "Ruby", "Jenkinsfile": "Groovy",
	"BUILD": "Starlark", "BUILD.bazel": "Starlark", "WORKSPACE": "Starlark", "WORKSPACE.bazel": "Starlark",
}

// vendoredDirs are folders of code a project did not write.
var vendoredDirs = []string{"vendor", "node_modules", "bower_components", "third_party", "dist"}

// generatedSuffixes end the names of files a tool wrote.
var generatedSuffixes = []string{".min.js", ".min.css", ".pb.go", "_pb2.py", ".pb.cc", ".pb.h", ".g.dart"}

// LanguageOf is languageOf, for the import wizard's guess of a
// repository's main language.
func LanguageOf(rel string) string { return languageOf(rel) }

// languageOf returns the language of the file at rel (a path relative to
// the entity's folder), or "" when it is not counted: an unknown kind of
// file, or vendored or generated code.
func languageOf(rel string) string {
	dir, base := path.Split(rel)
	for _, seg := range strings.Split(strings.Trim(dir, "/"), "/") {
		for _, v := range vendoredDirs {
			if seg == v {
				return ""
			}
		}
	}
	lower := strings.ToLower(base)
	for _, s := range generatedSuffixes {
		if strings.HasSuffix(lower, s) {
			return ""
		}
	}
	if lang, ok := languageByName[base]; ok {
		return lang
	}
	if strings.HasPrefix(base, "Dockerfile.") {
		return "Dockerfile"
	}
	return languageByExt[path.Ext(lower)]
}

// languagePathspecs are git pathspecs that limit a command to the files
// under folder ("" is the whole repository) languageOf may count, so git
// reads no other blobs. They are a superset, but for extensions in mixed
// case (".Go"): languageOf decides. (The icase magic would take them too,
// at a third more time.)
func languagePathspecs(folder string) []string {
	base := ""
	if folder != "" {
		base = globEscape(folder) + "/"
	}
	var specs []string
	for ext := range languageByExt {
		specs = append(specs, ":(top,glob)"+base+"**/*"+ext, ":(top,glob)"+base+"**/*"+strings.ToUpper(ext))
	}
	for name := range languageByName {
		specs = append(specs, ":(top,glob)"+base+"**/"+globEscape(name))
	}
	specs = append(specs, ":(top,glob)"+base+"**/Dockerfile.*")
	for _, v := range vendoredDirs {
		specs = append(specs, ":(top,exclude,glob)"+base+"**/"+v+"/**")
	}
	return specs
}

// globEscape quotes the characters git's glob pathspecs treat specially.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// countLines counts the lines of a text file as git grep does: a last line
// without a newline counts. binary reports a NUL byte in the first 8000
// bytes, git's test for binary content.
func countLines(data []byte) (lines int, binary bool) {
	head := data
	if len(head) > 8000 {
		head = head[:8000]
	}
	for _, c := range head {
		if c == 0 {
			return 0, true
		}
	}
	for _, c := range data {
		if c == '\n' {
			lines++
		}
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		lines++
	}
	return lines, false
}
