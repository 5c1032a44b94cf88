package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// maxLicense bounds what is read of one license file.
const maxLicense = 256 << 10

// Package is one bundled module or package and its license.
type Package struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	// License is an SPDX identifier: the package's own word for npm,
	// recognised in the text for Go; "" when not recognised.
	License string `json:"license"`
	// Text is the package's license files, one after the other.
	Text string `json:"text"`
}

// List is everything a build bundles.
type List struct {
	Go  []Package `json:"go"`
	NPM []Package `json:"npm"`
}

// JSON is the list for the About dialog.
func (l List) JSON() []byte {
	data, _ := json.MarshalIndent(l, "", " ")
	return append(data, '\n')
}

// commonLicenses are the licenses of /usr/share/common-licenses on Debian
// that bundled software uses; Debian's copyright file refers to them
// instead of repeating them.
var commonLicenses = []string{"Apache-2.0", "MPL-2.0"}

// Text is the list as plain text, each package's license after its name.
// With common set (Debian's /usr/share/common-licenses), a license found
// there is referred to, not repeated.
func (l List) Text(common string) []byte {
	var b bytes.Buffer
	b.WriteString("Callboard bundles the following software. Each is listed with its license.\n")
	for _, group := range []struct {
		what string
		pkgs []Package
	}{{"Go module", l.Go}, {"npm package", l.NPM}} {
		for _, p := range group.pkgs {
			fmt.Fprintf(&b, "\n%s %s %s", group.what, p.Name, p.Version)
			if p.License != "" {
				fmt.Fprintf(&b, " (%s)", p.License)
			}
			b.WriteString("\n\n")
			if ids := commonIDs(p.License); common != "" && ids != nil {
				for _, id := range ids {
					fmt.Fprintf(&b, "  The text of %s is in %s/%s.\n", id, common, id)
				}
				continue
			}
			if p.Text == "" {
				b.WriteString("  (no license file; see the package's own page)\n")
				continue
			}
			for line := range strings.Lines(p.Text) {
				b.WriteString(strings.TrimRight("  "+line, " \t\n") + "\n")
			}
		}
	}
	return b.Bytes()
}

// commonIDs are the licenses of an SPDX expression such as "(MPL-2.0 OR
// Apache-2.0)" when all of them are common licenses, else nil.
func commonIDs(expr string) []string {
	ids := strings.Fields(strings.NewReplacer("(", " ", ")", " ", " OR ", " ", " AND ", " ").Replace(" " + expr + " "))
	if len(ids) == 0 {
		return nil
	}
	for _, id := range ids {
		if !slices.Contains(commonLicenses, id) {
			return nil
		}
	}
	return ids
}

// goModules lists the modules linked into pkg built with tags, but the
// main module. -e: the UI the embedui tag embeds need not be built yet.
func goModules(ctx context.Context, tags, pkg string) ([]Package, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-e", "-deps", "-tags", tags, "-f",
		"{{with .Module}}{{if not .Main}}{{.Path}}\t{{.Version}}\t{{with .Replace}}{{.Dir}}{{else}}{{.Dir}}{{end}}{{end}}{{end}}", pkg)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %w", pkg, err)
	}
	seen := map[string]bool{}
	var mods []Package
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 3 || seen[f[0]] {
			continue
		}
		seen[f[0]] = true
		text, err := licenseText(f[2])
		if err != nil {
			return nil, fmt.Errorf("module %s: %w", f[0], err)
		}
		mods = append(mods, Package{Name: f[0], Version: f[1], License: recognise(text), Text: text})
	}
	slices.SortFunc(mods, func(a, b Package) int { return cmp.Compare(a.Name, b.Name) })
	return mods, nil
}

// lockfile is what npmPackages reads of package-lock.json (version 2 or 3).
type lockfile struct {
	Packages map[string]struct {
		Version     string `json:"version"`
		License     any    `json:"license"`
		Dev         bool   `json:"dev"`
		DevOptional bool   `json:"devOptional"`
	} `json:"packages"`
}

// npmPackages lists the packages the frontend depends on outside its
// development dependencies, as its lockfile has them.
func npmPackages(frontend string) ([]Package, error) {
	data, err := os.ReadFile(filepath.Join(frontend, "package-lock.json"))
	if err != nil {
		return nil, fmt.Errorf("read the lockfile: %w", err)
	}
	var lock lockfile
	if err := json.Unmarshal(data, &lock); err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Join(frontend, "package-lock.json"), err)
	}
	var pkgs []Package
	for path, p := range lock.Packages {
		if path == "" || p.Dev || p.DevOptional {
			continue
		}
		// A nested package's path is node_modules/a/node_modules/b: it is b.
		i := strings.LastIndex(path, "node_modules/")
		if i < 0 {
			continue
		}
		name := path[i+len("node_modules/"):]
		text, err := licenseText(filepath.Join(frontend, filepath.FromSlash(path)))
		if err != nil {
			return nil, fmt.Errorf("npm package %s: %w", name, err)
		}
		pkgs = append(pkgs, Package{Name: name, Version: p.Version, License: spdx(p.License), Text: text})
	}
	slices.SortFunc(pkgs, func(a, b Package) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Version, b.Version))
	})
	return slices.CompactFunc(pkgs, func(a, b Package) bool { return a.Name == b.Name && a.Version == b.Version }), nil
}

// spdx reads a lockfile's license field: a string, or the old
// {"type": ...} form.
func spdx(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any:
		s, _ := v["type"].(string)
		return s
	}
	return ""
}

var licenseFile = regexp.MustCompile(`(?i)^(licen[cs]e|copying|notice)([.-].*)?$`)

// licenseText is the license files at the top of dir, in name order; ""
// when there are none or dir does not exist.
func licenseText(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var texts []string
	for _, e := range entries {
		if !e.Type().IsRegular() || !licenseFile.MatchString(e.Name()) {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			return "", err
		}
		data, err := io.ReadAll(io.LimitReader(f, maxLicense))
		f.Close()
		if err != nil {
			return "", fmt.Errorf("read %s: %w", e.Name(), err)
		}
		texts = append(texts, strings.TrimSpace(strings.ReplaceAll(string(data), "\r\n", "\n")))
	}
	return strings.Join(texts, "\n\n"), nil
}

// recognise names the license of the common texts by a phrase each has;
// "" for the others, whose text speaks for itself.
func recognise(text string) string {
	t := strings.Join(strings.Fields(text), " ")
	switch {
	case strings.Contains(t, "Apache License") && strings.Contains(t, "Version 2.0"):
		return "Apache-2.0"
	case strings.Contains(t, "Mozilla Public License Version 2.0") || strings.Contains(t, "Mozilla Public License, version 2.0"):
		return "MPL-2.0"
	case strings.Contains(t, "Permission is hereby granted, free of charge"):
		return "MIT"
	case strings.Contains(t, "Permission to use, copy, modify, and/or distribute"):
		return "ISC"
	case strings.Contains(t, "Redistribution and use in source and binary forms") && strings.Contains(t, "Neither the name"):
		return "BSD-3-Clause"
	case strings.Contains(t, "Redistribution and use in source and binary forms"):
		return "BSD-2-Clause"
	}
	return ""
}
