#!/bin/bash
# Builds each site listed in $1 (folders holding mkdocs.yml) with
# `callboard docs build` and with `mkdocs build` (techdocs-core's
# extensions from app/techdocs/mkdocs_test.go, the site's nav), one after
# the other per site, and prints the wall and CPU time summed per side.
# Run from the repository root after `make build`; needs Debian's mkdocs.
B=$(realpath "${CALLBOARD:-build/bin/callboard}"); LIST=${1:?give a file listing site folders, one a line}
CORE=$(sed -n '/^const techdocsCore = `/,/^`/p' app/techdocs/mkdocs_test.go | sed '1d;$d')
cb_w=0; cb_c=0; mk_w=0; mk_c=0; n=0; mkfail=0
for d in $(cat "$LIST"); do
  cfgf=$d/mkdocs.yml; [ -f $cfgf ] || cfgf=$d/mkdocs.yaml
  docs=$(python3 -c "import sys,re;t=open(sys.argv[1]).read() if __import__('os').path.exists(sys.argv[1]) else '';m=re.search(r'^docs_dir:\s*[\"\']?([^\"\'\n#]+)',t,re.M);print((m.group(1).strip() if m else 'docs'))" $cfgf)
  [ -d "$d/$docs" ] || continue
  w=$(mktemp -d); cp -r "$d/$docs" $w/docs
  { echo "site_name: x"; echo "$CORE"; python3 - "$cfgf" <<'P'
import sys
t=open(sys.argv[1]).read().split('\n')
out=[];on=False
for l in t:
    if l.startswith('nav:'): on=True; out.append(l); continue
    if on and l and not l[0] in ' -#': break
    if on: out.append(l)
print('\n'.join(out))
P
  } > $w/mkdocs.yml
  /usr/bin/time -o $w/t1 -f "%e %U %S" $B docs build "$d" --out $w/cb >/dev/null 2>&1; r1=$(tail -1 $w/t1)
  (cd $w && /usr/bin/time -o $w/t2 -f "%e %U %S" /usr/bin/mkdocs build -q -d $w/mk >/dev/null 2>&1); r2=$(tail -1 $w/t2)
  if [ -d $w/mk ]; then
    n=$((n+1))
    cb_w=$(echo "$cb_w + $(echo $r1 | awk '{print $1}')" | bc); cb_c=$(echo "$cb_c + $(echo $r1 | awk '{print $2+$3}')" | bc)
    mk_w=$(echo "$mk_w + $(echo $r2 | awk '{print $1}')" | bc); mk_c=$(echo "$mk_c + $(echo $r2 | awk '{print $2+$3}')" | bc)
  else mkfail=$((mkfail+1)); fi
  rm -rf $w
done
echo "sites $n (mkdocs failed on $mkfail)"
echo "callboard wall $cb_w s cpu $cb_c s"
echo "mkdocs    wall $mk_w s cpu $mk_c s"
