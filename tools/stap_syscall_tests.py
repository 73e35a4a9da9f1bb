#!/usr/bin/env python3
# Runs SystemTap's syscall tests (testsuite/systemtap.syscall/NAME.c, from a SystemTap source
# tree: never copied here) through ustap's syscall.* tapset, as its test.tcl does: each program
# is built in a temporary directory and run under a sys.stp-like script, and the
# "//staptest// name (argstr) = retstr" comments must match the trace lines in order.
#   tools/stap_syscall_tests.py [-v] [NAME...]   (STAP_SRC=/tmp/stap-src, USTAP=./ustap)
# Prints per test the expected lines matched, and the totals.
import os
import re
import subprocess
import sys
import tempfile
import warnings

warnings.simplefilter("ignore", FutureWarning)   # tcl-style [[ in the expectations

SRC = os.path.join(os.environ.get("STAP_SRC", "/tmp/stap-src"), "testsuite", "systemtap.syscall")
USTAP = os.path.realpath(os.environ.get("USTAP", "./ustap"))
COMMON = ["openclose", "readwrite", "mmap", "stat", "dup", "pipe",
          "socket", "access", "dir", "link", "unlink", "rename", "umask", "chmod", "uid",
          "kill", "lseek", "getdents", "trunc", "statfs", "wait4", "uname", "readv", "writev", "pread", "pwrite", "brk"]

# The process.end probe makes ustap trace the target, so that its memory (argstr's strings)
# is still readable when the last records are handled (a -c target with only kernel probes
# runs free and may be gone by then).
SCRIPT = r'''
probe process.end { if (pid() < 0) println("never") }
probe syscall.* ? {
	if (pid() == target()) {
		printf("%s: %s (%s) = ", execname(), name, argstr)
		if (name == "exit_group" || name == "exit") printf("?\n")
	}
}
probe syscall.*.return ? {
	if (pid() == target()) printf("%s\n", retstr)
}
'''


def expected(cfile, testname):
    """test.tcl's conversion of the //staptest// comments into regular expressions."""
    out = subprocess.run(["gcc", "-E", "-C", "-P", cfile], capture_output=True, text=True).stdout
    res = []
    for line in out.split("\n"):
        if "//staptest//" not in line:
            continue
        line = line.split("//staptest//", 1)[1]
        line = "^%s: %s" % (re.escape(testname[:15]), line.lstrip())
        line = line.replace("(", r"\(").replace(")", r"\)").replace("|", r"\|")
        line = line.replace("[[[[", "(").replace("]]]]", ")").replace("!!!!", "|")
        line = line.replace("NNNN", r"[\-0-9]+").replace("XXXX", r"[x0-9a-fA-F]+")
        res.append(line)
    return res


def run_one(name, script, verbose):
    cfile = os.path.join(SRC, name + ".c")
    with tempfile.TemporaryDirectory() as d:
        exe = os.path.join(d, name)
        cc = subprocess.run(["gcc", "-o", exe, cfile, "-lrt", "-Wno-stringop-overflow", "-w"],
                            capture_output=True, text=True)
        if cc.returncode:
            return None
        want = expected(cfile, name)
        if not want:
            return None
        try:
            r = subprocess.run([USTAP, script, "-c", exe], cwd=d, capture_output=True, text=True,
                               timeout=60, errors="replace")
            got = r.stdout.split("\n")
        except subprocess.TimeoutExpired:
            got = []
    i = 0
    for line in got:
        if i < len(want) and re.search(want[i], line):  # noqa
            i += 1
    if verbose and i < len(want):
        print("  first unmatched: %s" % want[i])
        near = [g for g in got if g.split(":")[0] == name[:15]]
        print("  trace:\n    " + "\n    ".join(near[:60]))
    return i, len(want)


def main():
    args = sys.argv[1:]
    verbose = "-v" in args
    names = [a for a in args if a != "-v"] or COMMON
    tot = got = passed = 0
    with tempfile.NamedTemporaryFile("w", suffix=".stp", delete=False) as f:
        f.write(SCRIPT)
        script = f.name
    for n in names:
        r = run_one(n, script, verbose)
        if r is None:
            print("UNSUPPORTED %s" % n)
            continue
        ok, want = r
        tot += want
        got += ok
        passed += ok == want
        print("%s %s: %d/%d lines" % ("PASS" if ok == want else "FAIL", n, ok, want))
    os.unlink(script)
    print("%d/%d tests pass, %d/%d expected lines matched in order" % (passed, len(names), got, tot))


main()
