#!/usr/bin/env python3
"""Write a TechDocs site made of real READMEs: those of the packages
`npm ci` installs for the frontend (frontend/node_modules), for
`make bench`'s "Real content" figures (issue 28).

Usage: scripts/readmesite.py NODE_MODULES OUT [MIN_BYTES]

Deterministic for one lockfile: packages sorted by name (scoped ones as
@scope/name), each one's README.md (any case) when it has at least
MIN_BYTES (default 1024) bytes; one page per package, docs/NAME.md
(docs/@scope/name.md), an index linking them all, and the mkdocs.yml of
app/techdocs' benchmark (what techdocs-core turns on, Material theme).

markdown-to-jsx's README is left out: Python-Markdown 3.4 (Debian's, under
mkdocs) does not finish it (over 10 minutes and 5 GB at 100% CPU), so the
peer could not build the site.
"""
import os
import shutil
import sys

CONFIG = """site_name: READMEs
theme:
  name: material
markdown_extensions:
  - admonition
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.highlight
  - pymdownx.tasklist
  - tables
  - footnotes
  - def_list
  - attr_list
"""


# Pages the peer cannot build (see above).
EXCLUDED = {"markdown-to-jsx"}


def packages(root):
    names = []
    for entry in os.listdir(root):
        if entry.startswith("."):
            continue
        if entry.startswith("@"):
            scope = os.path.join(root, entry)
            if os.path.isdir(scope):
                names += [entry + "/" + n for n in os.listdir(scope) if not n.startswith(".")]
        else:
            names.append(entry)
    return sorted(names)


def readme(folder):
    try:
        entries = sorted(os.listdir(folder))
    except OSError:
        return None
    for e in entries:
        if e.lower() == "readme.md":
            return os.path.join(folder, e)
    return None


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    root, out = sys.argv[1], sys.argv[2]
    least = int(sys.argv[3]) if len(sys.argv) == 4 else 1024
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "docs"))
    pages, size = [], 0
    for name in packages(root):
        if name in EXCLUDED:
            continue
        src = readme(os.path.join(root, name))
        if src is None or os.path.getsize(src) < least:
            continue
        with open(src, "rb") as f:
            data = f.read()
        dst = os.path.join(out, "docs", name + ".md")
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(dst, "wb") as f:
            f.write(data)
        pages.append(name)
        size += len(data)
    with open(os.path.join(out, "docs", "index.md"), "w") as f:
        f.write("# READMEs\n\nThe READMEs of the frontend's npm packages.\n\n")
        f.writelines(f"- [{n}]({n}.md)\n" for n in pages)
    with open(os.path.join(out, "mkdocs.yml"), "w") as f:
        f.write(CONFIG)
    print(f"{len(pages)} pages, {size} bytes of Markdown", file=sys.stderr)


main()
