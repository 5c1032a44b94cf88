#!/usr/bin/env python3
"""Writes a git fast-import stream of a monorepo with N commits (default
10,000) to stdout: ten services, each a folder with code, its own
catalog-info.yaml (a Component with the annotations the built-in plugins
read), commits by twelve authors over three years. For the plugin-page
benchmark: git init --bare R && python3 gitrepo10k.py | git -C R fast-import."""
import random, sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
rnd = random.Random(42)
services = ["payments", "ledger", "booking", "fares", "tickets", "crew", "berths", "weather", "notify", "search"]
authors = [(f"Dev {i}", f"dev{i}@example.com") for i in range(12)]
out = sys.stdout.buffer
mark = 0

def blob(data: bytes) -> int:
    global mark
    mark += 1
    out.write(b"blob\nmark :%d\ndata %d\n%s\n" % (mark, len(data), data))
    return mark

def catalog(name: str) -> bytes:
    return (f"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\n  annotations:\n"
            f"    github.com/project-slug: acme/{name}\n    backstage.io/kubernetes-id: {name}\n"
            f"spec:\n  type: service\n  lifecycle: production\n  owner: team-{name}\n").encode()

t0 = 1_640_995_200  # 2022-01-01
step = (3 * 365 * 86400) // n
for i in range(n):
    files = {}
    if i == 0:
        files[".github/workflows/ci.yml"] = b"name: CI\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n"
        files["CODEOWNERS"] = b"* @acme/platform\n" + b"".join(f"/services/{s}/ @acme/team-{s}\n".encode() for s in services)
        for s in services:
            files[f"services/{s}/catalog-info.yaml"] = catalog(s)
    s = services[rnd.randrange(len(services))]
    ext = rnd.choice(["go", "go", "ts", "py", "sql"])
    body = "".join(f"// line {j} of change {i}\n" for j in range(rnd.randrange(5, 60))).encode()
    files[f"services/{s}/src/file{rnd.randrange(40)}.{ext}"] = body
    marks = {p: blob(d) for p, d in files.items()}
    name, email = authors[rnd.randrange(len(authors))]
    when = t0 + i * step
    msg = f"{s}: change {i}\n".encode()
    out.write(b"commit refs/heads/main\n")
    out.write(f"author {name} <{email}> {when} +0000\ncommitter {name} <{email}> {when} +0000\n".encode())
    out.write(b"data %d\n%s\n" % (len(msg), msg))
    for p, m in marks.items():
        out.write(f"M 100644 :{m} {p}\n".encode())
    out.write(b"\n")
