#!/usr/bin/env bash
# DWARF and symbol loading, once per module: ustap next to stap on the same binaries.
#   1. -l 'process("BIN").function("*")'  and  -L (variables too)      vs stap -l / -L
#   2. -p2 of a script probing one function with a $target variable    vs stap -p2
#   3. ustap alone: a full run of that script to its first hit and exit (-c BIN ...)
# BIN_G: a -g binary (default: the ustap binary itself, -O2 -g, ~900 functions). Debian's
# nginx (apt-get install nginx) is stripped, without -g: it is measured for the symbol-table
# path (-l only, no variables); a -g nginx would need a source build, not possible offline.
# USTAP (default ./ustap), RUNS (default 5). Timings are noise on a shared 2-core VM.
cd "$(dirname "$0")/.." || exit 2
USTAP=${USTAP:-./ustap}
RUNS=${RUNS:-5}
BIN_G=${BIN_G:-$(readlink -f "$USTAP")}
NGINX=${NGINX:-/usr/sbin/nginx}

[ -x "$USTAP" ] || { echo "dwarf_startup: no $USTAP (run make)" >&2; exit 2; }

# "wall cpu": mean seconds of a shell command over RUNS runs (after one warm-up run); cpu is
# user+sys of the children, steadier than wall time on a loaded machine
mean() {
	bash -c "$1" >/dev/null 2>&1
	python3 - "$1" "$RUNS" <<'EOF'
import resource, subprocess, sys, time
cmd, runs = sys.argv[1], int(sys.argv[2])
r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
t = time.perf_counter()
for _ in range(runs):
    subprocess.run(["bash", "-c", cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = (time.perf_counter() - t) / runs
r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) / runs
print(wall, cpu)
EOF
}

row() {   # label ustap-cmd stap-cmd ("" for none)
	local u s=""
	u=$(mean "$2")
	if [ -n "$3" ] && command -v stap >/dev/null; then s=$(mean "$3"); fi
	python3 - "$1" "$u" "$s" <<'EOF'
import sys
label, s = sys.argv[1], sys.argv[3]
uw, uc = map(float, sys.argv[2].split())
if s:
    sw, sc = map(float, s.split())
    print("  %-36s ustap %6.1f ms (cpu %6.1f)  stap %6.1f ms (cpu %6.1f)  ratio %.3f (cpu %.3f)"
          % (label, uw * 1e3, uc * 1e3, sw * 1e3, sc * 1e3, uw / sw, uc / sc))
else:
    print("  %-36s ustap %6.1f ms (cpu %6.1f)" % (label, uw * 1e3, uc * 1e3))
EOF
}

same() {  # do both tools print the same text?
	if diff <($2 2>/dev/null) <($3 2>/dev/null) >/dev/null; then echo "  $1: output identical to stap's"
	else echo "  $1: output differs from stap's in $(diff <($2 2>/dev/null) <($3 2>/dev/null) | grep -c '^[<>]') lines"; fi
}

echo "dwarf start-up: $BIN_G ($(stat -c %s "$BIN_G") bytes, -g)"
P="process(\"$BIN_G\").function(\"*\")"
row "-l $(basename "$BIN_G") function(\"*\")" "$USTAP -l '$P'" "stap -l '$P'"
row "-L $(basename "$BIN_G") function(\"*\")" "$USTAP -L '$P'" "stap -L '$P'"
same "-l" "$USTAP -l $P" "stap -l $P"
same "-L" "$USTAP -L $P" "stap -L $P"
S="probe process(\"$BIN_G\").function(\"main\") { println(\$argc) exit() }"
row "-p2 one function + \$argc" "$USTAP -p2 -e '$S'" "stap -p2 -e '$S'"
row "run to first hit: -c '$(basename "$BIN_G") -V'" "$USTAP -e '$S' -c '$BIN_G -V'" ""

LIBC=${LIBC:-/usr/lib/x86_64-linux-gnu/libc.so.6}
if [ -e "$LIBC" ]; then
	echo "libc: $LIBC (DWARF from /usr/lib/debug/.build-id when libc6-dbg is installed)"
	P="process(\"$LIBC\").function(\"*\")"
	row "-l libc function(\"*\")" "$USTAP -l '$P'" "stap -l '$P'"
	same "-l libc" "$USTAP -l $P" "stap -l $P"
fi

if [ -x "$NGINX" ]; then
	echo "nginx: $NGINX (stripped: .dynsym only, no DWARF)"
	P="process(\"$NGINX\").function(\"*\")"
	row "-l nginx function(\"*\")" "$USTAP -l '$P'" "stap -l '$P'"
	same "-l nginx" "$USTAP -l $P" "stap -l $P"
	S="probe process(\"$NGINX\").function(\"ngx_http_process_request\") { exit() }"
	row "-p2 nginx one function" "$USTAP -p2 -e '$S'" "stap -p2 -e '$S'"
else
	echo "nginx: not installed (apt-get install nginx)"
fi
