package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNPMPackages(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"package-lock.json": `{"lockfileVersion": 3, "packages": {
			"": {"name": "callboard-ui"},
			"node_modules/react": {"version": "19.3.1", "license": "MIT"},
			"node_modules/@scope/lib": {"version": "1.0.0", "license": {"type": "ISC"}},
			"node_modules/@scope/lib/node_modules/react": {"version": "18.0.0", "license": "MIT"},
			"node_modules/vite": {"version": "7.0.0", "license": "MIT", "dev": true},
			"node_modules/fsevents": {"version": "2.3.3", "license": "MIT", "devOptional": true}}}`,
		"node_modules/react/LICENSE":          "MIT License\r\n\r\nCopyright Meta\n",
		"node_modules/react/package.json":     "{}",
		"node_modules/@scope/lib/LICENSE.md":  "ISC text",
		"node_modules/@scope/lib/license-fix": "not a license file name? it is: license-*",
		"node_modules/@scope/lib/README.md":   "readme",
	}
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := npmPackages(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []Package{
		{Name: "@scope/lib", Version: "1.0.0", License: "ISC", Text: "ISC text\n\nnot a license file name? it is: license-*"},
		{Name: "react", Version: "18.0.0", License: "MIT"},
		{Name: "react", Version: "19.3.1", License: "MIT", Text: "MIT License\n\nCopyright Meta"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("npmPackages (-want +got):\n%s", diff)
	}
}

func TestRecognise(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"Apache License\n   Version 2.0, January 2004":                                     "Apache-2.0",
		"Permission is hereby granted, free of\n charge, to any person":                    "MIT",
		"Redistribution and use in source and binary forms ... Neither the name of Google": "BSD-3-Clause",
		"Redistribution and use in source and binary forms, with or without":               "BSD-2-Clause",
		"Mozilla Public License Version 2.0":                                               "MPL-2.0",
		"Permission to use, copy, modify, and/or distribute this software":                 "ISC",
		"All rights reserved.": "",
	}
	for text, want := range tests {
		if got := recognise(text); got != want {
			t.Errorf("recognise(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	l := List{
		Go: []Package{{Name: "golang.org/x/text", Version: "v0.43.0", License: "BSD-3-Clause", Text: "Copyright\n\nline  \n"}},
		NPM: []Package{{Name: "react", Version: "19.3.1", License: "MIT"}, {Name: "typescript", Version: "5.0.0", License: "Apache-2.0", Text: "Apache License\nVersion 2.0"},
			{Name: "dompurify", Version: "3.0.0", License: "(MPL-2.0 OR Apache-2.0)", Text: "both"}, {Name: "mixed", Version: "1.0.0", License: "MIT OR Apache-2.0", Text: "mixed"}},
	}
	want := `Callboard bundles the following software. Each is listed with its license.

Go module golang.org/x/text v0.43.0 (BSD-3-Clause)

  Copyright

  line

npm package react 19.3.1 (MIT)

  (no license file; see the package's own page)

npm package typescript 5.0.0 (Apache-2.0)

  The text of Apache-2.0 is in /usr/share/common-licenses/Apache-2.0.

npm package dompurify 3.0.0 ((MPL-2.0 OR Apache-2.0))

  The text of MPL-2.0 is in /usr/share/common-licenses/MPL-2.0.
  The text of Apache-2.0 is in /usr/share/common-licenses/Apache-2.0.

npm package mixed 1.0.0 (MIT OR Apache-2.0)

  mixed
`
	if diff := cmp.Diff(want, string(l.Text("/usr/share/common-licenses"))); diff != "" {
		t.Errorf("Text (-want +got):\n%s", diff)
	}
	if strings.Contains(string(l.JSON()), "null") {
		t.Errorf("JSON has a null: %s", l.JSON())
	}
}
